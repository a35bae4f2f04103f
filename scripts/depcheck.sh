#!/bin/bash
# depcheck [COMMAND ...]: is every Debian package that COMMAND (default:
# make check) uses installed by scripts/deps.sh?  Run as root: libbpf-tools'
# execsnoop and opensnoop watch every program it runs and every file it
# opens, podman's cached pause image removed first (a fresh machine has
# none).  A package used must be one every Debian system has (Essential,
# or Priority required) or be named in scripts/deps.sh, itself or through
# Depends: one that came with this machine's image, or by hand, or as a
# Recommends (deps.sh installs without them) is named, exit 1.  The
# answer does not depend on what else this machine has.  Exit 0: none
# missing; 2: cannot tell.
set -u
cd "$(dirname "$0")/.." || exit 2
[ "$(id -u)" -eq 0 ] || { echo "depcheck: needs root (BPF)" >&2; exit 2; }
[ $# -gt 0 ] || set -- make check
scripts/deps.sh depcheck || exit 2
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
tmp=$(mktemp -d) && trap 'kill $es $os 2>/dev/null; rm -rf "$tmp"' EXIT

command -v podman >/dev/null && podman rmi -f localhost/podman-pause >/dev/null 2>&1
stdbuf -oL /usr/sbin/execsnoop -x > "$tmp/execs" 2>/dev/null & es=$!
stdbuf -oL /usr/sbin/opensnoop > "$tmp/opens" 2>/dev/null & os=$!
sleep 2
"$@"; rc=$?
sleep 1
kill -INT $es $os; wait $es $os 2>/dev/null

# Programs by path (a bare name as the shell would find it), files opened.
{ awk 'NR > 1 { print $5 }' "$tmp/execs" | while read -r p; do
	case $p in /*) echo "$p" ;; *) command -v -- "$p" ;; esac; done
  awk 'NR > 1 && $4 == 0 { print $5 }' "$tmp/opens"; } |
  grep -E '^/(usr|bin|sbin|lib|lib64|etc)/' | sort -u |
  while read -r f; do [ -f "$f" ] && readlink -f -- "$f"; done | sort -u > "$tmp/paths"
# dpkg knows a file by the path its package ships: /bin/x or /usr/bin/x.
while read -r f; do
	dpkg -S "$f" 2>/dev/null || dpkg -S "${f#/usr}" 2>/dev/null
done < "$tmp/paths" | grep -v '^diversion' | sed 's/: .*//; s/, /\n/g; s/:[a-z0-9]*$//' |
  sed 's/:[a-z0-9]*$//' | sort -u > "$tmp/used"

listed=$(sed -n '/^pkgs="/,/"/p' scripts/deps.sh | tr -d '"' | sed 's/pkgs=//' | tr -s ' \t' '\n\n' | grep -E '^[a-z0-9]')
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances $listed 2>/dev/null | grep -vE '^ |<' | sed 's/:[a-z0-9]*$//' > "$tmp/have"
dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' |
  awk '$2 == "yes" || $3 == "required" { print $1 }' >> "$tmp/have"
missing=$(comm -23 "$tmp/used" <(sort -u "$tmp/have") | tr '\n' ' ')
echo "depcheck: '$*' exited $rc; $(wc -l < "$tmp/used") packages used"
[ -z "$missing" ] || { echo "depcheck: not installed by scripts/deps.sh: $missing"; exit 1; }
echo "depcheck: every package used is installed by scripts/deps.sh"
[ "$rc" -eq 0 ]
