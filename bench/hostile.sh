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

# Issue 24's crafted inputs, each at N and 2N, with peak RSS (GNU time):
# records sharing one audit id (aa-evtparse; ausearch beside it), lines
# of "[" (bm-merge), an approved glob of many ** against a long path
# (bm-diff).
rss() {	# peak RSS in MB
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 |
	    awk '{ printf "%.0f", $1 / 1024 }'
}
one_id() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < 4 * n; i++)
			printf "type=AVC msg=audit(1795430005.731:115): apparmor=\"ALLOWED\" operation=\"open\" profile=\"web\" name=\"/srv/f%d\" pid=1 comm=\"a\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0\n", i;
		for (i = 0; i < n; i++)
			print "type=SYSCALL msg=audit(1795430005.731:115): arch=c000003e syscall=2 success=yes exit=3 ppid=1 pid=2 auid=0 uid=0 gid=0 euid=0 ses=1 comm=\"x\" exe=\"/bin/x\"" }'
}
printf '\n%-34s %8s %8s %6s %8s %8s\n' "input" "N s" "2N s" "ratio" "N MB" "2N MB"
row() {	# label, then the command with @ for the input, inputs N and 2N
	local label=$1 cmd=$2 a b
	a=$(secs ${cmd//@/$3}); b=$(secs ${cmd//@/$4})
	printf '%-34s %8s %8s %6s %8s %8s\n' "$label" "$a" "$b" "$(ratio "$a" "$b")" \
	    "$(rss ${cmd//@/$3})" "$(rss ${cmd//@/$4})"
}
one_id 20000 > "$OUT/id1.log"
one_id 40000 > "$OUT/id2.log"
row "aa-evtparse, 100k/200k of one id" "bin/aa-evtparse @" "$OUT/id1.log" "$OUT/id2.log"
command -v ausearch >/dev/null &&
    row "ausearch -i, 100k/200k of one id" "ausearch -i -if @" "$OUT/id1.log" "$OUT/id2.log"
head -n 100000 < <(yes '[') > "$OUT/br1"
head -n 200000 < <(yes '[') > "$OUT/br2"
row "bm-merge, 100k/200k lines of [" "bin/bm-merge @" "$OUT/br1" "$OUT/br2"
jq -cn '{kind: "ArmorProfileModel", data: {dynamicResult: {appArmor: {files:
    [{path: "/srv/**g**g**g**g**h", permissions: ["r"]}]}}}}' > "$OUT/stars.json"
for n in 2000 4000; do
	jq -cn --arg p "/srv/$(head -c "$n" /dev/zero | tr '\0' g)x" \
	    '{event: "apparmor", apparmor: "ALLOWED", operation: "open", profile: "web",
	      name: $p, requested_mask: "r", denied_mask: "r", fsuid: 0, ouid: 0}' > "$OUT/long$n"
done
row "bm-diff, /srv/**g**g**g**g**h 2k/4k" "bin/bm-diff $OUT/stars.json @" "$OUT/long2000" "$OUT/long4000"

# Processes under one learning profile (issue 25): each runs one of 20
# programs and opens four files, one named by its pid.  bm-merge keeps
# each process's events apart until all input is read, to give them to
# the program its exec records say: time and memory both grow with N.
procs() {
	awk -v n="$1" 'BEGIN {
		for (p = 1000; p < 1000 + n; p++) {
			printf "{\"event\":\"apparmor\",\"apparmor\":\"AUDIT\",\"time\":1795430005,\"serial\":%d,\"operation\":\"exec\",\"profile\":\"web\",\"name\":\"/usr/bin/p%d\",\"pid\":%d,\"requested_mask\":\"x\",\"target\":\"web\"}\n", s++, p % 20, p;
			for (i = 0; i < 4; i++)
				printf "{\"event\":\"apparmor\",\"apparmor\":\"ALLOWED\",\"time\":1795430005,\"serial\":%d,\"operation\":\"open\",\"profile\":\"web\",\"name\":\"/srv/f%d.%d\",\"pid\":%d,\"requested_mask\":\"r\",\"denied_mask\":\"r\",\"fsuid\":0,\"ouid\":0}\n", s++, i, i ? 7 : p, p;
		} }'
}
procs 50000 > "$OUT/procs1"
procs 100000 > "$OUT/procs2"
row "bm-merge, 50k/100k processes" "bin/bm-merge @" "$OUT/procs1" "$OUT/procs2"
