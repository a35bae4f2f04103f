#!/usr/bin/env bats
# Ctrl-C on a pipeline reaches every process of it.  A producer that
# drains on SIGINT (as bpf-mountwatch does) ends the pipe; the filters
# finish their input and write their output.  A second SIGINT ends them.

load helpers

EV1='{"event":"seccomp","arch":"x86_64","syscall":"read"}'
EV2='{"event":"seccomp","arch":"x86_64","syscall":"write"}'

# A producer that writes one event, waits, and on SIGINT writes its
# last event and exits, as a draining watcher does.
producer() {
	trap "echo '$EV2'; exit 0" INT
	echo "$EV1"
	while :; do sleep 0.05; done
}

@test "Ctrl-C on producer | bm-merge: the model holds every event, written once" {
	export -f producer tool merge
	export EV1 EV2 BIN VALGRIND
	# a job started with & ignores SIGINT; a terminal's would not
	setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' \
	    bash -c 'producer | merge > "$0" 2> "$0.err"' "$BATS_TEST_TMPDIR/model" &
	local leader=$!
	sleep 1
	kill -INT -- -"$leader"
	wait "$leader" || fail "the pipeline ended with status $?"
	run jq -c '.data.dynamicResult.seccomp.syscalls' "$BATS_TEST_TMPDIR/model"
	assert_output '["read","write"]'
	grep -q 'interrupted: finishing the input' "$BATS_TEST_TMPDIR/model.err"
}

@test "a second SIGINT stops a filter at once, with no output" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	"$BIN/bm-merge" "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/out" 2>/dev/null &
	local pid=$!
	exec 5> "$BATS_TEST_TMPDIR/fifo"
	echo "$EV1" >&5
	sleep 0.3
	kill -INT "$pid"
	sleep 0.2
	kill -INT "$pid"
	local status=0
	wait "$pid" || status=$?
	exec 5>&-
	[ "$status" -eq 130 ] || fail "status $status"
	[ ! -s "$BATS_TEST_TMPDIR/out" ]
}

@test "aa-evtparse and bm-profile finish their input on the first SIGINT too" {
	mkfifo "$BATS_TEST_TMPDIR/log" "$BATS_TEST_TMPDIR/model"
	"$BIN/aa-evtparse" "$BATS_TEST_TMPDIR/log" > "$BATS_TEST_TMPDIR/ev" 2>/dev/null &
	local ev=$!
	"$BIN/bm-profile" --seccomp "$BATS_TEST_TMPDIR/model" > "$BATS_TEST_TMPDIR/sc" 2>/dev/null &
	local sc=$!
	exec 5> "$BATS_TEST_TMPDIR/log" 6> "$BATS_TEST_TMPDIR/model"
	sleep 0.3
	kill -INT "$ev" "$sc"
	sleep 0.2
	head -1 "$DATA/formats/auditd.log" >&5
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"seccomp":{"syscalls":["uname"]}}}}' >&6
	exec 5>&- 6>&-
	wait "$ev" "$sc"
	[ -s "$BATS_TEST_TMPDIR/ev" ]
	run jq -r '.syscalls[0].names | index("uname") != null' "$BATS_TEST_TMPDIR/sc"
	assert_output true
}
