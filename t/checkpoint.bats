#!/usr/bin/env bats
# A cron job reading a log that logrotate rotates gets every event once.

load helpers

setup() {
	D=$BATS_TEST_TMPDIR/log
	mkdir -p "$D"
	LOG=$D/audit.log
	CK=$BATS_TEST_TMPDIR/ck
	SERIAL=100
}

# Append N AppArmor events (with context records) to the live log.
append() {
	local i
	for i in $(seq "$1"); do
		SERIAL=$((SERIAL + 1))
		printf 'type=AVC msg=audit(1795430%03d.000:%d): apparmor="DENIED" operation="open" profile="p" name="/f%d" pid=1 comm="c"\n' \
		    "$SERIAL" "$SERIAL" "$SERIAL"
		printf 'type=SYSCALL msg=audit(1795430%03d.000:%d): arch=c000003e syscall=257 success=no exit=-13 ppid=1 pid=1 uid=0 exe="/bin/c"\n' \
		    "$SERIAL" "$SERIAL"
		printf 'type=EOE msg=audit(1795430%03d.000:%d): \n' "$SERIAL" "$SERIAL"
	done >> "$LOG"
}

run_cron() {
	evtparse --checkpoint "$CK" "$LOG" >> "$BATS_TEST_TMPDIR/all"
}

serials() {
	jq -r .serial "$BATS_TEST_TMPDIR/all" | tr '\n' ' '
}

@test "three runs across rotations give every event exactly once" {
	append 3
	run_cron				# 101-103
	append 2				# 104-105, then rotate: audit.log.1
	mv "$LOG" "$LOG.1"
	append 2				# 106-107 in the new file
	run_cron
	append 1				# 108, then rotate with compression
	mv "$LOG.1" "$LOG.2"
	gzip "$LOG.2"
	mv "$LOG" "$LOG.1"
	append 1				# 109
	run_cron
	append 2				# 110-111, rotated and compressed at once
	gzip -c "$LOG" > "$LOG.1.gz.tmp"
	rm "$LOG" "$LOG.1"
	mv "$LOG.1.gz.tmp" "$LOG.1.gz"
	append 1				# 112
	run_cron
	run serials
	assert_output '101 102 103 104 105 106 107 108 109 110 111 112 '
	# and a run with nothing new adds nothing
	run_cron
	run serials
	assert_output '101 102 103 104 105 106 107 108 109 110 111 112 '
}

@test "copytruncate: the copy is finished, the truncated file read from its top" {
	append 2
	run_cron
	append 2
	cp "$LOG" "$LOG.1"
	: > "$LOG"
	append 3
	run_cron
	run serials
	assert_output '101 102 103 104 105 106 107 '
}

@test "same inode, new content (copytruncate that grew back) is a new file" {
	append 3
	run_cron
	append 1
	cp "$LOG" "$LOG.1"
	: > "$LOG"		# same inode ...
	SERIAL=200
	append 4		# ... already longer than where the last run stopped
	run_cron
	run serials
	assert_output '101 102 103 104 201 202 203 204 '
}

@test "a line still being written is left for the next run" {
	append 1
	printf 'type=AVC msg=audit(1795430999.000:999): apparmor="DENIED" operation="open" profile="p" na' >> "$LOG"
	run_cron
	printf 'me="/late" pid=1\n' >> "$LOG"
	run_cron
	run serials
	assert_output '101 999 '
}

@test "an unreadable checkpoint is an error, not a silent restart" {
	echo garbage > "$CK"
	append 1
	run --separate-stderr evtparse --checkpoint "$CK" "$LOG"
	[ "$status" -eq 2 ]
	[[ $stderr == *"not an aa-evtparse checkpoint"* ]]
}
