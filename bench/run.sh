#!/bin/bash
# Benchmark aa-evtparse against laurel and ausearch on two generated
# audit logs: a 1M-line mixed log and a 200k-record denial storm.
# Beside them: aa-evtparse --checkpoint (its memory should stay within
# 2x the run's without it) and libauparse, auditd's own parser, only
# counting records (t/progs/auparse-dump.c -c): why the suite parses by
# itself.
# Run from the repo root after `make` (or as `make bench`).
# Timings are reported, never judged; exit 1 only if a command fails or
# aa-evtparse does not account for every AppArmor and SECCOMP record.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
AA=$PWD/bin/aa-evtparse
NLINES=${BENCH_LINES:-1000000}
TMO=${BENCH_TIMEOUT:-300}	# seconds a run may take; then "timeout"
TOOLS="aa-evtparse aa-evtparse-ck libauparse laurel ausearch"

die() { echo "bench: $*" >&2; exit 1; }
nmatch() { if [ -f "$2" ]; then grep -c "$1" "$2" || true; else echo "?"; fi; }

[ -x "$AA" ] || die "$AA missing: run make first"
for t in laurel ausearch /usr/bin/time; do
	command -v "$t" >/dev/null || die "$t missing (apt-get install laurel auditd time)"
done
mkdir -p "$OUT"
rm -f "$OUT"/*.res "$OUT"/*.time "$OUT"/*.err

# laurel is an auditd plugin; one-shot it reads a file on stdin and,
# with file = "-", writes JSON lines to stdout.  No privilege drop, and
# no enrichment from this machine's /proc: the log's pids are not ours.
cat > "$OUT/laurel.toml" <<EOF
directory = "$OUT"
[auditlog]
file = "-"
[enrich]
pid = false
container = false
script = false
EOF

# "apparmor seccomp" counts from each tool's output on stdin.
count_aa_evtparse() {
	awk '/^\{"event":"apparmor"/ { a++ } /^\{"event":"seccomp"/ { s++ }
	    END { print a + 0, s + 0 }'
}
count_laurel() {
	awk '{ a += gsub(/"apparmor":"/, ""); s += gsub(/"SECCOMP":/, "") }
	    /"USER_AVC":/ && /apparmor=/ { a++ }
	    END { print a + 0, s + 0 }'
}
count_aa_evtparse_ck() { count_aa_evtparse; }
count_libauparse() { cat; }
count_ausearch() {
	awk '/^type=AVC / || /^type=USER_AVC .*apparmor=/ { a++ }
	    /^type=SECCOMP / { s++ } END { print a + 0, s + 0 }'
}

# tool_run TOOL LOG [WRAPPER ...]: TOOL on LOG, output on stdout.
tool_run() {
	local tool=$1 log=$2
	shift 2
	set -- "$@" timeout "$TMO"
	case $tool in
	aa-evtparse)	"$@" "$AA" "$log" ;;
	aa-evtparse-ck)	rm -f "$log.ck"; "$@" "$AA" --checkpoint "$log.ck" "$log" ;;
	libauparse)	"$@" "$OUT/auparse-dump" -c "$log" ;;
	laurel)		"$@" laurel -c "$OUT/laurel.toml" < "$log" ;;
	ausearch)	"$@" ausearch -i -if "$log" ;;
	esac
}

# The untimed run whose output is counted; --debug makes ausearch say
# which events it skips as malformed.
count_run() {
	if [ "$1" = ausearch ]; then
		timeout "$TMO" ausearch --debug -i -if "$2"
	else
		tool_run "$1" "$2"
	fi
}

# ok TOOL RC: did the command succeed?  ausearch says 1 for no match.
ok() { [ "$2" -eq 0 ] || { [ "$1" = ausearch ] && [ "$2" -eq 1 ]; }; }

# measure TOOL NAME: time a run on NAME.log to /dev/null, count the
# output of another; "seconds peakKB apparmor seccomp" to NAME.TOOL.res
measure() {
	local tool=$1 name=$2 log=$OUT/$2.log base=$OUT/$2.$1 rc=0 counts

	tool_run "$tool" "$log" /usr/bin/time -f '%e %M' -o "$base.time" \
	    > /dev/null 2> "$base.timed.err" || rc=$?
	if [ "$rc" -eq 124 ]; then
		echo "timeout $(tail -n 1 "$base.time" | cut -d' ' -f2) - -" \
		    > "$base.res"
		return
	fi
	ok "$tool" "$rc" || die "$tool on $log failed ($rc), see $base.timed.err"
	rc=0
	counts=$(count_run "$tool" "$log" 2> "$base.err" |
	    "count_${tool//-/_}") || rc=$?
	ok "$tool" "$rc" || die "$tool on $log failed ($rc), see $base.err"
	echo "$(tail -n 1 "$base.time") $counts" > "$base.res"
}

cc -O2 -Wall -Wextra -o "$OUT/genlog" bench/genlog.c
cc -O2 -Wall -Wextra -o "$OUT/auparse-dump" t/progs/auparse-dump.c -lauparse
"$OUT/genlog" "$NLINES" > "$OUT/mixed.log" 2> "$OUT/mixed.gen"
"$OUT/genlog" --storm > "$OUT/storm.log" 2> "$OUT/storm.gen"

fail=0
declare -A skipped
printf '%-6s %-12s %8s %10s %8s %9s %8s %9s %8s\n' log tool seconds \
    lines/s RSS_MB apparmor seccomp aa_speed aa_mem
for name in mixed storm; do
	# genlog: N lines, A apparmor records, S seccomp records
	read -r _ lines _ want_a _ _ want_s _ < "$OUT/$name.gen"
	for tool in $TOOLS; do
		echo "bench: $name: $tool" >&2
		measure "$tool" "$name"
	done
	printf '%-6s %-12s %8s %10s %8s %9s %8s\n' "$name" genlog - - - \
	    "$want_a" "$want_s"
	read -r aa_s aa_kb got_a got_s < "$OUT/$name.aa-evtparse.res"
	for tool in $TOOLS; do
		read -r s kb a sc < "$OUT/$name.$tool.res"
		awk -v n="$name" -v t="$tool" -v s="$s" -v kb="$kb" -v a="$a" \
		    -v sc="$sc" -v l="$lines" -v aas="$aa_s" -v akb="$aa_kb" \
		    -v tmo="$TMO" '
		function pos(x) { return x > 0 ? x : 0.01 }
		BEGIN {
			if (s == "timeout")
				printf "%-6s %-12s %8s %10s %8.1f %9s %8s %9s %8.2fx\n",
				    n, t, ">" tmo, "<" int(l / tmo), kb / 1024,
				    "-", "-", ">" sprintf("%.2fx", tmo / pos(aas)),
				    akb / kb
			else
				printf "%-6s %-12s %8.2f %10.0f %8.1f %9d %8d %8.2fx %8.2fx\n",
				    n, t, s, l / pos(s), kb / 1024, a, sc,
				    pos(s) / pos(aas), akb / kb
		}'
	done
	if [ "$got_a" != "$want_a" ] || [ "$got_s" != "$want_s" ]; then
		echo "bench: $name: aa-evtparse wrote $got_a apparmor and" \
		    "$got_s seccomp events, genlog wrote $want_a and $want_s" >&2
		fail=1
	fi
	skipped[$name]="laurel could not parse $(nmatch 'cannot parse' \
	    "$OUT/$name.laurel.err") records, ausearch skipped $(nmatch \
	    'Malformed event skipped' "$OUT/$name.ausearch.err") as malformed"
done
echo "aa_speed: aa-evtparse throughput / tool's; aa_mem: aa-evtparse peak RSS / tool's"
for name in mixed storm; do
	echo "$name: ${skipped[$name]}"
done
exit $fail
