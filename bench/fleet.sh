#!/bin/bash
# Fleet scale-out, measured (deploy/kubernetes, README "Kubernetes" and
# "Sharded archives"):
#   1. one round of the DaemonSet's loop on a busy node's log: time and
#      peak memory of aa-evtparse and bm-merge, for its resource requests;
#   2. the model's size against the Kubernetes object limit (etcd takes
#      1.5 MiB a request; vArmor then keeps the data on disk);
#   3. merge cost as nodes grow: N node models merged and exported;
#   4. GNU parallel over shards of an archive, -j2 on this 2-core
#      machine, against one process: the speed-up, output byte-identical.
# Run from the repo root after `make`; figures go to bench/out/fleet.md.
# Timings are reported, never judged; exit 1 only if a command fails or
# the parallel model differs from the single one.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
B=$PWD/bin
# genlog's logs are a host's: several profiles, denials among them; the
# fleet's figures fold them all, as asked
FOLD="--all-profiles --mode ALLOWED,AUDIT,DENIED,log,errno"
SCALE=${BENCH_SCALE:-1}		# e.g. 0.1 for a quick run
W=$OUT/fleet
mkdir -p "$W"
rm -rf "$W"; mkdir -p "$W"

die() { echo "fleet: $*" >&2; exit 1; }
for t in /usr/bin/time parallel jq cc; do
	command -v "$t" >/dev/null || die "$t missing (make deps)"
done
n() { awk -v s="$SCALE" -v n="$1" 'BEGIN { printf "%d", n * s }'; }
# "SECONDS KB" of a command, its output to $1
measure() {
	local out=$1
	shift
	/usr/bin/time -f '%e %M' -o "$W/time" "$@" > "$out"
	cat "$W/time"
}

cc -O2 -Wall -Wextra -o "$W/genlog" bench/genlog.c
cc -O2 -Wall -Wextra -o "$W/genmerge" bench/genmerge.c

{
echo "# Fleet scale-out ($(date -u +%Y-%m-%d), $(nproc) cores, SCALE=$SCALE)"
echo
echo "## 1. One round of the DaemonSet's loop"
echo
lines=$(n 1000000)
"$W/genlog" "$lines" > "$W/node.log" 2>/dev/null
echo "A node's log of $lines lines ($(du -m "$W/node.log" | cut -f1) MB, genlog): the"
echo "first round reads it whole; later rounds read only what is new."
echo
echo "| step | seconds | peak RSS |"
echo "|---|---|---|"
read -r s kb < <(measure "$W/node.ev" "$B/aa-evtparse" --checkpoint "$W/ck" "$W/node.log")
echo "| aa-evtparse --checkpoint | $s | $((kb / 1024)) MB |"
read -r s kb < <(measure "$W/node.json" "$B/bm-merge" $FOLD "$W/node.ev")
echo "| bm-merge (the node model) | $s | $((kb / 1024)) MB |"
"$W/genlog" "$(n 100000)" > "$W/more.log" 2>/dev/null
cat "$W/more.log" >> "$W/node.log"
read -r s kb < <(measure "$W/more.ev" "$B/aa-evtparse" --checkpoint "$W/ck" "$W/node.log")
echo "| a later round: $(n 100000) new lines | $s | $((kb / 1024)) MB |"
read -r s kb < <(measure "$W/node2.json" "$B/bm-merge" $FOLD "$W/node.json" "$W/more.ev")
echo "| bm-merge (model + new events) | $s | $((kb / 1024)) MB |"
echo
echo "## 2. Model size against the Kubernetes object limit"
echo
echo "| distinct files | native model | --varmor export |"
echo "|---|---|---|"
for d in 1000 5000 10000 20000 50000; do
	d=$(n "$d")
	"$W/genmerge" "$d" "$d" /usr/bin/app 2>/dev/null | "$B/aa-evtparse" |
	    "$B/bm-merge" $FOLD > "$W/size.json"
	"$B/bm-profile" --varmor --name varmor-demo-app "$W/size.json" > "$W/size.varmor" 2>/dev/null
	echo "| $d | $(stat -c %s "$W/size.json") bytes | $(stat -c %s "$W/size.varmor") bytes |"
done
echo
echo "## 3. Merge cost as nodes grow"
echo
echo "Each node model holds 2000 files of its own and 2000 all nodes share"
echo "(genmerge); the job merges them and exports the ArmorProfileModel."
echo
echo "| nodes | seconds | peak RSS | export |"
echo "|---|---|---|---|"
"$W/genmerge" "$(n 4000)" "$(n 4000)" /usr/bin/app 2>/dev/null | "$B/aa-evtparse" > "$W/base.ev"
mkdir -p "$W/models"
for nodes in 1 4 16 64; do
	for i in $(seq "$nodes"); do
		[ -e "$W/models/n$i.json" ] && continue
		# half the paths made this node's own
		awk -v i="$i" 'NR % 2 == 0 { sub(/\/srv\/data\//, "/srv/node" i "/") } { print }' \
		    "$W/base.ev" | "$B/bm-merge" $FOLD > "$W/models/n$i.json"
	done
	read -r s kb < <(measure "$W/merged.varmor" sh -c \
	    "'$B/bm-merge' $FOLD $W/models/n\$(seq -s ' $W/models/n' 1 $nodes | sed 's/ /.json /g').json | '$B/bm-profile' --varmor --name varmor-demo-app 2>/dev/null")
	echo "| $nodes | $s | $((kb / 1024)) MB | $(stat -c %s "$W/merged.varmor") bytes |"
done
echo
echo "## 4. GNU parallel over shards"
echo
shards=8
for i in $(seq "$shards"); do
	# each shard its own stretch of time, as rotated logs are: records
	# of one audit id in two shards would be joined into one event
	"$W/genlog" "$(n 250000)" 2>/dev/null |
	    sed "s/pid=\([0-9]*\)/pid=$i\1/; s/audit(17000/audit(17${i}00/g" > "$W/shard.$i"
done
echo "$shards shards of $(n 250000) lines ($(du -cm "$W"/shard.* | tail -1 | cut -f1) MB in all)."
echo
read -r s0 kb0 < <(measure "$W/one.json" taskset -c 0 sh -c "'$B/aa-evtparse' $W/shard.* | '$B/bm-merge' $FOLD")
read -r s1 kb1 < <(measure "$W/single.json" sh -c "'$B/aa-evtparse' $W/shard.* | '$B/bm-merge' $FOLD")
read -r s2 kb2 < <(measure "$W/par.json" sh -c \
    "parallel -j2 \"'$B/aa-evtparse' {} | '$B/bm-merge' $FOLD\" ::: $W/shard.* | '$B/bm-merge' $FOLD")
for f in one par; do
	cmp -s "$W/single.json" "$W/$f.json" || die "the $f model differs from the single one"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo "| run | seconds | speed-up of parallel -j2 |"
echo "|---|---|---|"
echo "| aa-evtparse and bm-merge on one core (taskset -c 0) | $s0 | $(ratio "$s0" "$s2") |"
echo "| aa-evtparse piped to bm-merge (two processes, both cores) | $s1 | $(ratio "$s1" "$s2") |"
echo "| parallel -j2, each shard piped, bm-merge the reducer | $s2 | |"
echo
echo "Models byte-identical.  The pipe already runs the two stages on the"
echo "two cores at once, so against it the shards gain only the share of the"
echo "slower stage; against one core, what each core added."
} | tee "$OUT/fleet.md"
