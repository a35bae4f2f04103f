#!/bin/sh
# Seeds for a harness: the tests' fixtures and the shared corpus, one
# file each, in DIR.  Usage: fuzz/seeds.sh HARNESS DIR
set -eu
h=$1 dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
case $h in
auditlog)
	for f in "$root"/t/data/*.log "$root"/t/data/formats/* \
	    "$root"/t/data/lost/* "$root"/../shared/corpus/apparmor-test_multi/*.in; do
		[ -f "$f" ] && cp "$f" "$dir/$(basename "$f")"
	done ;;
events|model)
	for f in "$root"/t/data/*.log "$root"/t/data/formats/*.log; do
		[ -f "$f" ] || continue
		"$root"/bin/aa-evtparse "$f" > "$dir/$(basename "$f").ev" 2>/dev/null || true
		[ "$h" = model ] && "$root"/bin/bm-merge "$dir/$(basename "$f").ev" \
		    > "$dir/$(basename "$f").model" 2>/dev/null && rm -f "$dir/$(basename "$f").ev"
	done
	cp "$root"/t/data/varmor-current.json "$dir/"
	[ "$h" = events ] && cp "$root"/t/data/flat/edge.ndjson "$dir/"
	: ;;
catalog)
	cp "$root"/catalog/bm-rules.json "$dir/"
	f=$root/../shared/corpus/varmor/built-in-rules.json
	[ -f "$f" ] && cp "$f" "$dir/varmor-rules.json" ;;
esac
