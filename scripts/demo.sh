#!/bin/sh
# make demo: the main pipeline on the bundled sample log.
set -eu
cd "$(dirname "$0")/.."

sample=t/data/sample.log
echo "== aa-evtparse $sample"
bin/aa-evtparse "$sample"
echo
echo "== aa-evtparse $sample | bm-merge"
echo "   (what the workload was let do; its denials, maybe an attack's, are"
echo "   learnt only when asked: bm-merge --mode ALLOWED,DENIED)"
bin/aa-evtparse "$sample" | bin/bm-merge | tee "${TMPDIR:-/tmp}/bm-demo-model.json"
echo
echo "== ... | bm-profile --apparmor"
bin/bm-profile --apparmor "${TMPDIR:-/tmp}/bm-demo-model.json"
echo
echo "== ... | bm-profile --seccomp"
bin/bm-profile --seccomp "${TMPDIR:-/tmp}/bm-demo-model.json"
rm -f "${TMPDIR:-/tmp}/bm-demo-model.json"
