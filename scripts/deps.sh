#!/bin/sh
# Install the Debian packages the build and the tests need, if missing.
# Without Recommends, so every package a test uses is named here, even
# one another package only recommends (podman's pause image needs
# catatonit): scripts/depcheck.sh checks that none is left out.
set -eu

pkgs="gcc make pkg-config libaudit-dev libauparse-dev libcjson-dev
zlib1g-dev libseccomp-dev bats bats-assert bats-support jq mandoc gzip
auditd
procps python3 python3-yaml apparmor logrotate systemd
clang libclang-rt-14-dev llvm libbpf-dev bpftool gcc-multilib util-linux
runc crun podman busybox-static parallel strace faketime
prometheus prometheus-node-exporter curl
catatonit bsdextrautils nodejs
qemu-system-x86 cpio
build-essential debhelper lintian bash-completion git libfile-fcntllock-perl"

# make bench also needs the peer tools it measures against, and
# scripts/depcheck.sh the watchers it runs
[ "${1:-}" = bench ] && pkgs="$pkgs laurel time libbpf-tools python3-apparmor"
[ "${1:-}" = depcheck ] && pkgs="$pkgs bpftrace"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
# Node.js and npm check the Kubernetes manifests (deploy/kubernetes/validate);
# a machine that has them (this kind does, from NodeSource, npm inside its
# nodejs) keeps its own.
command -v npm >/dev/null || missing="$missing npm"

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
if [ -n "$missing" ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The manifest checker's schemas, and Microsoft's SARIF multitool that
# checks bm-diff --format sarif, at the versions package-lock.json pins.
v=$(dirname "$0")/../deploy/kubernetes/validate
[ -d "$v/node_modules/kubernetes-models" ] ||
    (cd "$v" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
v=$(dirname "$0")/../t/sarif
[ -x "$v/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] ||
    (cd "$v" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# Debian's kernels with AppArmor that t/kernel.bats boots (t/vm/boot): the
# image alone, kept in t/vm/kernels/ as the schemas are in node_modules.
k=$(dirname "$0")/../t/vm/kernels
for v in 6.1.0-57-amd64 6.12.118+deb12-amd64; do
	[ -s "$k/vmlinuz-$v" ] && continue
	echo "deps: downloading linux-image-$v" >&2
	mkdir -p "$k"
	tmp=$(mktemp -d)
	get() { (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root \
	    "linux-image-$v" >/dev/null); }
	get || { $sudo apt-get update -qq && get; }
	dpkg-deb --fsys-tarfile "$tmp"/linux-image-*.deb |
	    tar -xOf - "./boot/vmlinuz-$v" >"$tmp/vmlinuz"
	mv "$tmp/vmlinuz" "$k/vmlinuz-$v"
	rm -rf "$tmp"
done
