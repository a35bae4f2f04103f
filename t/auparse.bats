#!/usr/bin/env bats
# aa-evtparse against libauparse, auditd's own parser: the same records,
# the same fields, every difference known and said why (t/auparse_diff.py,
# t/data/auparse/known.txt).

load helpers

setup_file() {
	export DUMP=$BATS_FILE_TMPDIR/auparse-dump
	cc -Wall -Wextra -o "$DUMP" "$BATS_TEST_DIRNAME/progs/auparse-dump.c" \
	    -lauparse
}

inputs() {
	find "$DATA" \( -name '*.log' -o -name '*.log.gz' \) | sort
	ls "$CORPUS"/apparmor-test_multi/*.in "$ROOT"/fuzz/corpus/auditlog/*
}

@test "every record of t/data, the shared corpus and the fuzz corpus: libauparse's fields, or a listed reason" {
	mapfile -t files < <(inputs)
	[ "${#files[@]}" -gt 100 ]
	run python3 "$BATS_TEST_DIRNAME/auparse_diff.py" "$BIN/aa-evtparse" \
	    "$DUMP" "$DATA/auparse/known.txt" "${files[@]}"
	assert_success
	assert_output --regexp '^[0-9]+ files, [0-9]{3,} events, [0-9]{4,} fields; [0-9]+ kinds of difference, all listed$'
}

@test "the comparison finds a field read wrong, and a listed difference that went away" {
	local wrong=$BATS_TEST_TMPDIR/aa-wrong
	# an aa-evtparse that gets comm wrong, and leaves a protocol number
	# unnamed as libauparse does
	cat > "$wrong" <<-EOF2
	#!/bin/sh
	"$BIN/aa-evtparse" "\$@" | jq -c 'if .comm then .comm += "x" else . end |
	    if .protocol_nr then .protocol = .protocol_nr | del(.protocol_nr)
	    else . end'
	EOF2
	chmod +x "$wrong"
	mapfile -t files < <(inputs)
	run python3 "$BATS_TEST_DIRNAME/auparse_diff.py" "$wrong" "$DUMP" \
	    "$DATA/auparse/known.txt" "${files[@]}"
	assert_failure 1
	assert_line --regexp '^not listed: value comm \([0-9]+\), e\.g\. .*comm="[^"]*x", libauparse '
	assert_line 'listed, no longer found: named protocol'
}
