#!/usr/bin/env bats
# Reports that audit records were lost before they reached the log, as
# the kernel and auditd write them, become "lost" events.  dmesg.log
# holds lines this kernel printed when made to lose records
# (auditctl -r 20, auditctl -b 2, printk's rate limit); the other kernel
# files hold the same messages as each logger writes them.

load helpers

L=$DATA/lost

# What a loss report says, without where and when.
said() {
	evtparse "$@" | jq -c 'select(.event == "lost") |
	    [.source, .reason, .count, .total, .rate_limit, .backlog, .backlog_limit]'
}

@test "each kernel loss report, in each kernel log format" {
	local f
	run said "$L/dmesg.log"
	assert_success
	assert_output '["kernel","printk_suppressed",1990,null,null,null,null]
["kernel","audit_lost",null,162,20,null,64]
["kernel","rate_limit",null,null,null,null,null]
["kernel","backlog_limit",null,null,null,3,2]
["kernel","audit_lost",null,1113,0,null,2]
["kernel","backlog_limit",null,null,null,null,null]
["kernel","queue_overflow",null,null,null,null,null]'
	for f in kern kern-caller-id syslog-iso journald-kernel; do
		run diff <(said "$L/dmesg.log") <(said "$L/$f.log")
		assert_success
	done
}

@test "a loss report is timed like the records around it, and counted in --stats" {
	run --separate-stderr evtparse --stats "$L/kern.log"
	assert_success
	assert_line --index 0 '{"event":"lost","time":1795944914.000,"source":"kernel","reason":"printk_suppressed","count":1990}'
	[ "$stderr" = "aa-evtparse: 8 lines, 1 audit records, 0 apparmor events, 1 seccomp events, 0 filtered out, 7 loss reports, 0 by untrusted programs, 0 malformed" ]
	# dmesg has no date: the time of the record read before it
	run evtparse "$L/dmesg.log"
	assert_line --index 0 --partial '"time":1795966512.259,'
	run evtparse <(tail -n +2 "$L/dmesg.log")
	assert_line --index 0 '{"event":"lost","source":"kernel","reason":"printk_suppressed","count":1990}'
}

@test "auditd's reports: its DAEMON records, raw and enriched, and its syslog lines" {
	run evtparse "$L/auditd.log"
	assert_success
	assert_output '{"event":"lost","time":1795966536.457,"serial":9198,"source":"auditd","reason":"logging_suspended"}
{"event":"lost","time":1795966536.959,"source":"auditd","reason":"auditd_error"}
{"event":"lost","time":1795966537.461,"serial":9200,"source":"auditd","reason":"auditd_abort"}'
	run evtparse "$L/auditd-enriched.log"
	assert_output '{"event":"lost","time":1795966536.457,"serial":9198,"source":"auditd","reason":"logging_suspended"}
{"event":"lost","time":1795966536.457,"node":"web1","source":"auditd","reason":"auditd_error"}'
	# another program's copy of auditd's words, or a message that goes on, is not one
	run said "$L/auditd-syslog.log"
	assert_output '["auditd","plugin_queue_full",null,null,null,null,null]
["auditd","plugin_queue_full",null,null,null,null,null]
["auditd","logging_suspended",null,null,null,null,null]'
}

@test "loss reports pass --event, --mode and --profile, not --since" {
	run said --event apparmor --mode DENIED --profile web "$L/dmesg.log"
	[ "$(grep -c . <<<"$output")" -eq 7 ]
	run said --since 1795944919 "$L/kern.log"
	assert_output '["kernel","backlog_limit",null,null,null,null,null]
["kernel","queue_overflow",null,null,null,null,null]'
}

@test "a crafted record cannot pass for a loss report, nor a loss line inject a field" {
	printf '%s\n' 'type=AVC msg=audit(1795966512.259:1): apparmor="DENIED" operation="open" profile="p" name="/x audit: rate limit exceeded" pid=1 comm="a" requested_mask="r" denied_mask="r" fsuid=0 ouid=0' \
	    'Nov 29 09:35:12 node1 kernel: audit: audit_lost=1","x":"y audit_rate_limit=0 audit_backlog_limit=64' \
	    'Nov 29 09:35:12 node1 kernel: kauditd_printk_skb: 12 callbacks suppressed and more' > "$BATS_TEST_TMPDIR/log"
	run evtparse "$BATS_TEST_TMPDIR/log"
	assert_success
	assert_output --partial '"event":"apparmor"'
	refute_output --partial '"lost"'
}

@test "bm-merge and bm-diff warn when their input reports losses, whatever the filters" {
	run --separate-stderr merge --event apparmor --ses 1 <(evtparse "$L/dmesg.log")
	[ "$status" -eq 1 ]
	[ "$stderr" = "bm-merge: the audit log reports 7 losses (1990 records counted) before it was written: the model may miss calls; see aa-evtparse(1), LOST RECORDS
bm-merge: nothing learnt: no event of the 8 read passed --profile, --comm, --exe, --pid or --ses" ]
	evtparse "$L/dmesg.log" | merge 2>/dev/null > "$BATS_TEST_TMPDIR/model"
	run --separate-stderr tool bm-diff "$BATS_TEST_TMPDIR/model" <(evtparse "$L/auditd.log"; evtparse "$L/dmesg.log")
	assert_success
	assert_output ''
	[ "$stderr" = "bm-diff: the audit log reports 10 losses (1990 records counted) before it was written: the model may miss calls; see aa-evtparse(1), LOST RECORDS" ]
	# loss reports alone are nothing to judge
	run --separate-stderr tool bm-diff "$BATS_TEST_TMPDIR/model" <(evtparse "$L/auditd.log")
	[ "$status" -eq 2 ]
	[[ $stderr == *"nothing to judge"* ]] || fail "$stderr"
	# bpf-mountwatch's own lost lines keep their own warning
	run --separate-stderr merge <<<'{"event":"lost","time":1,"reason":"ringbuf","count":4,"total":4}'
	[ "$(sed -n 1p <<<"$stderr")" = "bm-merge: bpf-mountwatch lost 4 events before they reached us: bpf.mounts may miss some" ]
}

@test "journald's note that the kernel ring overwrote lines before it read them" {
	run evtparse "$DATA/lost/journald-missed.log"
	assert_success
	assert_output '{"event":"lost","time":1795944921.000,"source":"journald","reason":"kernel_messages_missed","count":291}'
}
