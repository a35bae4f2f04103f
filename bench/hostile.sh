#!/bin/bash
# Hostile sizes, linear or not: one audit line with N and 2N key=value
# pairs (aa-evtparse; laurel and ausearch beside it), and a catalog of N
# and 2N rules (bm-advise).  Reports each time and the ratio t(2N)/t(N):
# about 2 is linear, about 4 quadratic.  Never judged; run after make.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
mkdir -p "$OUT"
secs() {	# wall seconds, to the millisecond
	local t0 t1
	t0=$(date +%s%N)
	"$@" > /dev/null 2>&1 || true
	t1=$(date +%s%N)
	awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 }'
}

# An AVC whose body holds N distinct keys before its own fields.
keys_line() {
	awk -v n="$1" 'BEGIN {
		printf "type=AVC msg=audit(1795966512.259:1): apparmor=\"DENIED\" operation=\"open\" profile=\"p\" name=\"/x\"";
		for (i = 0; i < n; i++) printf " k%d=%d", i, i;
		printf " pid=1 comm=\"a\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0\n" }'
}

# N rules of vArmor's catalog schema, each its own id.
catalog() {
	jq -c --argjson n "$1" '{escape_pattern: [range($n) as $i |
	    .escape_pattern[0] | .id = "rule-\($i)"]}' catalog/bm-rules.json
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }'; }

echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{}}}' > "$OUT/empty.json"
printf '%-34s %8s %8s %6s\n' "input" "N s" "2N s" "ratio"
for n in 40000; do
	keys_line $((n / 2)) > "$OUT/keys1.log"
	keys_line "$n" > "$OUT/keys2.log"
	a=$(secs bin/aa-evtparse "$OUT/keys1.log"); b=$(secs bin/aa-evtparse "$OUT/keys2.log")
	printf '%-34s %8s %8s %6s\n' "aa-evtparse, $((n / 2))/$n keys" "$a" "$b" "$(ratio "$a" "$b")"
	if command -v ausearch >/dev/null; then
		a=$(secs ausearch -i -if "$OUT/keys1.log"); b=$(secs ausearch -i -if "$OUT/keys2.log")
		printf '%-34s %8s %8s %6s\n' "ausearch -i, $((n / 2))/$n keys" "$a" "$b" "$(ratio "$a" "$b")"
	fi
done
for n in 100000; do
	catalog $((n / 2)) > "$OUT/cat1.json"
	catalog "$n" > "$OUT/cat2.json"
	a=$(secs bin/bm-advise --catalog "$OUT/cat1.json" AppArmor "$OUT/empty.json")
	b=$(secs bin/bm-advise --catalog "$OUT/cat2.json" AppArmor "$OUT/empty.json")
	printf '%-34s %8s %8s %6s\n' "bm-advise, $((n / 2))/$n rules" "$a" "$b" "$(ratio "$a" "$b")"
done
