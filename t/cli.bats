#!/usr/bin/env bats
# Command-line conventions shared by every tool, and aa-evtparse's filters.

load helpers

@test "aa-evtparse: --help, --version, and one usage line for bad options" {
	assert_cli aa-evtparse --bogus '--event selinux' '--since yesterday' '--mode ,'
}

@test "-o writes the events to a file" {
	run evtparse -o "$BATS_TEST_TMPDIR/out" "$DATA/sample.log"
	assert_success
	assert_output ''
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -eq 8 ]
	run diff "$BATS_TEST_TMPDIR/out" <(evtparse "$DATA/sample.log")
	assert_success
}

@test "--event and --mode choose events" {
	run jq -r .serial <(evtparse --event seccomp "$DATA/sample.log")
	assert_output 131
	run jq -r .serial <(evtparse --mode allowed,STATUS "$DATA/sample.log")
	assert_output '102
118'
	run jq -r .serial <(evtparse --mode denied,log "$DATA/sample.log")
	assert_output '115
121
125
131
140
141'
}

@test "--profile takes the profile and its children, not its namesakes" {
	printf '%s\n' \
	    'type=AVC msg=audit(1.000:1): apparmor="DENIED" operation="open" profile="web" name="/a" pid=1' \
	    'type=AVC msg=audit(1.000:2): apparmor="DENIED" operation="open" profile="web//null-/bin/sh" name="/a" pid=1' \
	    'type=AVC msg=audit(1.000:3): apparmor="DENIED" operation="open" profile="webby" name="/a" pid=1' \
	    'type=AVC msg=audit(1.000:4): apparmor="DENIED" operation="open" profile=77656220 name="/a" pid=1' \
	    'type=SECCOMP msg=audit(1.000:5): pid=1 subj=web (enforce) arch=c000003e syscall=1 code=0x7ffc0000' \
	    'type=SECCOMP msg=audit(1.000:6): pid=1 subj=unconfined arch=c000003e syscall=1 code=0x7ffc0000' > "$BATS_TEST_TMPDIR/log"
	run jq -r .serial <(evtparse --profile web "$BATS_TEST_TMPDIR/log")
	assert_output '1
2
5'
}

@test "--since and --until take epoch seconds or ISO 8601 dates" {
	run jq -r .serial <(evtparse --since 1795430006 --until 1795430010.100 "$DATA/sample.log")
	assert_output '118
121
125
131'
	run jq -r .serial <(evtparse --since 2026-11-23T10:33:30Z "$DATA/sample.log")
	assert_output '140
141'
}

@test "--stats counts on stderr" {
	run --separate-stderr evtparse --stats --event apparmor "$DATA/sample.log"
	assert_success
	[ "$stderr" = "aa-evtparse: 17 lines, 17 audit records, 7 apparmor events, 0 seccomp events, 1 filtered out, 0 loss reports, 0 by untrusted programs, 0 malformed" ]
}

@test "files in a different order give the same events" {
	local a=$DATA/formats/auditd.log b=$DATA/sample.log
	run diff <(evtparse "$a" "$b" | sort) <(evtparse "$b" "$a" | sort)
	assert_success
	run diff <(evtparse "$b") <(evtparse "$b")
	assert_success
}

@test "-f follows a growing, rotated log like tail -F" {
	local log=$BATS_TEST_TMPDIR/audit.log out=$BATS_TEST_TMPDIR/out
	: > "$log"
	"$BIN/aa-evtparse" -f "$log" > "$out" &
	local pid=$!
	line='type=AVC msg=audit(1795430001.000:%d): apparmor="DENIED" operation="open" profile="p" name="/x" pid=1'
	# wait until it has the file open
	for _ in $(seq 100); do
		ls -l /proc/$pid/fd 2>/dev/null | grep -q "$log" && break
		sleep 0.1
	done
	printf "$line\n" 1 >> "$log"
	printf "$line\n" 2 >> "$log"
	for _ in $(seq 50); do [ "$(wc -l < "$out")" -ge 2 ] && break; sleep 0.1; done
	mv "$log" "$log.1"
	printf "$line\n" 3 >> "$log.1"	# written to the old file after rotation
	printf "$line\n" 4 > "$log"
	for _ in $(seq 50); do [ "$(wc -l < "$out")" -ge 4 ] && break; sleep 0.1; done
	kill -TERM "$pid"
	wait "$pid"
	run jq -r .serial "$out"
	assert_output '1
2
3
4'
}

@test "the man page documents every option and renders cleanly" {
	local opt
	run mandoc -T lint -W warning "$ROOT/man/aa-evtparse.1"
	assert_success
	for opt in event mode profile since until checkpoint lock-wait trust follow stats strict output help version; do
		grep -q -- "$opt" "$ROOT/man/aa-evtparse.1" || fail "--$opt not in the man page"
	done
}
