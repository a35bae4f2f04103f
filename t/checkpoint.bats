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

# Every event once, each with its SYSCALL context (exe), in order.
assert_once_whole() {
	run serials
	assert_output "$1"
	run jq -r 'select(.exe != "/bin/c") | .serial' "$BATS_TEST_TMPDIR/all"
	assert_output ''
}

# auditd's own rotation (num_logs): audit.log -> .1 -> .2 -> ...
rotate_auditd() {
	local n
	for n in 4 3 2 1; do
		[ ! -e "$LOG.$n" ] || mv "$LOG.$n" "$LOG.$((n + 1))"
	done
	mv "$LOG" "$LOG.1"
}

@test "auditd's rotation: two rotations between runs, the older file gzipped later" {
	append 3
	run_cron				# 101-103
	append 2				# 104-105 stay in what becomes .2
	rotate_auditd
	append 2				# 106-107 in what becomes .1
	rotate_auditd
	append 2				# 108-109 in the live file
	gzip "$LOG.2"				# compressed later: a new inode
	run_cron
	append 1
	rotate_auditd
	: > "$LOG"				# auditd opens a new log
	rotate_auditd				# and rotates it again, empty
	: > "$LOG"
	run_cron
	assert_once_whole '101 102 103 104 105 106 107 108 109 110 '
	run_cron
	assert_once_whole '101 102 103 104 105 106 107 108 109 110 '
}

@test "two rotations in one tick of the file clock: siblings read in the order of their records" {
	local now
	append 3
	run_cron				# 101-103
	append 2				# 104-105 end up in .2.gz
	rotate_auditd
	append 2				# 106-107 in .1
	rotate_auditd
	gzip "$LOG.2"
	append 2				# 108-109 in the live file
	now=$(date +%s)
	touch -d "@$now" "$LOG.1" "$LOG.2.gz"	# names say .1 first
	run_cron
	assert_once_whole '101 102 103 104 105 106 107 108 109 '
	# dateext names read in date order agree; a file with no record
	# (auditd's empty new log, rotated) stands at its time
	append 1
	mv "$LOG" "$LOG-20261201"
	: > "$LOG"
	mv "$LOG" "$LOG-20261202"
	append 1
	mv "$LOG" "$LOG-20261130"		# misnamed: newest, named oldest
	append 1
	touch -d "@$now" "$LOG-20261130" "$LOG-20261201" "$LOG-20261202"
	# a link named like a sibling is no sibling: never followed
	printf 'type=AVC msg=audit(1795439999.000:999): apparmor="DENIED" operation="open" profile="p" name="/linked" pid=1 comm="c"\n' \
	    > "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$LOG.9"
	run_cron
	assert_once_whole '101 102 103 104 105 106 107 108 109 110 111 112 '
}

@test "siblings without audit ids are ordered by the dates of their lines" {
	local now
	syslog_line() {
		printf '2026-11-%sT10:00:00+00:00 host kernel: audit: type=1400 audit(0000000000.000:0000): apparmor="DENIED" operation="open" profile="p" name="/f%s" pid=1 comm="c"\n' "$1" "$1"
	}
	syslog_line 20 >> "$LOG"
	run_cron
	mv "$LOG" "$LOG.2"			# the file the checkpoint left
	syslog_line 21 >> "$LOG.2"
	syslog_line 22 > "$LOG.1"
	syslog_line 23 > "$LOG"
	now=$(date +%s)
	touch -d "@$now" "$LOG.1" "$LOG.2"
	run_cron
	run jq -r '.name + " " + (.time | tostring) + " " + (.serial | tostring)' "$BATS_TEST_TMPDIR/all"
	assert_output "/f20 1795168800 null
/f21 1795255200 null
/f22 1795341600 null
/f23 1795428000 null"
}

@test "dateext rotations, several between runs, compressed or not" {
	append 2
	run_cron
	append 1
	mv "$LOG" "$LOG-20261101"
	append 2
	mv "$LOG" "$LOG-20261102"
	gzip "$LOG-20261101"
	append 1
	run_cron
	assert_once_whole '101 102 103 104 105 106 '
}

@test "-o with a checkpoint: SIGKILL at every write and rename of a run, and each event is in the file once" {
	command -v strace >/dev/null || skip "strace missing (scripts/deps.sh installs it)"
	local out=$BATS_TEST_TMPDIR/out n want=0
	# killed_at CALL N: a run killed at its Nth CALL; 1 if it finished
	killed_at() {	# LeakSanitizer cannot run under ptrace
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    run strace -f -qq -o /dev/null -e trace="$1" \
		    -e inject="$1:signal=SIGKILL:when=$2" \
		    "$BIN/aa-evtparse" --checkpoint "$CK" -o "$out" "$LOG"
		[ "$status" -eq 0 ] && return 1
		[ "$status" -eq 137 ] || fail "$1 #$2: exit $status"
	}
	# the first run renames twice: the checkpoint that names the new
	# output, then the one that commits it
	append 600
	killed_at renameat 1
	killed_at renameat 2
	evtparse --checkpoint "$CK" -o "$out" "$LOG"
	# then each write of a run, each followed by a run that finishes
	for n in $(seq 20); do
		append 600
		killed_at write "$n" || break
		evtparse --checkpoint "$CK" -o "$out" "$LOG" 2> "$BATS_TEST_TMPDIR/err"
		grep -q 'bytes past the [0-9]* the last finished run left, written by a run that did not finish: cut' \
		    "$BATS_TEST_TMPDIR/err" || [ "$n" -eq 1 ] ||
		    fail "write #$n: nothing cut: $(cat "$BATS_TEST_TMPDIR/err")"
	done
	[ "$n" -gt 3 ] && [ "$n" -lt 20 ] || fail "writes of a run: $((n - 1))"
	# and its one rename, the commit, once the output is known
	append 600
	killed_at renameat 1
	evtparse --checkpoint "$CK" -o "$out" "$LOG"
	want=$((SERIAL - 100))
	# every serial from 101 on once, in order: said in one line
	run bash -c "jq -r .serial '$out' | awk 'NR == 1 { f = \$1 }
	    \$1 != f + NR - 1 { bad++ } END { print NR, f, \$1, bad + 0 }'"
	assert_output "$want 101 $SERIAL 0"
	# a consumer that renames the file away gets a new one, not a cut
	mv "$out" "$out.taken"
	append 1
	run evtparse --checkpoint "$CK" -o "$out" "$LOG"
	assert_success
	refute_output --partial cut
	run jq -r .serial "$out"
	assert_output "$SERIAL"
}

@test "--checkpoint holds the events open, not the log: 480,000 lines in 32 MiB" {
	local log=$D/big.log cap="ulimit -v 32768;"
	awk 'BEGIN { for (i = 1; i <= 480000; i++)
		printf "type=AVC msg=audit(%d.%03d:%d): apparmor=\"ALLOWED\" operation=\"open\" profile=\"p\" name=\"/srv/f%d\" pid=%d comm=\"c\"\n",
		    1795430000 + int(i / 1000), i % 1000, i, i % 977, 1000 + i % 13 }' > "$log"
	# an AddressSanitizer build maps terabytes of shadow: no cap there
	ldd "$BIN/aa-evtparse" | grep -q libasan && cap=
	run --separate-stderr bash -c "$cap '$BIN/aa-evtparse' --checkpoint '$CK' '$log' | wc -l"
	assert_success
	assert_output 480000
	[ -z "$stderr" ] || fail "$stderr"
}

@test "two runs started together on one checkpoint give each event once in total" {
	append 400
	evtparse --checkpoint "$CK" "$LOG" > "$BATS_TEST_TMPDIR/a" &
	evtparse --checkpoint "$CK" "$LOG" > "$BATS_TEST_TMPDIR/b" &
	wait
	cat "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" > "$BATS_TEST_TMPDIR/all"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/all")" -eq 400 ]
	[ "$(jq .serial "$BATS_TEST_TMPDIR/all" | sort -u | wc -l)" -eq 400 ]
}

@test "a run that cannot get the lock in time writes nothing and exits 75" {
	append 2
	touch "$CK.lock"
	flock "$CK.lock" sleep 4 &
	sleep 0.5
	run --separate-stderr evtparse --checkpoint "$CK" --lock-wait 1 "$LOG"
	[ "$status" -eq 75 ]
	assert_output ''
	[[ $stderr == *"another run holds the checkpoint; gave up after 1 s"* ]] || fail "$stderr"
	wait
	run_cron
	assert_once_whole '101 102 '
}

@test "a checkpoint that cannot be written: exit 2 before any output" {
	append 2
	run --separate-stderr evtparse --checkpoint "$BATS_TEST_TMPDIR/missing/ck" "$LOG"
	[ "$status" -eq 2 ]
	assert_output ''
	[[ $stderr == *"missing/ck: No such file or directory"* ]] || fail "$stderr"
	run --separate-stderr evtparse --lock-wait soon --checkpoint "$CK" "$LOG"
	[ "$status" -eq 2 ]
}

# An AVC of now (to the millisecond, as the kernel stamps it), its
# SYSCALL and EOE with the same id, written a moment later.
fresh_avc() {
	NOW=$(date +%s.%3N)
	printf 'type=AVC msg=audit(%s:%d): apparmor="DENIED" operation="open" profile="p" name="/f%d" pid=1 comm="c"\n' \
	    "$NOW" "$1" "$1" >> "$LOG"
}
fresh_context() {
	printf 'type=SYSCALL msg=audit(%s:%d): arch=c000003e syscall=257 success=no exit=-13 ppid=1 pid=1 uid=0 exe="/bin/c"\n' \
	    "$NOW" "$1" >> "$LOG"
	printf 'type=EOE msg=audit(%s:%d): \n' "$NOW" "$1" >> "$LOG"
}

@test "an event the run cuts is written whole by the next run, never split" {
	append 2
	fresh_avc 900
	run_cron				# 101-102; 900 still open
	run serials
	assert_output '101 102 '
	grep -q '^carry ' "$CK"
	fresh_context 900
	fresh_avc 901
	fresh_context 901
	run_cron
	append 1				# 103: its time is older; still once
	run_cron
	assert_once_whole '101 102 900 901 103 '
	! grep -q '^carry ' "$CK"
}

@test "-f keeps the guarantee across its restarts" {
	append 1
	# the tool itself in the background, so that the signal reaches it
	"$BIN/aa-evtparse" -f --checkpoint "$CK" "$LOG" >> "$BATS_TEST_TMPDIR/all" &
	sleep 0.5
	fresh_avc 900
	sleep 0.3			# read, and well within its 2 s wait
	kill -TERM $!
	wait
	fresh_context 900
	run_cron
	assert_once_whole '101 900 '
}

# logrotate itself, forced, with the schemes hosts use.
real_logrotate() {
	cat > "$BATS_TEST_TMPDIR/lr.conf" <<-EOF2
	$LOG {
	    rotate 5
	    missingok
	    $1
	}
	EOF2
	[[ $1 != *dateext* ]] || sleep 1	# its names go by the second
	logrotate -f -s "$BATS_TEST_TMPDIR/lr.state" "$BATS_TEST_TMPDIR/lr.conf"
	[ -e "$LOG" ] || : > "$LOG"	# auditd or syslog opens a new one
}

@test "real logrotate, each scheme, two rotations between runs: every event once, whole" {
	local scheme n=0 want=''
	for scheme in 'create' 'compress' $'compress\n    delaycompress' \
	    $'dateext\n    dateformat -%Y%m%d-%s\n    compress' 'copytruncate'; do
		rm -rf "$D" "$CK" "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/lr.state"
		mkdir -p "$D"
		SERIAL=100
		append 2
		run_cron
		append 2
		real_logrotate "$scheme"
		append 1
		real_logrotate "$scheme"
		append 1
		run_cron
		append 1
		real_logrotate "$scheme"
		run_cron
		assert_once_whole '101 102 103 104 105 106 107 '
	done
}

@test "the example systemd service and timer are valid units" {
	local u=$BATS_TEST_TMPDIR/units
	mkdir -p "$u"
	# as make install puts them: the tool where it was installed
	sed "s|/usr/local/bin/|$BIN/|" "$ROOT/scripts/aa-evtparse.service" \
	    > "$u/aa-evtparse.service"
	cp "$ROOT/scripts/aa-evtparse.timer" "$u/"
	run systemd-analyze verify --man=no "$u/aa-evtparse.service" \
	    "$u/aa-evtparse.timer"
	assert_success
	grep -q '^SuccessExitStatus=75$' "$ROOT/scripts/aa-evtparse.service"
	# -o, so that a killed run's events are cut back, not doubled
	grep -q '^ExecStart=/usr/local/bin/aa-evtparse --checkpoint .* -o /var/lib/bm/events.ndjson ' \
	    "$ROOT/scripts/aa-evtparse.service"
	# sandboxed: systemd's own score, below 3.0 (it was 9.6 UNSAFE)
	run systemd-analyze security --offline=yes "$u/aa-evtparse.service"
	assert_success
	local score
	score=$(sed -n 's/.*Overall exposure level for aa-evtparse.service: \([0-9.]*\).*/\1/p' <<<"$output")
	[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s < 3.0) }' ||
	    fail "exposure $score: $output"
}

@test "the example unit runs under systemd, sandboxed, twice: every event once in its output" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run a container"
	local c=$BATS_TEST_TMPDIR/sd r=$BATS_TEST_TMPDIR/sd/root o=$BATS_TEST_TMPDIR/sd/out t
	for t in podman runc; do
		command -v "$t" >/dev/null || fail "$t is not installed (make deps)"
	done
	# systemd as the container's init, the host's /usr under it; runc,
	# as crun refuses this host's hybrid cgroups in systemd mode
	mkdir -p "$r"/{etc,usr,var/log/audit,tmp,run,proc,sys,dev,opt/bm} "$o"
	for t in bin sbin lib lib64; do ln -s "usr/$t" "$r/$t"; done
	sed 's|/usr/local/bin/|/opt/bm/|' "$ROOT/scripts/aa-evtparse.service" > "$c/aa-evtparse.service"
	append 3
	mkdir -p "$c/log"
	cp "$LOG" "$c/log/audit.log"		# the first run's log
	append 2
	cp "$LOG" "$o/audit.log.later"		# the second's, grown
	cat > "$c/bmtest.service" <<-'EOF2'
	[Unit]
	SuccessAction=exit-force
	FailureAction=exit-force
	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'systemctl start aa-evtparse.service; \
	    systemctl show -p Result -p ExecMainStatus aa-evtparse.service > /out/first; \
	    cat /out/audit.log.later > /var/log/audit/audit.log; \
	    systemctl start aa-evtparse.service; \
	    systemctl show -p Result -p ExecMainStatus aa-evtparse.service > /out/second; \
	    cp /var/lib/bm/events.ndjson /out/; \
	    systemctl show -p ProtectSystem -p PrivateNetwork -p CapabilityBoundingSet aa-evtparse.service > /out/sandbox'
	EOF2
	run timeout 300 podman run --rm --runtime runc --privileged --network none \
	    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --systemd=always \
	    -v /usr:/usr:ro -v /etc:/etc:O -v "$(installed_bin):/opt/bm:ro" \
	    -v "$c/aa-evtparse.service:/etc/systemd/system/aa-evtparse.service:ro" \
	    -v "$c/bmtest.service:/etc/systemd/system/bmtest.service:ro" \
	    -v "$c/log:/var/log/audit" -v "$o:/out" \
	    --rootfs "$r:O" /lib/systemd/systemd --unit=bmtest.service
	[ -s "$o/second" ] || fail "no result: $output"
	assert_equal "$(cat "$o/first")" $'Result=success\nExecMainStatus=0'
	assert_equal "$(cat "$o/second")" $'Result=success\nExecMainStatus=0'
	grep -qx 'PrivateNetwork=yes' "$o/sandbox"
	grep -qx 'ProtectSystem=strict' "$o/sandbox"
	grep -qx 'CapabilityBoundingSet=' "$o/sandbox"
	run jq -r .serial "$o/events.ndjson"
	assert_output $'101\n102\n103\n104\n105'
}

# The tools as installed: an AddressSanitizer build's runtime makes calls
# of its own, and no unit runs one.
installed_bin() {
	local b=$BIN
	ldd "$b/aa-evtparse" | grep -q libasan && b=$ROOT/bin
	[ -x "$b/aa-evtparse" ] || fail "$b/aa-evtparse: run make first"
	echo "$b"
}

# The system calls of a group of systemd's, its own groups expanded.
syscalls_of() {
	systemd-analyze syscall-filter "$1" | sed -n 's/^    //p' | grep -v '^#' |
	    while read -r s; do
		case $s in @*) syscalls_of "$s" ;; *) echo "$s" ;; esac
	    done
}

@test "the unit's system call filter lets a cron run through: checkpoint, rotation, gzip, -o, metrics" {
	command -v strace >/dev/null || skip "strace missing (scripts/deps.sh installs it)"
	local allowed=$BATS_TEST_TMPDIR/allowed f aa
	# the unit's filter: @system-service, less what it takes away
	f=$(sed -n 's/^SystemCallFilter=~//p' "$ROOT/scripts/aa-evtparse.service")
	[ -n "$f" ] && grep -q '^SystemCallFilter=@system-service$' "$ROOT/scripts/aa-evtparse.service"
	# shellcheck disable=SC2086
	comm -23 <(syscalls_of @system-service | sort -u) \
	    <(for g in $f; do syscalls_of "$g"; done | sort -u) > "$allowed"
	[ "$(wc -l < "$allowed")" -gt 200 ]
	aa=$(installed_bin)/aa-evtparse
	append 3
	run strace -f -qq -o "$BATS_TEST_TMPDIR/t1" "$aa" --checkpoint "$CK" \
	    --lock-wait 60 --metrics "$D/m.prom" -o "$D/events.ndjson" "$LOG"
	assert_success
	append 2
	rotate_auditd
	gzip "$LOG.1"
	append 1
	run strace -f -qq -o "$BATS_TEST_TMPDIR/t2" "$aa" --checkpoint "$CK" \
	    --lock-wait 60 --metrics "$D/m.prom" -o "$D/events.ndjson" "$LOG"
	assert_success
	[ "$(jq -r .serial "$D/events.ndjson" | tr '\n' ' ')" = '101 102 103 104 105 106 ' ]
	run bash -c "cat '$BATS_TEST_TMPDIR'/t1 '$BATS_TEST_TMPDIR'/t2 |
	    sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' | sort -u | comm -23 - '$allowed'"
	assert_success
	assert_output ''
	# and the check can fail: a call the filter takes away
	grep -qx mount <(syscalls_of @mount) && ! grep -qx mount "$allowed"
}

@test "a carried event is written once when its log is compressed before the next run" {
	append 1
	fresh_avc 900
	run_cron
	fresh_context 900
	gzip -c "$LOG" > "$LOG.1.gz"		# compress, no delaycompress
	rm "$LOG"
	fresh_avc 901
	fresh_context 901
	run_cron
	assert_once_whole '101 900 901 '
}

@test "an event without an audit id behind a carried one is written, not lost" {
	append 1
	fresh_avc 900
	printf 'Nov 29 12:00:00 host kernel: [ 1.0] audit: type=1400 apparmor="DENIED" operation="open" profile="p" name="/noid" pid=1 comm="c"\n' >> "$LOG"
	run_cron
	run jq -r '.name' "$BATS_TEST_TMPDIR/all"
	assert_output '/f101
/noid'
	fresh_context 900
	run_cron
	run jq -r '.name' "$BATS_TEST_TMPDIR/all"
	assert_output '/f101
/noid
/f900'
}
