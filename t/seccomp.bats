#!/usr/bin/env bats
# Real seccomp records from this kernel: a program under an SCMP_ACT_LOG
# filter, its records read back from the kernel log.

load helpers

setup_file() {
	cc -Wall -Wextra -o "$BATS_FILE_TMPDIR/seccomp-log" \
	    "$BATS_TEST_DIRNAME/progs/seccomp-log.c" -lseccomp
}

# The log lines of one pid's seccomp records: the kernel log (dmesg needs
# root), or audit.log where a system auditd takes the records instead.
kernel_records() {
	local pid=$1 i
	for i in $(seq 50); do
		if pgrep -x auditd >/dev/null; then
			grep "^type=SECCOMP .* pid=$pid " /var/log/audit/audit.log
		else
			dmesg | grep "type=1326 .* pid=$pid "
		fi && return 0
		sleep 0.1
	done
	return 1
}

@test "seccomp records the kernel writes for a logged filter come out as events" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to read the kernel log (dmesg)"
	# the kernel rate-limits audit printk; give our records room
	echo 0 > /proc/sys/kernel/printk_ratelimit 2>/dev/null || true
	pid=$("$BATS_FILE_TMPDIR/seccomp-log")
	kernel_records "$pid" > "$BATS_TEST_TMPDIR/kmsg" ||
	    fail "no seccomp audit record for pid $pid in dmesg"
	run evtparse "$BATS_TEST_TMPDIR/kmsg"
	assert_success
	run jq -c '[.event, .action, .syscall, .comm, .pid, .arch, (.syscall_nr|type), .exe]' \
	    <(evtparse "$BATS_TEST_TMPDIR/kmsg")
	assert_line --index 0 "[\"seccomp\",\"log\",\"getppid\",\"seccomp-log\",$pid,\"$(uname -m)\",\"number\",\"$BATS_FILE_TMPDIR/seccomp-log\"]"
	assert_line --index 1 "[\"seccomp\",\"log\",\"getpgid\",\"seccomp-log\",$pid,\"$(uname -m)\",\"number\",\"$BATS_FILE_TMPDIR/seccomp-log\"]"
}

@test "the same records through the kernel log with dmesg's own prefix and --event" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to read the kernel log (dmesg)"
	pid=$("$BATS_FILE_TMPDIR/seccomp-log")
	kernel_records "$pid" > "$BATS_TEST_TMPDIR/kmsg" || fail "no records"
	run evtparse --event apparmor "$BATS_TEST_TMPDIR/kmsg"
	assert_success
	assert_output ''
	run evtparse --event seccomp --mode log "$BATS_TEST_TMPDIR/kmsg"
	[ "$(grep -c '"action":"log"' <<<"$output")" -eq 2 ]
}

# auditd, started for this test only with its own config and log.
start_auditd() {
	local d=$BATS_TEST_TMPDIR/auditd
	mkdir -p "$d/plugins"
	cat > "$d/auditd.conf" <<-CONF
	local_events = yes
	write_logs = yes
	log_file = $d/audit.log
	log_format = ENRICHED
	flush = SYNC
	plugin_dir = $d/plugins
	space_left = 2
	space_left_action = IGNORE
	admin_space_left = 1
	admin_space_left_action = IGNORE
	disk_full_action = IGNORE
	disk_error_action = IGNORE
	CONF
	AUDIT_WAS=$(auditctl -s | awk '/^enabled/ {print $2}')
	auditd -n -c "$d" 2>"$d/err" &
	AUDITD=$!
	for _ in $(seq 50); do [ -s "$d/audit.log" ] && return 0; sleep 0.1; done
	return 1
}

teardown() {
	if [ -n "${AUDITD:-}" ]; then
		kill "$AUDITD" 2>/dev/null; wait "$AUDITD" 2>/dev/null || true
		auditctl -e "${AUDIT_WAS:-0}" >/dev/null 2>&1 || true
	fi
}

@test "the same records written by auditd (enriched format) come out as events" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run auditd"
	log=/var/log/audit/audit.log
	if ! pgrep -x auditd >/dev/null; then
		start_auditd || fail "auditd did not start: $(cat "$BATS_TEST_TMPDIR/auditd/err")"
		log=$BATS_TEST_TMPDIR/auditd/audit.log
	fi
	pid=$("$BATS_FILE_TMPDIR/seccomp-log")
	for _ in $(seq 50); do
		[ "$(grep -c "^type=SECCOMP .* pid=$pid " "$log")" -ge 2 ] && break
		sleep 0.1
	done
	run jq -c "select(.pid == $pid) | [.event, .action, .syscall, .comm]" <(evtparse "$log")
	assert_output '["seccomp","log","getppid","seccomp-log"]
["seccomp","log","getpgid","seccomp-log"]'
}
