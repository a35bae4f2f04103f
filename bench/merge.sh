#!/bin/bash
# Benchmark bm-merge: time and peak memory merging 500k, 1M and 10M
# AppArmor file events over few (100) and many (200k) distinct paths,
# beside aa-evtparse on the raw log (the stage before it) and AppArmor's
# own log parser (python3-apparmor's apparmor.logparser.ReadLog).
# aa-evtparse, bm-merge and the pipeline of both run REPEAT times each,
# in turn, and their medians are compared; ReadLog runs once, up to 1M.
# Run from the repo root after `make`.
# Timings are reported, never judged; exit 1 only if a command fails or
# bm-merge's model does not hold one file entry per distinct path.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
AA=$PWD/bin/aa-evtparse
BM=${BM_MERGE:-$PWD/bin/bm-merge}	# another build with BM_MERGE=PATH
PY=${PYTHON:-/usr/bin/python3}	# Debian's, which sees python3-apparmor
TMO=${BENCH_TIMEOUT:-600}	# seconds a run may take; then "timeout"
SCALE=${BENCH_SCALE:-1}		# e.g. 0.01: 5k, 10k and 100k events, 2k paths
REPEAT=${BENCH_REPEAT:-5}	# runs of each, for the median
KEEP=${BENCH_KEEP:-}		# set: keep the logs and NDJSON (GBs)
FILES_JQ=${BM_FILES_JQ:-.data.dynamicResult.appArmor.files | length}
PROFILE=/usr/bin/app
TOOLS="aa-evtparse bm-merge pipeline"

die() { echo "merge: $*" >&2; exit 1; }
say() { echo "merge: $*" >&2; }

[ -x "$AA" ] || die "$AA missing: run make first"
[ -x "$BM" ] || die "$BM missing: run make first"
for t in /usr/bin/time jq timeout cc; do
	command -v "$t" >/dev/null || die "$t missing (apt-get install time jq)"
done
"$PY" -c 'import apparmor.logparser, apparmor.profile_list' 2>/dev/null ||
    die "$PY cannot import apparmor.logparser (apt-get install python3-apparmor)"
case $REPEAT in ''|*[!0-9]*|0) die "BENCH_REPEAT must be a whole number > 0" ;; esac

# Sizes: events 500k, 1M and 10M, paths few (100) and many (200k), scaled.
read -r N0 N1 N2 FEW MANY < <(awk -v s="$SCALE" 'BEGIN {
	if (!(s > 0)) { print "bad"; exit }
	n0 = int(5e5 * s + 0.5); n1 = int(1e6 * s + 0.5)
	n2 = int(1e7 * s + 0.5); m = int(2e5 * s + 0.5); f = 100
	if (n0 < 1) n0 = 1
	if (n1 < 1) n1 = 1
	if (f > n0) f = n0
	if (m < f) m = f
	print n0, n1, n2, f, m
}')
[ "$N0" != bad ] || die "BENCH_SCALE must be a positive number: $SCALE"

mkdir -p "$OUT"
rm -f "$OUT"/merge.*
if ! [ -x "$OUT/genmerge" ] || [ bench/genmerge.c -nt "$OUT/genmerge" ]; then
	cc -O2 -Wall -Wextra -o "$OUT/genmerge" bench/genmerge.c
fi

# The peer: ReadLog wants the profiles it may learn for (an object with
# filename_from_profile_name(), normally aa.py's ProfileList read from
# /etc/apparmor.d); events of any other profile are dropped.  Given the
# one profile of the log, it parses every record into its hashlog
# (aamode -> profile -> 'path' -> name -> owner -> perm).  It prints the
# distinct paths it learned.
cat > "$OUT/merge.readlog.py" <<'EOF'
import sys
from apparmor.logparser import ReadLog
from apparmor.profile_list import ProfileList

log, profiles = sys.argv[1], sys.argv[2:]
active = ProfileList()
for p in profiles:
    active.add_profile('/etc/apparmor.d/bench', p, p if p.startswith('/') else None)
hashlog = ReadLog(log, active, '/etc/apparmor.d').read_log('')
print(len({path for mode in hashlog.values() for prof in mode.values()
           for path in prof['path']}))
EOF

# tool_run TOOL RUN [WRAPPER ...]: TOOL on RUN's input, output to
# RUN.TOOL.out.
tool_run() {
	local tool=$1 r=$OUT/merge.$2
	shift 2
	set -- "$@" timeout "$TMO"
	case $tool in
	aa-evtparse)	"$@" "$AA" "$r.log" > "$r.ndjson" ;;
	bm-merge)	"$@" "$BM" "$r.ndjson" > "$r.$tool.out" ;;
	# bash waits for both on SIGTERM from timeout: RSS counts them
	pipeline)	"$@" bash -o pipefail -c 'trap : TERM; "$1" "$2" | "$3"' \
			    _ "$AA" "$r.log" "$BM" > "$r.$tool.out" ;;
	python)		"$@" "$PY" "$OUT/merge.readlog.py" "$r.log" \
			    "$PROFILE" > "$r.$tool.out" ;;
	esac
}

# entries TOOL RUN: what came out: events (aa-evtparse), file entries
# in the model (bm-merge, pipeline), distinct paths learned (python).
entries() {
	local o=$OUT/merge.$2.$1.out
	case $1 in
	aa-evtparse)	wc -l < "$OUT/merge.$2.ndjson" ;;
	bm-merge|pipeline) jq -r "$FILES_JQ" < "$o" ;;
	python)		cat "$o" ;;
	esac
}

# measure TOOL RUN: one timed run, its "seconds peakKB" appended to
# RUN.TOOL.runs ("timeout peakKB" when killed).
measure() {
	local tool=$1 run=$2 base=$OUT/merge.$2.$1 rc=0

	tool_run "$tool" "$run" /usr/bin/time -f '%e %M' -o "$base.time" \
	    2> "$base.err" || rc=$?
	if [ "$rc" -eq 124 ]; then
		echo "timeout $(tail -n 1 "$base.time" | cut -d' ' -f2)" \
		    >> "$base.runs"
		return
	fi
	[ "$rc" -eq 0 ] || die "$tool on $run failed ($rc), see $base.err"
	tail -n 1 "$base.time" >> "$base.runs"
}

# settle TOOL RUN: "medianSeconds maxPeakKB entries" to RUN.TOOL.res
settle() {
	local base=$OUT/merge.$2.$1 med

	med=$(awk '{ print $1 }' "$base.runs" | sort -g | awk '
	    { v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	echo "$med $(awk '$2 > m { m = $2 } END { print m + 0 }' \
	    "$base.runs") $(entries "$1" "$2")" > "$base.res"
}

fail=0
RUNS="$N0.$FEW $N0.$MANY $N1.$FEW $N1.$MANY $N2.$FEW $N2.$MANY"
for run in $RUNS; do
	n=${run%.*} d=${run#*.}
	say "$run: genmerge $n events, $d paths"
	"$OUT/genmerge" "$n" "$d" "$PROFILE" > "$OUT/merge.$run.log" \
	    2> "$OUT/merge.$run.gen"
	for i in $(seq "$REPEAT"); do
		say "$run: round $i of $REPEAT"
		for tool in $TOOLS; do
			measure "$tool" "$run"
		done
	done
	if [ "$n" -le "$N1" ]; then
		say "$run: python ReadLog"
		measure python "$run"
	else
		echo "- -" > "$OUT/merge.$run.python.runs"
	fi
	for tool in $TOOLS python; do
		if [ "$(cat "$OUT/merge.$run.$tool.runs")" = "- -" ]; then
			echo "- - -" > "$OUT/merge.$run.$tool.res"
		else
			settle "$tool" "$run"
		fi
	done
	read -r _ _ got < "$OUT/merge.$run.aa-evtparse.res"
	[ "$got" = "$n" ] ||
	    say "warning: $run: aa-evtparse wrote $got events, genmerge $n"
	for tool in bm-merge pipeline; do
		read -r s _ got < "$OUT/merge.$run.$tool.res"
		if [ "$s" = timeout ]; then
			say "$run: $tool timed out after ${TMO}s: model not checked"
			fail=1
		elif [ "$got" != "$d" ]; then
			say "$run: $tool's model has $got file entries," \
			    "expected $d ($FILES_JQ)"
			fail=1
		fi
	done
	[ -n "$KEEP" ] || rm -f "$OUT/merge.$run.log" "$OUT/merge.$run.ndjson"
done

# res RUN TOOL FIELD: one field of a result (1 seconds, 2 KB, 3 entries)
res() { cut -d' ' -f"$3" "$OUT/merge.$1.$2.res"; }

{
	echo "## bm-merge beside aa-evtparse and apparmor.logparser.ReadLog"
	echo
	echo "$(uname -r), $(nproc) CPUs; BENCH_SCALE=$SCALE; medians of" \
	    "$REPEAT runs each, taken in turn (ReadLog: one run); timeout ${TMO}s."
	echo
	echo "| events | paths | aa-evtparse s | bm-merge s | pipeline s | ReadLog s | bm/aa | pipeline/aa | ReadLog/pipeline | bm-merge max RSS MiB | model entries |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for run in $RUNS; do
		awk -v n="${run%.*}" -v d="${run#*.}" \
		    -v a="$(res "$run" aa-evtparse 1)" \
		    -v b="$(res "$run" bm-merge 1)" \
		    -v p="$(res "$run" pipeline 1)" \
		    -v r="$(res "$run" python 1)" \
		    -v kb="$(res "$run" bm-merge 2)" \
		    -v e="$(res "$run" bm-merge 3)" '
		function pos(x) { return x > 0 ? x : 0.01 }
		function num(x) { return x == "timeout" || x == "-" }
		function ratio(x, y) {
			return num(x) || num(y) ? "-" : sprintf("%.2fx", pos(x) / pos(y))
		}
		BEGIN {
			printf "| %d | %d | %s | %s | %s | %s | %s | %s | %s | %.1f | %s |\n",
			    n, d, a, b, p, r, ratio(b, a), ratio(p, a),
			    ratio(r, p), kb / 1024, e
		}'
	done
	echo
	echo "bm/aa: bm-merge on the NDJSON over aa-evtparse on the raw log;" \
	    "pipeline/aa: aa-evtparse | bm-merge over aa-evtparse alone;" \
	    "ReadLog/pipeline: ReadLog over the pipeline, both from the raw" \
	    "log.  Model entries: file entries in bm-merge's model (the" \
	    "pipeline's is checked too); expected: the paths column."
	echo
	echo "bm-merge linearity (ideal: time x10 for 10x the events; RSS" \
	    "growing with paths, not with events):"
	echo
	awk -v n1="$N1" -v n2="$N2" -v f="$FEW" -v m="$MANY" \
	    -v t1f="$(res "$N1.$FEW" bm-merge 1)" -v t1m="$(res "$N1.$MANY" bm-merge 1)" \
	    -v t2f="$(res "$N2.$FEW" bm-merge 1)" -v t2m="$(res "$N2.$MANY" bm-merge 1)" \
	    -v k1f="$(res "$N1.$FEW" bm-merge 2)" -v k1m="$(res "$N1.$MANY" bm-merge 2)" \
	    -v k2f="$(res "$N2.$FEW" bm-merge 2)" -v k2m="$(res "$N2.$MANY" bm-merge 2)" '
	function pos(x) { return x > 0 ? x : 0.01 }
	function r(a, b) {
		if (a == "timeout" || b == "timeout") return "n/a (timeout)"
		return sprintf("%.2f", pos(a) / pos(b))
	}
	BEGIN {
		printf "- time(%d)/time(%d): %s with %d paths, %s with %d paths (events ratio %.1f)\n",
		    n2, n1, r(t2f, t1f), f, r(t2m, t1m), m, n2 / n1
		printf "- RSS(%d paths)/RSS(%d paths): %s at %d events, %s at %d events\n",
		    m, f, r(k1m, k1f), n1, r(k2m, k2f), n2
		printf "- RSS(%d events)/RSS(%d events): %s with %d paths, %s with %d paths\n",
		    n2, n1, r(k2f, k1f), f, r(k2m, k1m), m
	}'
} | tee "$OUT/merge.md"
exit $fail
