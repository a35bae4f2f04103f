#!/bin/bash
# depcheck [COMMAND ...]: is every Debian package that COMMAND (default:
# make check) uses installed by scripts/deps.sh?  Run as root: bpftrace
# follows COMMAND and every process it forks, and notes each program they
# run and each file they open (podman's cached pause image is removed
# first: a fresh machine has none).  A package used must be one every
# Debian system has (Essential, or Priority required) or be named in
# scripts/deps.sh, itself or through Depends: one that came with this
# machine's image, or by hand, or as a Recommends (deps.sh installs
# without them) is named, exit 1.  The answer does not depend on what
# else this machine has.  Exit 0: none missing; 2: cannot tell.
set -u
cd "$(dirname "$0")/.." || exit 2
[ "$(id -u)" -eq 0 ] || { echo "depcheck: needs root (BPF)" >&2; exit 2; }
[ $# -gt 0 ] || set -- make check
scripts/deps.sh depcheck || exit 2
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
command -v podman >/dev/null && podman rmi -f localhost/podman-pause >/dev/null 2>&1

# Programs and files of COMMAND's process tree, from when it starts.
cat > "$tmp/watch.bt" <<'BT'
BEGIN { @tree[$1] = 1; printf("ready\n"); }
tracepoint:sched:sched_process_fork /@tree[args->parent_pid]/ { @tree[args->child_pid] = 1; }
tracepoint:sched:sched_process_exit /@tree[pid] && pid == tid/ { delete(@tree[pid]); }
tracepoint:syscalls:sys_enter_execve /@tree[pid]/ { printf("%s %s\n", comm, str(args->filename)); }
tracepoint:syscalls:sys_enter_openat /@tree[pid]/ { @name[tid] = args->filename; }
tracepoint:syscalls:sys_exit_openat /@name[tid]/ {
	if (args->ret >= 0) { printf("%s %s\n", comm, str(@name[tid])); }
	delete(@name[tid]);
}
END { clear(@tree); clear(@name); }
BT
mkfifo "$tmp/go"
(read -r _ < "$tmp/go"; exec "$@") & cmd=$!
BPFTRACE_STRLEN=200 BPFTRACE_MAP_KEYS_MAX=65536 BPFTRACE_PERF_RB_PAGES=4096 \
    bpftrace "$tmp/watch.bt" "$cmd" > "$tmp/used.raw" 2> "$tmp/bt.err" & bt=$!
until grep -q '^ready$' "$tmp/used.raw" 2>/dev/null; do
	kill -0 $bt 2>/dev/null || { cat "$tmp/bt.err" >&2; kill $cmd; exit 2; }
	sleep 0.2
done
echo go > "$tmp/go"
wait $cmd; rc=$?
sleep 1
kill -INT $bt; wait $bt
if grep -q '^Lost' "$tmp/used.raw"; then
	echo "depcheck: bpftrace lost events: $(grep '^Lost' "$tmp/used.raw" | head -1)" >&2
	exit 2
fi

# Files read as configuration if they are there (/etc, also through a
# link such as /usr/share/locale/locale.alias; systemd units, python's
# .pth files) need nothing: what the programs and libraries themselves
# need is what counts.
awk '$2 ~ /^\/(usr|bin|sbin|lib|lib64)\// && $2 !~ /\/systemd\/system\/|\.pth$/ { print $2, $1 }' \
    "$tmp/used.raw" | sort -u -k1,1 > "$tmp/opened"
while read -r f who; do
	[ -f "$f" ] && printf '%s %s\n' "$(readlink -f -- "$f")" "$who"
done < "$tmp/opened" | grep -v '^/etc/' | sort -u -k1,1 > "$tmp/paths.who"
cut -d' ' -f1 "$tmp/paths.who" > "$tmp/paths"
# dpkg knows a file by the path its package ships: /bin/x or /usr/bin/x.
sed 'p; s|^/usr/|/|' "$tmp/paths" | sort -u | xargs -r dpkg -S 2>/dev/null |
  grep -v '^diversion' > "$tmp/owners"
sed 's/: .*//; s/, /\n/g' "$tmp/owners" | sed 's/:[a-z0-9]*$//' | sort -u > "$tmp/used"

# What deps.sh installs, and what every Debian system has, with all they
# depend on.
listed=$(sed -n '/^pkgs="/,/"/p' scripts/deps.sh | tr -d '"' | sed 's/pkgs=//' | tr -s ' \t' '\n\n' | grep -E '^[a-z0-9]')
base=$(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' |
  awk '$2 == "yes" || $3 == "required" { print $1 }')
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances $listed $base 2>/dev/null | grep -vE '^ |<' |
  sed 's/:[a-z0-9]*$//' | sort -u > "$tmp/have"
# Opened, but not needed: the image's nsswitch.conf names systemd's
# module, which glibc then loads.
missing=$(comm -23 "$tmp/used" "$tmp/have" | grep -vx libnss-systemd)
echo "depcheck: '$*' exited $rc; $(wc -l < "$tmp/used") packages used"
if [ -n "$missing" ]; then
	echo "depcheck: not installed by scripts/deps.sh (a file of each that was used):"
	for p in $missing; do
		f=$(grep -m1 -E "(^|, )$p(:[a-z0-9]+)?(,|:) " "$tmp/owners" | sed 's/.*: //')
		printf '  %s: %s, by %s\n' "$p" "$f" "$(grep -m1 -F "$f " "$tmp/paths.who" | cut -d' ' -f2)"
	done
	exit 1
fi
echo "depcheck: every package used is installed by scripts/deps.sh"
[ "$rc" -eq 0 ]
