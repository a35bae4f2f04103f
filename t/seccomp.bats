#!/usr/bin/env bats
# Real seccomp records from this kernel: a program under an SCMP_ACT_LOG
# filter, its records read back from the kernel log.

load helpers

setup_file() {
	cc -Wall -Wextra -o "$BATS_FILE_TMPDIR/seccomp-log" \
	    "$BATS_TEST_DIRNAME/progs/seccomp-log.c" -lseccomp
	cc -Wall -Wextra -o "$BATS_FILE_TMPDIR/seccomp-oci" \
	    "$BATS_TEST_DIRNAME/progs/seccomp-oci.c" -lseccomp -lcjson
	cc -Wall -Wextra -o "$BATS_FILE_TMPDIR/seccomp-probe" \
	    "$BATS_TEST_DIRNAME/progs/seccomp-probe.c"
}

@test "seccomp records the kernel writes for a logged filter come out as events" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to read the kernel log (dmesg)"
	# the kernel rate-limits audit printk; give our records room
	echo 0 > /proc/sys/kernel/printk_ratelimit 2>/dev/null || true
	pid=$("$BATS_FILE_TMPDIR/seccomp-log")
	seccomp_records " pid=$pid " > "$BATS_TEST_TMPDIR/kmsg" ||
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
	seccomp_records " pid=$pid " > "$BATS_TEST_TMPDIR/kmsg" || fail "no records"
	run evtparse --event apparmor "$BATS_TEST_TMPDIR/kmsg"
	[ "$status" -eq 1 ]
	assert_output 'aa-evtparse: no event passed the filters: 2 filtered out by --event, --mode, --since, --until, --pid, --uid, --comm or --exe'
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

@test "end to end: the syscalls a program was logged making become the only ones it may make" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to read the kernel log (dmesg)"
	echo 0 > /proc/sys/kernel/printk_ratelimit 2>/dev/null || true
	local oci=$BATS_FILE_TMPDIR/seccomp-oci probe=$BATS_FILE_TMPDIR/seccomp-probe
	local T=$BATS_TEST_TMPDIR pid
	# every syscall of the probe, from its execve, under SCMP_ACT_LOG
	"$oci" --log "$probe" > "$T/out" &
	pid=$!
	wait "$pid"
	[ "$(cat "$T/out")" = ok ]
	for _ in $(seq 50); do
		seccomp_records " pid=$pid " > "$T/kmsg" && evtparse "$T/kmsg" > "$T/ev" &&
		    grep -q '"syscall":"exit_group"' "$T/ev" && break
		sleep 0.1
	done
	grep -q '"syscall":"exit_group"' "$T/ev" || fail "no exit_group record for pid $pid"
	# the observed calls alone, no baseline: nothing else is allowed
	merge "$T/ev" | tool bm-profile --seccomp --baseline /dev/null > "$T/profile.json"
	run jq -r '.syscalls[0].names | index("pread64") != null, index("sysinfo") == null' "$T/profile.json"
	assert_output 'true
true'
	run "$oci" "$T/profile.json" "$probe"
	assert_success
	assert_output ok
	run "$oci" "$T/profile.json" "$probe" --extra
	[ "$status" -eq 3 ] || fail "status $status: $output"
	assert_output 'sysinfo: Operation not permitted'
	# and with the runtime baseline, the same
	merge "$T/ev" | tool bm-profile --seccomp > "$T/baseline.json"
	run "$oci" "$T/baseline.json" "$probe" --extra
	[ "$status" -eq 3 ]
}
