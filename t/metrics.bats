#!/usr/bin/env bats
# --metrics: a run's figures for Prometheus, checked by promtool and read
# back through a real node_exporter's textfile collector.

load helpers

setup() {
	M=$BATS_TEST_TMPDIR/textfile
	mkdir -p "$M"
}

teardown() {
	[ -z "${NE_PID:-}" ] || kill "$NE_PID" 2>/dev/null || true
}

# The value of the sample NAME{LABELS} in FILE.
sample() {
	awk -v want="$1" '$1 == want { print $2 }' "$2"
}

@test "aa-evtparse --metrics: promtool passes it, and its counts are the output's" {
	run evtparse --metrics "$M/aa.prom" -o "$BATS_TEST_TMPDIR/ev" \
	    "$DATA/sample.log" "$DATA/lost/kern.log"
	assert_success
	run promtool check metrics < "$M/aa.prom"
	assert_success
	local mode n
	for mode in DENIED ALLOWED STATUS; do
		n=$(jq -r "select(.apparmor == \"$mode\")" "$BATS_TEST_TMPDIR/ev" | grep -c '^{' || true)
		[ "$(sample "aa_evtparse_last_run_events{kind=\"apparmor\",mode=\"$mode\"}" "$M/aa.prom")" = "$n" ] ||
		    fail "$mode: $(grep "$mode" "$M/aa.prom")"
	done
	n=$(jq -r 'select(.event == "seccomp" and .action == "log")' "$BATS_TEST_TMPDIR/ev" | grep -c '^{')
	[ "$(sample 'aa_evtparse_last_run_events{kind="seccomp",mode="log"}' "$M/aa.prom")" = "$n" ]
	n=$(jq -r 'select(.event == "lost" and .reason == "backlog_limit")' "$BATS_TEST_TMPDIR/ev" | grep -c '^{')
	[ "$(sample 'aa_evtparse_last_run_loss_reports{reason="backlog_limit"}' "$M/aa.prom")" = "$n" ]
	[ "$(sample aa_evtparse_last_run_lines "$M/aa.prom")" = "$(cat "$DATA/sample.log" "$DATA/lost/kern.log" | wc -l)" ]
	[ "$(sample aa_evtparse_last_run_exit_status "$M/aa.prom")" = 0 ]
	# counts only: node_exporter, another user, reads it
	[ "$(stat -c %a "$M/aa.prom")" = 644 ]
}

@test "a failed run says so and keeps the last success; the file is replaced whole" {
	local ok ino
	evtparse --metrics "$M/aa.prom" "$DATA/sample.log" > /dev/null
	ok=$(sample aa_evtparse_last_success_timestamp_seconds "$M/aa.prom")
	[ -n "$ok" ] && [ "$ok" != 0 ]
	ino=$(stat -c %i "$M/aa.prom")
	printf 'type=AVC msg=audit(1795430001.000:1): apparmor="DENIED" name="/x\n' > "$BATS_TEST_TMPDIR/bad.log"
	run evtparse --strict --metrics "$M/aa.prom" "$BATS_TEST_TMPDIR/bad.log"
	assert_failure 2
	[ "$(sample aa_evtparse_last_run_exit_status "$M/aa.prom")" = 2 ]
	[ "$(sample aa_evtparse_last_success_timestamp_seconds "$M/aa.prom")" = "$ok" ]
	[ "$(stat -c %i "$M/aa.prom")" != "$ino" ]	# renamed over, not rewritten
	run promtool check metrics < "$M/aa.prom"
	assert_success
	# no temporary file is left
	run ls "$M"
	assert_output aa.prom
	# a directory it cannot write: said before anything is read
	run evtparse --metrics "$BATS_TEST_TMPDIR/none/aa.prom" "$DATA/sample.log"
	assert_failure 2
	assert_output --partial 'none/aa.prom'
	refute_output --partial '"event"'
}

@test "bm-merge --metrics: promtool passes it" {
	evtparse "$DATA/sample.log" | merge --metrics "$M/bm.prom" --all-profiles --mode ALLOWED,DENIED,log > /dev/null
	run promtool check metrics < "$M/bm.prom"
	assert_success
	[ "$(sample 'bm_merge_last_run_learnt{kind="apparmor"}' "$M/bm.prom")" = \
	    "$(evtparse "$DATA/sample.log" | jq -r 'select(.apparmor == "ALLOWED" or .apparmor == "DENIED") | .serial' | wc -l)" ]
	[ "$(sample bm_merge_last_run_exit_status "$M/bm.prom")" = 0 ]
	# nothing learnt (exit 1) is no success
	run bash -c "'$BIN/bm-merge' --metrics '$M/bm2.prom' < /dev/null"
	assert_failure 1
	[ "$(sample bm_merge_last_run_exit_status "$M/bm2.prom")" = 1 ]
	[ "$(sample bm_merge_last_success_timestamp_seconds "$M/bm2.prom")" = 0 ]
}

@test "node_exporter's textfile collector serves both files on 127.0.0.1" {
	local port out=$BATS_TEST_TMPDIR/scrape i
	evtparse --metrics "$M/aa.prom" "$DATA/sample.log" > /dev/null
	evtparse "$DATA/sample.log" | merge --metrics "$M/bm.prom" --all-profiles > /dev/null
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
	    --collector.disable-defaults --collector.textfile \
	    --collector.textfile.directory="$M" > "$BATS_TEST_TMPDIR/ne.log" 2>&1 &
	NE_PID=$!
	for i in $(seq 50); do
		curl -fsS "http://127.0.0.1:$port/metrics" > "$out" 2>/dev/null && break
		sleep 0.1
	done
	[ -s "$out" ] || fail "node_exporter: $(cat "$BATS_TEST_TMPDIR/ne.log")"
	[ "$(sample node_textfile_scrape_error "$out")" = 0 ]
	[ "$(sample 'aa_evtparse_last_run_events{kind="apparmor",mode="DENIED"}' "$out")" = \
	    "$(sample 'aa_evtparse_last_run_events{kind="apparmor",mode="DENIED"}' "$M/aa.prom")" ]
	[ "$(sample bm_merge_last_run_exit_status "$out")" = 0 ]
	grep -q '^node_textfile_mtime_seconds{file="aa.prom"}' "$out" ||
	    grep -q "^node_textfile_mtime_seconds{file=\"$M/aa.prom\"}" "$out"
}
