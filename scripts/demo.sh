#!/bin/sh
# make demo: the main pipeline on the bundled sample log.
set -eu
cd "$(dirname "$0")/.."

sample=t/data/sample.log
echo "== aa-evtparse $sample"
bin/aa-evtparse "$sample"
echo
echo "== aa-evtparse $sample | bm-merge"
bin/aa-evtparse "$sample" | bin/bm-merge
