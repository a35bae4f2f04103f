#!/bin/bash
# What watching mount-family syscalls costs: bpf-mountwatch beside
# libbpf-tools' mountsnoop.  tmpfs mount+umount pairs per second, and
# getppid(2) ns per call, with no watcher, with each watcher (and with
# bpf-mountwatch --compat), then whether each watcher saw every event.
# Run from the repo root after `make` (or as `make bench`), as root.
# Timings are reported, never judged; exit 1 only if a command fails.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
MW=$PWD/bin/bpf-mountwatch
MS=${MOUNTSNOOP:-/usr/sbin/mountsnoop}
LOAD=$OUT/mountload
TARGET=$OUT/mw-target		# the load's mount point
PAIRS=${MW_PAIRS:-20000}
CALLS=${MW_CALLS:-5000000}
TRACEFS=/sys/kernel/tracing

die() { echo "mountwatch: $*" >&2; exit 1; }
say() { echo "mountwatch: $*" >&2; }

[ "$(id -u)" -eq 0 ] || die "needs root (BPF, mount)"
[ -x "$MW" ] || die "$MW missing: run make first"
[ -x "$MS" ] || die "$MS missing (apt-get install libbpf-tools)"
mkdir -p "$OUT"
rm -f "$OUT"/mw.*
if ! [ -x "$LOAD" ] || [ bench/mountload.c -nt "$LOAD" ]; then
	cc -O2 -Wall -Wextra -o "$LOAD" bench/mountload.c
fi

# The watcher running now (one at a time), and whether we mounted tracefs.
wpid='' wname='' mounted_tracefs=''

# stop_watcher: SIGINT, then its exit status; SIGKILL after 30 s.
stop_watcher() {
	local pid=$wpid i rc=0

	[ -n "$pid" ] || return 0
	wpid=
	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "$wname did not stop on SIGINT; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" || rc=$?
	return "$rc"
}

cleanup() {
	local rc=$?

	stop_watcher || true
	if [ -n "$mounted_tracefs" ]; then
		umount "$TRACEFS" || { say "could not unmount $TRACEFS"; rc=1; }
	fi
	rmdir "$TARGET" 2>/dev/null || true
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# mountsnoop needs tracefs; bpf-mountwatch mounts it privately if absent.
if ! [ -d "$TRACEFS/events" ]; then
	mount -t tracefs nodev "$TRACEFS"
	mounted_tracefs=1
fi

# bpf_link and bpf-prog descriptors a process holds: "links progs".
bpf_fds() {
	local l=0 p=0 f

	for f in /proc/"$1"/fd/*; do
		case $(readlink "$f" 2>/dev/null) in
		anon_inode:bpf_link)	l=$((l + 1)) ;;
		anon_inode:bpf-prog)	p=$((p + 1)) ;;
		esac
	done
	echo "$l $p"
}

# start_watcher NAME STDOUT: start it, return once it is attached.
# bpf-mountwatch says so on stderr.  mountsnoop prints its header once
# attached, but block-buffered (not seen through /dev/null or a file
# until it is flushed), so it counts as attached when it holds a
# bpf_link for every program it loaded.
start_watcher() {
	local name=$1 out=$2 err=$OUT/mw.$1.err i l p

	wname=$name
	case $name in
	mountsnoop)	"$MS" > "$out" 2> "$err" & ;;
	bpf-mountwatch)	"$MW" -o "$out" 2> "$err" & ;;
	bpf-mountwatch-compat) "$MW" --compat -o "$out" 2> "$err" & ;;
	esac
	wpid=$!
	for ((i = 0; i < 600; i++)); do
		if ! kill -0 "$wpid" 2>/dev/null; then
			local pid=$wpid rc=0
			wpid=
			wait "$pid" || rc=$?
			die "$name exited ($rc) before attaching: $(cat "$err")"
		fi
		case $name in
		bpf-mountwatch*)
			grep -q '^bpf-mountwatch: watching' "$err" && return 0 ;;
		mountsnoop)
			[ -f "$out" ] && grep -q '^COMM' "$out" 2>/dev/null &&
			    return 0
			read -r l p < <(bpf_fds "$wpid")
			[ "$p" -gt 0 ] && [ "$l" -ge "$p" ] && return 0 ;;
		esac
		sleep 0.1
	done
	die "$name not attached after 60 s: $(cat "$err")"
}

# load pairs|getppid: run the generator once, print its result field
# (pairs per second, or ns per call).
load() {
	local r
	case $1 in
	pairs)		r=$("$LOAD" pairs "$PAIRS" "$TARGET") ;;
	getppid)	r=$("$LOAD" getppid "$CALLS") ;;
	esac
	echo "${r##* }"
}

# Timed runs: each watcher writes to /dev/null.
declare -A rate ns
"$LOAD" pairs 1000 "$TARGET" > /dev/null	# warm up
for w in none mountsnoop bpf-mountwatch bpf-mountwatch-compat; do
	say "timing: $w"
	[ "$w" = none ] || start_watcher "$w" /dev/null
	rate[$w]=$(load pairs)
	ns[$w]=$(load getppid)
	stop_watcher || die "$w failed: $(cat "$OUT/mw.$w.err")"
done

# Counted runs: the pairs again, each watcher writing to a file.
# Only the load's own records are counted as seen: other processes on
# the machine may mount too.
for w in mountsnoop bpf-mountwatch; do
	say "counting: $w"
	start_watcher "$w" "$OUT/mw.$w.out"
	load pairs > /dev/null
	stop_watcher || die "$w failed: $(cat "$OUT/mw.$w.err")"
done
# mountsnoop: one line per call after its header; 'COMM PID TID NS CALL'.
ms_all=$(grep -vc '^COMM ' "$OUT/mw.mountsnoop.out" || true)
ms_seen=$(grep '^mountload ' "$OUT/mw.mountsnoop.out" |
    grep -cF "\"$TARGET\"" || true)
ms_lost=$(grep -ci 'lost' "$OUT/mw.mountsnoop.err" || true)
# bpf-mountwatch: "event":"mount" records, and its closing stats line.
mwo=$OUT/mw.bpf-mountwatch.out
mw_all=$(grep -c '^{"event":"mount"' "$mwo" || true)
mw_seen=$(grep '^{"event":"mount"' "$mwo" | grep -F '"comm":"mountload"' |
    grep -cF "\"target\":\"$TARGET\"" || true)
# mw_stat KEY...: the sum of those keys of the stats line, or "?".
mw_stat() {
	grep '^{"event":"stats"' "$mwo" | tail -n 1 | awk -v keys="$*" '{
		n = split(keys, k, " ")
		for (i = 1; i <= n; i++) {
			if (!match($0, "\"" k[i] "\":[0-9]+")) { print "?"; exit }
			v += substr($0, RSTART + length(k[i]) + 3, RLENGTH - length(k[i]) - 3)
		}
		print v + 0
	} END { if (NR == 0) print "?" }'
}
mw_delivered=$(mw_stat delivered)
mw_lost=$(mw_stat lost_ringbuf lost_argtable lost_fault)
mw_unread=$(mw_stat unread)
mw_events=$(mw_stat events)

expected=$((2 * PAIRS))
{
	echo "## bpf-mountwatch beside mountsnoop"
	echo
	echo "$(uname -r), $(nproc) CPUs; $PAIRS tmpfs mount+umount pairs" \
	    "in a private mount namespace, $CALLS getppid calls; one run each."
	echo
	echo "| watcher | pairs/s | vs none | us/pair extra | getppid ns/call | vs none |"
	echo "|---|---:|---:|---:|---:|---:|"
	for w in none mountsnoop bpf-mountwatch bpf-mountwatch-compat; do
		label=$w
		[ "$w" = bpf-mountwatch-compat ] &&
		    label="bpf-mountwatch --compat (raw syscall tracepoints: every syscall)"
		awk -v l="$label" -v r="${rate[$w]}" -v r0="${rate[none]}" \
		    -v n="${ns[$w]}" -v n0="${ns[none]}" 'BEGIN {
			printf "| %s | %.0f | %.2fx | %.2f | %.1f | %.2fx |\n",
			    l, r, r / r0, 1e6 / r - 1e6 / r0, n, n / n0
		}'
	done
	echo
	awk -v r0="${rate[none]}" -v rs="${rate[mountsnoop]}" \
	    -v rm="${rate[bpf-mountwatch]}" 'BEGIN {
		os = 1 / rs - 1 / r0; om = 1 / rm - 1 / r0
		printf "Overhead per pair, bpf-mountwatch / mountsnoop: "
		if (os > 0)
			printf "%.2fx", om / os
		else
			printf "n/a (mountsnoop showed no overhead)"
		printf " (time a pair gains under each watcher).\n"
	}'
	echo
	echo "Events seen in a second pairs run (watcher output to a file;" \
	    "expected $expected mount and umount calls from the load):"
	echo
	echo "| watcher | load's calls seen | of expected | all mount records | delivered | lost | unread |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	awk -v s="$ms_seen" -v e="$expected" -v a="$ms_all" -v l="$ms_lost" 'BEGIN {
		printf "| mountsnoop | %d | %.2f%% | %d | - | %s | - |\n",
		    s, 100 * s / e, a, l ? l " stderr lines" : "not reported"
	}'
	awk -v s="$mw_seen" -v e="$expected" -v a="$mw_all" \
	    -v d="$mw_delivered" -v l="$mw_lost" -v u="$mw_unread" 'BEGIN {
		printf "| bpf-mountwatch | %d | %.2f%% | %d | %s | %s | %s |\n",
		    s, 100 * s / e, a, d, l, u
	}'
	echo
	echo "mountsnoop: output lines other than its header; it does not" \
	    "count what it drops.  bpf-mountwatch: \`\"event\":\"mount\"\`" \
	    "records; delivered, lost and unread from its closing stats" \
	    "line ($mw_events events in the kernel, every process's)."
} | tee "$OUT/mountwatch.md"
