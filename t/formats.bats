#!/usr/bin/env bats
# The same two events (an AppArmor denial, a seccomp log) written by every
# kind of logger must come out the same.

load helpers

F=$DATA/formats

# The events without what only some formats carry.
core() {
	evtparse "$@" | jq -c 'del(.time, .serial, .node) |
	    with_entries(select(.key | test("^[A-Z]") | not))'
}

@test "every log format gives the same events as auditd's" {
	local want f
	want=$(core "$F/auditd.log")
	[ "$(grep -c . <<<"$want")" -eq 2 ]
	for f in "$F"/*; do
		run core "$f"
		assert_success
		[ "$output" = "$want" ] || fail "$(basename "$f"): $output"
	done
}

@test "formats with an audit id keep its time and serial" {
	local f
	for f in auditd auditd-node auditd-numeric kern kern-caller-id \
	    syslog-iso dmesg journald-kernel; do
		run evtparse "$F/$f.log"
		assert_line --index 0 --partial '"time":1795430005.731,"serial":115,'
		assert_line --index 1 --partial '"time":1795430009.512,"serial":131,'
	done
}

@test "journald's audit transport has no id: the syslog date gives the time" {
	local want
	want=$(date -u -d "$(date -u -r "$F/journald-audit.log" +%Y)-11-23 10:00:05" +%s)
	[ "$want" -le "$(date -u -r "$F/journald-audit.log" +%s)" ] ||
	    want=$(date -u -d "$(( $(date -u -r "$F/journald-audit.log" +%Y) - 1 ))-11-23 10:00:05" +%s)
	run evtparse "$F/journald-audit.log"
	assert_success
	assert_line --index 0 --regexp "^\{\"event\":\"apparmor\",\"apparmor\":\"DENIED\",\"time\":$want\.000,\"operation\""
	refute_output --partial '"serial"'
}

@test "a zeroed audit id is no id: the date of each prefix, no serial, nothing joined" {
	local f=$BATS_TEST_TMPDIR/zero.log
	{
		printf '2026-11-23T10:00:00.250+00:00 host kernel: audit: type=1400 audit(0000000000.000:0000): apparmor="DENIED" operation="open" profile="p" name="/a" pid=1 comm="c"\n'
		printf '2026-11-23T10:00:00.250+00:00 host kernel: audit: type=1300 audit(0000000000.000:0000): arch=c000003e syscall=257 success=no exit=-13 pid=1 uid=0 exe="/bin/c"\n'
		printf '2026-11-23T11:00:00.500+00:00 host kernel: audit: type=1400 audit(0000000000.000:0000): apparmor="DENIED" operation="open" profile="p" name="/b" pid=2 comm="c"\n'
		printf 'type=AVC msg=audit(1795431601.000:7): apparmor="DENIED" operation="open" profile="p" name="/c" pid=3 comm="c"\n'
		printf 'type=AVC msg=audit(0000000000.000:0000): apparmor="DENIED" operation="open" profile="p" name="/d" pid=4 comm="c"\n'
		# BSD syslog (and journalctl -o short), journalctl -o
		# short-iso, dmesg: the date of each, dmesg none
		printf 'Nov 23 10:00:01 host kernel: [ 1.0] audit: type=1400 audit(0000000000.000:0000): apparmor="DENIED" operation="open" profile="p" name="/e" pid=5 comm="c"\n'
		printf '2026-11-23T10:00:02+0000 host kernel: audit: type=1400 audit(0000000000.000:0000): apparmor="DENIED" operation="open" profile="p" name="/f" pid=6 comm="c"\n'
		printf '[   12.345678] audit: type=1400 audit(0000000000.000:0000): apparmor="DENIED" operation="open" profile="p" name="/g" pid=7 comm="c"\n'
	} > "$f"
	touch -d 2026-11-30T00:00:00Z "$f"	# the year of a BSD date
	run evtparse "$f"
	assert_success
	run jq -c '[.name, .time, .serial, .exe]' <<< "$output"
	assert_output '["/a",1795428000.25,null,null]
["/b",1795431600.5,null,null]
["/c",1795431601,7,null]
["/d",1795431601,null,null]
["/e",1795428001,null,null]
["/f",1795428002,null,null]
["/g",1795431601,null,null]'
	# --since goes by the line's date, not by time 0
	run evtparse --since 2026-11-23T10:30:00Z "$f"
	assert_success
	run jq -r .name <<< "$output"
	assert_output $'/b\n/c\n/d\n/g'
}

@test "node= is kept" {
	run evtparse "$F/auditd-node.log"
	assert_line --index 0 --partial '"serial":115,"node":"web01",'
}

@test "enriched format: upper-case fields kept beside the raw ones" {
	run evtparse "$F/auditd-enriched.log"
	assert_line --index 0 --partial '"fsuid":33,"ouid":0,"FSUID":"www-data","OUID":"root"}'
	assert_line --index 1 --partial '"UID":"www-data"'
	assert_line --index 1 --partial '"syscall":"mount","syscall_nr":165'
}

@test "gzip and stdin read like plain files" {
	run diff <(evtparse "$F/kern.log") <(evtparse "$F/kern.log.gz")
	assert_success
	run diff <(evtparse "$F/kern.log") <(evtparse - < "$F/kern.log.gz")
	assert_success
	run diff <(evtparse "$F/kern.log") <(evtparse < "$F/kern.log")
	assert_success
}

@test "records of one serial are joined; context fields attached" {
	evtparse "$DATA/sample.log" > "$BATS_TEST_TMPDIR/out"
	assert_ndjson "$BATS_TEST_TMPDIR/out"
	run jq -c 'select(.serial == 115) | [.syscall, .syscall_nr, .arch,
	    .success, .exit, .exe, .ppid, .uid, .auid, .cwd, .proctitle,
	    .subj]' <(evtparse "$DATA/sample.log")
	assert_output '["openat",257,"x86_64","no",-13,"/usr/sbin/nginx",1300,33,4294967295,"/","nginx: worker process","web-nginx (enforce)"]'
	run jq -r 'select(.serial == 102) | .proctitle' <(evtparse "$DATA/sample.log")
	assert_output 'apparmor_parser -r /etc/apparmor.d/web-nginx'
}

@test "an event's records join it when they come late: behind newer events, or when its syscall returns" {
	local f=$BATS_TEST_TMPDIR/late.log
	ctx() {	# SYSCALL and EOE of id $1, pid $2, exe $3
		printf 'type=SYSCALL msg=audit(%s): arch=c000003e syscall=257 success=no exit=-13 ppid=1 pid=%s uid=0 exe="%s"\ntype=EOE msg=audit(%s): \n' "$1" "$2" "$3" "$1"
	}
	avc() {	# AVC of id $1, pid $2, name $3
		printf 'type=AVC msg=audit(%s): apparmor="DENIED" operation="open" profile="p" name="%s" pid=%s comm="c"\n' "$1" "$3" "$2"
	}
	{
		avc 1795430000.000:40 1 /a; ctx 1795430000.000:40 1 /bin/a
		avc 1795430001.000:41 2 /run/s		# its syscall blocks
		avc 1795430004.000:43 3 /c; ctx 1795430004.000:43 3 /bin/c
		# written late, 2.5 s behind the newest (audit-userspace#148)
		avc 1795430001.500:42 4 /late; ctx 1795430001.500:42 4 /bin/late
		avc 1795430012.000:44 5 /d; ctx 1795430012.000:44 5 /bin/d
		ctx 1795430001.000:41 2 /bin/blocked	# returns 11 s later
	} > "$f"
	run evtparse "$f"
	assert_success
	run jq -c '[.serial, .name, .exe]' <<< "$output"
	assert_output '[40,"/a","/bin/a"]
[41,"/run/s","/bin/blocked"]
[43,"/c","/bin/c"]
[42,"/late","/bin/late"]
[44,"/d","/bin/d"]'
	# a kernel log has no EOE: 2 s after it was read, an event is closed
	sed -i '/type=EOE/d' "$f"
	run evtparse "$f"
	run jq -c '[.serial, .exe]' <<< "$output"
	assert_output '[40,"/bin/a"]
[41,null]
[43,"/bin/c"]
[42,"/bin/late"]
[44,"/bin/d"]'
}

@test "only AppArmor and seccomp records make events, one each" {
	run jq -r '"\(.serial) \(.event) \(.apparmor // .action)"' <(evtparse "$DATA/sample.log")
	assert_output "102 apparmor STATUS
115 apparmor DENIED
118 apparmor ALLOWED
121 apparmor DENIED
125 apparmor DENIED
131 seccomp log
140 apparmor DENIED
141 apparmor DENIED"
}

@test "values stay verbatim: flags with spaces, labels with modes" {
	run jq -r 'select(.serial == 140) | .flags, .error, .info' <(evtparse "$DATA/sample.log")
	assert_output 'rw, nosuid, nodev
-13
failed flags match'
}

@test "network protocol number named, number kept beside" {
	run jq -c 'select(.serial == 121) | [.protocol, .protocol_nr, .family]' <(evtparse "$DATA/sample.log")
	assert_output '["tcp",6,"inet"]'
}

@test "a netlink socket's protocol is named from netlink's table, not IP's" {
	printf '%s\n' \
	    'type=AVC msg=audit(1700000000.100:42): apparmor="DENIED" operation="create" class="net" profile="/usr/bin/x" pid=12 comm="x" family="netlink" sock_type="raw" protocol=9 requested_mask="create" denied_mask="create"' \
	    'type=AVC msg=audit(1700000000.100:43): apparmor="DENIED" operation="create" class="net" profile="/usr/bin/x" pid=12 comm="x" family="netlink" sock_type="dgram" protocol=15 requested_mask="create" denied_mask="create"' \
	    'type=AVC msg=audit(1700000000.100:44): apparmor="DENIED" operation="create" class="net" profile="/usr/bin/x" pid=12 comm="x" family="netlink" sock_type="raw" protocol=99 requested_mask="create" denied_mask="create"' \
	    'type=AVC msg=audit(1700000000.100:45): apparmor="DENIED" operation="create" class="net" profile="/usr/bin/x" pid=12 comm="x" family="inet" sock_type="raw" protocol=6 requested_mask="create" denied_mask="create"' \
	    > "$BATS_TEST_TMPDIR/net.log"
	run jq -c '[.family, .protocol, .protocol_nr]' <(evtparse "$BATS_TEST_TMPDIR/net.log")
	assert_success
	assert_output "$(printf '%s\n' '["netlink","audit",9]' \
	    '["netlink","kobject_uevent",15]' '["netlink","unknown(99)",99]' \
	    '["inet","tcp",6]')"
}

@test "seccomp syscall named with the record's own arch, not the host's" {
	local line='type=SECCOMP msg=audit(1795430009.512:%d): auid=0 uid=0 gid=0 ses=1 pid=9 comm="x" exe="/x" sig=31 arch=%s syscall=%d compat=%d ip=0x1 code=%s'
	run evtparse <(printf "$line\n" 1 c00000b7 40 0 0x80000000 2 40000003 21 1 0x00050001 3 c000003e 21 0 0x00030000 4 c000003e 99999 0 0x7fff0000)
	assert_success
	assert_line --index 0 --partial '"arch":"aarch64","arch_raw":"c00000b7","syscall":"mount","syscall_nr":40,'
	assert_line --index 0 --partial '"code":"0x80000000","action":"kill_process"'
	assert_line --index 1 --partial '"arch":"i386","arch_raw":"40000003","syscall":"mount","syscall_nr":21,'
	assert_line --index 1 --partial '"action":"errno"'
	assert_line --index 2 --partial '"syscall":"access","syscall_nr":21,'
	assert_line --index 2 --partial '"action":"trap"'
	assert_line --index 3 --partial '"syscall":"unknown(99999)","syscall_nr":99999,'
	assert_line --index 3 --partial '"action":"allow"'
}

@test "the mode comes from the record type when the record has no apparmor=" {
	run evtparse <(printf 'type=APPARMOR_%s msg=audit(1.000:%d): operation="open" profile="p" name="/x" pid=1\n' AUDIT 1 ALLOWED 2 DENIED 3 HINT 4 STATUS 5 ERROR 6 KILL 7)
	assert_success
	run jq -r .apparmor <(evtparse <(printf 'type=APPARMOR_%s msg=audit(1.000:%d): operation="open" profile="p" name="/x" pid=1\n' AUDIT 1 ALLOWED 2 DENIED 3 HINT 4 STATUS 5 ERROR 6 KILL 7))
	assert_output 'AUDIT
ALLOWED
DENIED
HINT
STATUS
ERROR
KILLED'
}

@test "SELinux AVCs and other records make no event" {
	run evtparse <(printf '%s\n' \
	    'type=AVC msg=audit(1.000:1): avc:  denied  { read } for  pid=1 comm="x" name="y" scontext=a tcontext=b tclass=file permissive=0' \
	    'type=USER_AVC msg=audit(1.000:2): pid=1 uid=0 auid=0 ses=1 msg='"'"'avc:  denied  { start } for auid=0 uid=0 gid=0 cmdline="" scontext=a tcontext=b tclass=system'"'"'' \
	    'Nov 23 10:00:00 host sshd[1]: Accepted publickey for root')
	[ "$status" -eq 1 ]
	assert_output 'aa-evtparse: no AppArmor or seccomp event in 3 lines (2 audit records)'
}

@test "context records of another event are never attached" {
	# serial ^ ms is the same for both: keys once collided on that
	run evtparse <(printf '%s\n' \
	    'type=AVC msg=audit(1700000000.006:4206): apparmor="DENIED" operation="open" profile="nginx" name="/x" pid=10 comm="nginx"' \
	    'type=SYSCALL msg=audit(1700000000.007:4207): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=11 uid=0 exe="/usr/bin/bash"' \
	    'type=EOE msg=audit(1700000000.007:4207): ' \
	    'type=AVC msg=audit(1700000000.007:4208): apparmor="DENIED" operation="open" profile="nginx" name="/y" pid=10 comm="nginx"' \
	    'type=SYSCALL msg=audit(1700000000.008:4208): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=11 uid=0 exe="/usr/bin/bash"')
	assert_success
	refute_output --partial '"exe"'
	refute_output --partial '"syscall"'
	[ "$(grep -c . <<<"$output")" -eq 2 ]
}
