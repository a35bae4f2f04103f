#!/bin/sh
# Install the Debian packages the build and the tests need, if missing.
set -eu

pkgs="gcc make pkg-config libaudit-dev libauparse-dev libcjson-dev
zlib1g-dev libseccomp-dev bats bats-assert bats-support jq mandoc gzip
auditd
procps python3 python3-yaml apparmor logrotate systemd
clang libclang-rt-14-dev llvm libbpf-dev bpftool gcc-multilib util-linux
runc crun podman busybox-static"

# make bench also needs the peer tools it measures against
[ "${1:-}" = bench ] && pkgs="$pkgs laurel time libbpf-tools python3-apparmor"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
