#!/usr/bin/env bats
# Hostile and real-world input: times out of range, raw control bytes,
# the line forms real systems write, sizes an attacker picks.  Under
# `make asan` these run on the ASan + UBSan build, which stops at any
# undefined behaviour.

load helpers

AVC='apparmor="DENIED" operation="open" profile="p" pid=1 comm="a" requested_mask="r" denied_mask="r" fsuid=0 ouid=0'

@test "an audit time out of range is a malformed record, not arithmetic on it" {
	printf '%s\n' "type=AVC msg=audit(9999999999999999.0:1): $AVC name=\"/x\"" \
	    "type=AVC msg=audit(1795966512.99999999999999:2): $AVC name=\"/y\"" \
	    "audit(999999999999999999.0:3): $AVC name=\"/z\"" \
	    "type=AVC msg=audit(1795966512.259:4): $AVC name=\"/ok\"" > "$BATS_TEST_TMPDIR/log"
	run --separate-stderr evtparse "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]
	assert_output --partial '"name":"/ok"'
	[ "$(grep -c . <<<"$output")" -eq 1 ]
	[ "$(grep -c 'malformed audit record id' <<<"$stderr")" -eq 3 ]
}

@test "real line forms: prefixes before type= or node=, no type, audit[PID] first, a lost 0x1d" {
	printf '%s\n' \
	    "Nov 29 10:00:01 web1 audispd[568]: node=web1 type=AVC msg=audit(1795966512.259:10): $AVC name=\"/a\"" \
	    "52:type=AVC msg=audit(1795966512.300:11): $AVC name=\"/b\"" \
	    "Malformed event skipped, rc=9. type=AVC msg=audit(1795966512.301:12): $AVC name=\"/c\"" \
	    "audit(1795966512.302:13): $AVC name=\"/d\"" \
	    'audit[7053]: SECCOMP auid=0 uid=0 gid=0 ses=1 pid=7053 comm="b" exe="/b" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000' \
	    "type=AVC msg=audit(1795966512.303:14): $AVC name=\"/e\" fsuid=0FSUID=\"root\" OUID=\"root\"" \
	    'type=SECCOMP msg=audit(1795966512.304:15): auid=0 pid=20 comm="a" arch=c000003e syscall=110 code=0x7ffc0000AUID="root" UID="root"' \
	    > "$BATS_TEST_TMPDIR/log"
	run jq -c '[.event, .serial, .node, .name // .syscall, .action, .fsuid, .FSUID, .AUID]' <(evtparse "$BATS_TEST_TMPDIR/log")
	assert_output '["apparmor",10,"web1","/a",null,0,null,null]
["apparmor",11,null,"/b",null,0,null,null]
["apparmor",12,null,"/c",null,0,null,null]
["apparmor",13,null,"/d",null,0,null,null]
["seccomp",null,null,"getpid","log",null,null,null]
["apparmor",14,null,"/e",null,0,"root",null]
["seccomp",15,null,"getppid","log",null,null,"root"]'
}

@test "a raw control byte inside a JSON string is malformed, not a cut string" {
	printf '{"event":"apparmor","apparmor":"ALLOWED","operation":"capable","profile":"p","capname":"chowna\000b"}\n{"event":"apparmor","apparmor":"ALLOWED","operation":"capable","profile":"p","capname":"chown"}\n' > "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr merge "$BATS_TEST_TMPDIR/ev"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$BATS_TEST_TMPDIR/ev:1: malformed JSON at byte 95: raw 0x00 in a string" ]
	run jq -c .data.dynamicResult.appArmor.capabilities <<<"$output"
	assert_output '["chown"]'
	printf '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"appArmor":{"capabilities":["net\tadmin"]}}}}\n' > "$BATS_TEST_TMPDIR/m"
	run --separate-stderr profile "$BATS_TEST_TMPDIR/m"
	[ "$status" -eq 2 ]	# the one model was malformed: nothing to write
	assert_output ''
	[[ $stderr == *"m:1: malformed JSON at byte 86: raw 0x09 in a string"* ]] || fail "$stderr"
	# white space between tokens is still white space
	printf '{\n\t"kind": "ArmorProfileModel",\r\n\t"data": {"dynamicResult": {"appArmor": {"capabilities": ["chown"]}}}\n}\n' > "$BATS_TEST_TMPDIR/pretty"
	run profile "$BATS_TEST_TMPDIR/pretty"
	assert_success
	assert_output --partial '  capability chown,'
}

@test "a line of 40,000 key=value pairs comes out whole, each key once" {
	awk 'BEGIN { printf "type=AVC msg=audit(1795966512.259:1): apparmor=\"DENIED\" operation=\"open\" profile=\"p\" name=\"/x\"";
	    for (i = 0; i < 40000; i++) printf " k%d=%d", i, i; printf " k7=dup pid=1\n" }' > "$BATS_TEST_TMPDIR/log"
	run jq -c '[(keys | length), .k0, .k39999, .k7, .pid]' <(evtparse "$BATS_TEST_TMPDIR/log")
	assert_output '[40008,0,39999,7,1]'
}

@test "a catalog of 20,000 rules loads; a repeated id is still refused" {
	jq -c '{escape_pattern: [range(20000) as $i | .escape_pattern[0] | .id = "rule-\($i)"]}' \
	    "$ROOT/catalog/bm-rules.json" > "$BATS_TEST_TMPDIR/cat"
	echo '{}' > "$BATS_TEST_TMPDIR/m"	# no model: advice from the catalog alone
	run advise --catalog "$BATS_TEST_TMPDIR/cat" AppArmor "$BATS_TEST_TMPDIR/m"
	assert_success
	[ "$(grep -c . <<<"$output")" -eq 20000 ]
	jq -c '.escape_pattern[19999].id = "rule-5"' "$BATS_TEST_TMPDIR/cat" > "$BATS_TEST_TMPDIR/dup"
	run --separate-stderr advise --catalog "$BATS_TEST_TMPDIR/dup" AppArmor "$BATS_TEST_TMPDIR/m"
	[ "$status" -eq 2 ]
	assert_output ''
	[[ $stderr == *"escape_pattern[19999]"*"rule rule-5 is there twice"* ]] || fail "$stderr"
}

@test "a field's type is its key's: profile=0 unquoted is the profile \"0\"" {
	printf '%s\n' 'type=AVC msg=audit(1795966512.259:1): apparmor=ALLOWED operation=open profile=0 name=/x pid=7 comm=5 requested_mask=r denied_mask=r fsuid=0 ouid=0' > "$BATS_TEST_TMPDIR/log"
	run jq -c '[.profile, .comm, .pid, .fsuid]' <(evtparse "$BATS_TEST_TMPDIR/log")
	assert_output '["0","5",7,0]'
	run jq -c '.data.dynamicResult.appArmor.profiles' <(evtparse "$BATS_TEST_TMPDIR/log" | merge)
	assert_output '["0"]'
}

@test "a binary file: ten messages, then one line for the rest; a directory named as one" {
	for i in $(seq 40); do printf '\177ELF\000\001\n'; done > "$BATS_TEST_TMPDIR/bin"
	run --separate-stderr evtparse "$BATS_TEST_TMPDIR/bin" "$DATA/formats/auditd.log"
	[ "$status" -eq 1 ]
	[ "$(grep -c . <<<"$output")" -eq 2 ]
	[ "$(grep -c "^$BATS_TEST_TMPDIR/bin:[0-9]*: " <<<"$stderr")" -eq 10 ]
	assert_equal "$(grep -c "^$BATS_TEST_TMPDIR/bin: 30 more bad inputs not shown$" <<<"$stderr")" 1
	run --separate-stderr merge "$BATS_TEST_TMPDIR/bin"
	[ "$status" -eq 1 ]
	[ "$(grep -c . <<<"$stderr")" -le 12 ]
	evtparse "$DATA/formats/auditd.log" | merge --mode DENIED,log > "$BATS_TEST_TMPDIR/model"
	for t in aa-evtparse bm-merge bm-profile; do
		in=$DATA/formats/auditd.log
		[ "$t" = bm-profile ] && in=$BATS_TEST_TMPDIR/model
		run --separate-stderr tool "$t" "$BATS_TEST_TMPDIR" "$in"
		[ "$status" -eq 1 ] || fail "$t: status $status"
		[[ $stderr == *"$t: $BATS_TEST_TMPDIR: Is a directory"* ]] || fail "$t: $stderr"
	done
}

@test "an input with no audit record is named; a filter that matched nothing is said" {
	run --separate-stderr evtparse "$ROOT/README.md" "$DATA/formats/auditd.log"
	assert_success
	[ "$stderr" = "aa-evtparse: $ROOT/README.md: no audit record in $(wc -l < "$ROOT/README.md") lines" ]
	run --separate-stderr merge --profile nosuch <(evtparse "$DATA/sample.log")
	[ "$status" -eq 1 ]
	assert_output ''
	[ "$stderr" = "bm-merge: nothing learnt: no event of the 8 read passed --profile, --comm, --exe, --pid or --ses; profiles seen: web-nginx" ]
	run --separate-stderr evtparse --profile nosuch "$DATA/sample.log"
	[ "$status" -eq 1 ]
	assert_output ''
	[ "$stderr" = "aa-evtparse: no event passed the filters: 8 filtered out; --profile nosuch matched none, profiles seen: web-nginx" ]
}
