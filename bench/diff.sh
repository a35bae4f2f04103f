#!/bin/bash
# Benchmark bm-diff: a 200k-entry approved model against a 200k-entry
# new model, beside the time bm-merge takes to read the same two models
# (the issue's yardstick) and beside jq computing the same set difference
# of paths by exact match (what a CI script would do without bm-diff).
# Cases: every path approved literally; the approved model widened to
# one glob a directory (/srv/data/dA/sB/*), 2k patterns for 200k paths.
# Run from the repo root after `make`.  Timings are reported, never
# judged; exit 1 only if a command fails or an answer is wrong.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
BIN=$PWD/bin
N=${BENCH_DIFF_N:-200000}
mkdir -p "$OUT"
rm -f "$OUT"/diff.*
die() { echo "diff: $*" >&2; exit 1; }
say() { echo "diff: $*" >&2; }
if ! [ -x "$OUT/genmerge" ] || [ bench/genmerge.c -nt "$OUT/genmerge" ]; then
	cc -O2 -Wall -Wextra -o "$OUT/genmerge" bench/genmerge.c
fi

say "models of $N paths"
"$OUT/genmerge" "$N" "$N" 2>/dev/null | "$BIN/aa-evtparse" | "$BIN/bm-merge" > "$OUT/diff.new.json"
cp "$OUT/diff.new.json" "$OUT/diff.approved.json"
jq -c '.data.dynamicResult.appArmor.files |= ([.[] | .path |= sub("/f[0-9]+\\.txt$"; "/*")
    | .permissions = ["r", "w"] | .owner = false] | unique)' \
    "$OUT/diff.new.json" > "$OUT/diff.glob.json"
[ "$(jq '.data.dynamicResult.appArmor.files | length' "$OUT/diff.glob.json")" -lt "$N" ] ||
    die "the glob model did not widen"

# time_of CMD...: "seconds peakKB" of one run, its output to $OUT/diff.last
time_of() {
	/usr/bin/time -f '%e %M' -o "$OUT/diff.time" "$@" > "$OUT/diff.last" || [ $? -eq 1 ]
	cat "$OUT/diff.time"
}

read -r ms mk < <(time_of "$BIN/bm-merge" "$OUT/diff.approved.json" "$OUT/diff.new.json")
read -r ds dk < <(time_of "$BIN/bm-diff" "$OUT/diff.approved.json" "$OUT/diff.new.json")
[ ! -s "$OUT/diff.last" ] || die "bm-diff found new entries in the same model"
read -r gs gk < <(time_of "$BIN/bm-diff" "$OUT/diff.glob.json" "$OUT/diff.new.json")
[ ! -s "$OUT/diff.last" ] || die "bm-diff: the globs do not cover their paths"
read -r us uk < <(time_of "$BIN/bm-diff" --unused "$OUT/diff.glob.json" "$OUT/diff.new.json")
read -r js jk < <(time_of jq -n --slurpfile a "$OUT/diff.approved.json" --slurpfile b "$OUT/diff.new.json" \
    '($a[0].data.dynamicResult.appArmor.files | map({key: .path, value: true}) | from_entries) as $ok
     | $b[0].data.dynamicResult.appArmor.files[] | select($ok[.path] == null)')
[ ! -s "$OUT/diff.last" ] || die "jq found new entries in the same model"

{
	echo "## bm-diff"
	echo
	echo "$(uname -r), $(nproc) CPUs; $N file entries on each side; one run each."
	echo
	echo "| command | seconds | max RSS MiB | time/bm-merge |"
	echo "|---|---:|---:|---:|"
	awk -v ms="$ms" -v mk="$mk" -v ds="$ds" -v dk="$dk" -v gs="$gs" -v gk="$gk" \
	    -v us="$us" -v uk="$uk" -v js="$js" -v jk="$jk" 'function row(l, s, k) {
		printf "| %s | %.2f | %.1f | %.2fx |\n", l, s, k / 1024, s / (ms > 0 ? ms : 0.01)
	} BEGIN {
		row("bm-merge approved new (reading both)", ms, mk)
		row("bm-diff approved new (literal paths)", ds, dk)
		row("bm-diff approved new (2k globs)", gs, gk)
		row("bm-diff --unused (2k globs)", us, uk)
		row("jq: new paths by exact match only", js, jk)
	}'
} > "$OUT/diff.md"
cat "$OUT/diff.md"
