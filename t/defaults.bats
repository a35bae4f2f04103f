#!/usr/bin/env bats
# Safe by default: nothing silent when nothing was found, no denial
# learnt unless asked, every option value checked.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
}

# A host's log: two services, one of them denied once.
host_log() {
	printf 'type=AVC msg=audit(1795430005.%03d:%d): apparmor="%s" operation="open" profile="%s" name="%s" pid=1 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' \
	    1 1 ALLOWED /usr/sbin/mysqld /etc/mysql/my.cnf \
	    2 2 ALLOWED /usr/sbin/nginx /etc/nginx/nginx.conf \
	    3 3 DENIED /usr/sbin/nginx /etc/shadow
}

@test "a filter that matches nothing, or an empty log, fails the whole pipeline, saying what it saw" {
	host_log > "$T/log"
	run --separate-stderr bash -o pipefail -c "'$BIN/aa-evtparse' --profile nginx '$T/log' | '$BIN/bm-merge' | '$BIN/bm-profile'"
	[ "$status" -ne 0 ]
	assert_output ''
	[[ $stderr == *"--profile nginx matched none, profiles seen: /usr/sbin/mysqld, /usr/sbin/nginx"* ]] || fail "$stderr"
	[[ $stderr == *"bm-merge: no input: not one event or model was read"* ]] || fail "$stderr"
	[[ $stderr == *"bm-profile: stdin: an empty model, nothing learnt"* ]] || fail "$stderr"
	: > "$T/empty"
	run --separate-stderr bash -o pipefail -c "'$BIN/aa-evtparse' '$T/empty' | '$BIN/bm-merge' | '$BIN/bm-profile'"
	[ "$status" -ne 0 ]
	assert_output ''
	[[ $stderr == *"aa-evtparse: no event: the input is empty"* ]] || fail "$stderr"
	# bm-merge's own filter, and bm-diff with nothing to judge
	run --separate-stderr merge --profile nginx <(evtparse "$T/log")
	[ "$status" -eq 1 ]
	[ "$stderr" = "bm-merge: nothing learnt: no event of the 3 read passed --profile, --comm, --exe, --pid or --ses; profiles seen: /usr/sbin/mysqld, /usr/sbin/nginx" ]
	evtparse "$T/log" | merge --profile /usr/sbin/nginx > "$T/approved"
	run --separate-stderr tool bm-diff "$T/approved" "$T/empty"
	[ "$status" -eq 2 ]
	[[ $stderr == *"nothing to judge: 0 values read"* ]] || fail "$stderr"
	# bm-advise takes no empty model either
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{}}}' > "$T/m"
	run --separate-stderr tool bm-advise AppArmor "$T/m"
	[ "$status" -eq 2 ]
	[[ $stderr == *"an empty model, nothing learnt"* ]] || fail "$stderr"
}

@test "a host log of several profiles is refused without a choice, naming them" {
	host_log > "$T/log"
	run --separate-stderr merge <(evtparse "$T/log")
	[ "$status" -eq 2 ]
	assert_output ''
	[ "$stderr" = "bm-merge: events of 2 profiles: /usr/sbin/mysqld, /usr/sbin/nginx; --profile NAME learns one, --all-profiles folds them all into one model" ]
	run jq -c '.data.dynamicResult.appArmor.profiles' <(evtparse "$T/log" | merge --all-profiles)
	assert_output '["/usr/sbin/mysqld","/usr/sbin/nginx"]'
	# models of several workloads are folded as they are
	evtparse "$T/log" | merge --profile /usr/sbin/mysqld > "$T/a"
	evtparse "$T/log" | merge --profile /usr/sbin/nginx > "$T/b"
	run merge "$T/a" "$T/b"
	assert_success
}

@test "a denial is not learnt as an allow rule unless asked, AppArmor's and seccomp's" {
	host_log > "$T/log"
	echo 'type=SECCOMP msg=audit(1795430006.000:9): auid=0 uid=0 ses=1 subj=/usr/sbin/nginx (enforce) pid=1 comm="x" exe="/x" sig=0 arch=c000003e syscall=101 compat=0 ip=0x1 code=0x50001' >> "$T/log"
	run jq -c '[.data.dynamicResult.appArmor.files[].path, .data.dynamicResult.seccomp]' <(evtparse "$T/log" | merge --profile /usr/sbin/nginx)
	assert_output '["/etc/nginx/nginx.conf",null]'
	run jq -c '[.data.dynamicResult.appArmor.files[].path, .data.dynamicResult.seccomp.syscalls]' \
	    <(evtparse "$T/log" | merge --profile /usr/sbin/nginx --mode ALLOWED,DENIED,errno)
	assert_output '["/etc/nginx/nginx.conf","/etc/shadow",["ptrace"]]'
	# bm-diff judges what was tried, denials too
	evtparse "$T/log" | merge --profile /usr/sbin/nginx > "$T/approved"
	run tool bm-diff "$T/approved" <(evtparse "$T/log" | jq -c 'select(.profile != "/usr/sbin/mysqld")')
	[ "$status" -eq 1 ]
	assert_line --partial '"path":"/etc/shadow"'
	assert_line --partial '"ptrace"'
}

@test "a typo in an enumerated option or an impossible date is a usage error naming it" {
	local bad
	for bad in "aa-evtparse --mode DENYED" "bm-merge --mode FOO" "aa-evtparse --event apparmour" \
	    "bm-merge --event seccom" "aa-evtparse --since 2026-13-45" "aa-evtparse --since 2026-02-30" \
	    "aa-evtparse --until 2026-01-01T25:00:00" "aa-evtparse --since 2026-11-23T10:61:00"; do
		run --separate-stderr tool $bad /dev/null
		[ "$status" -eq 2 ] || fail "$bad: status $status"
		[[ $stderr == *"${bad##* }"* ]] || fail "$bad: $stderr"
		assert_output ''
	done
	run --separate-stderr evtparse --since 2026-02-01 --until 2026-01-01 /dev/null
	[ "$status" -eq 2 ]
	[[ $stderr == *"--since is not before --until"* ]] || fail "$stderr"
	# 2028-02-29 is a day; 2026-02-29 is not
	run evtparse --since 2028-02-29 --until 2028-03-01 /dev/null
	[ "$status" -eq 1 ]
	run evtparse --since 2026-02-29 /dev/null
	[ "$status" -eq 2 ]
}

@test "-h and -V are --help and --version, for every tool" {
	local t
	for t in aa-evtparse bpf-mountwatch bm-merge bm-profile bm-advise bm-diff; do
		run --separate-stderr tool "$t" -h
		assert_success
		assert_line --index 0 --partial "usage: $t"
		cmp <(tool "$t" -h) <(tool "$t" --help)
		run --separate-stderr tool "$t" -V
		assert_success
		assert_output --regexp "^$t [0-9]+\\.[0-9]+\\.[0-9]+\$"
	done
}

@test "asked for, an entry learnt from denials only says so: in the model, the profile and bm-diff's report" {
	{ aa_event /srv/denied '{"apparmor":"DENIED"}'
	  aa_event /srv/both '{"apparmor":"DENIED"}'; aa_event /srv/both
	  aa_event x '{"apparmor":"DENIED","operation":"capable","capname":"sys_admin"}'
	  aa_event x '{"operation":"capable","capname":"chown"}'; } > "$T/ev"
	merge --mode ALLOWED,DENIED "$T/ev" > "$T/m"
	run jq -c '.data.dynamicResult.appArmor | [[.files[] | [.path, .denied]], .capabilities, .capabilitiesDenied]' "$T/m"
	assert_output '[[["/srv/both",null],["/srv/denied",true]],["chown","sys_admin"],["sys_admin"]]'
	# a model read back keeps it; the mark holds while every event was a denial
	merge "$T/m" | cmp - "$T/m"
	tac "$T/ev" | merge --mode ALLOWED,DENIED | cmp - "$T/m"
	run jq -c '[.data.dynamicResult.appArmor.files[] | [.path, .denied]]' <(aa_event /srv/denied | merge "$T/m" -)
	assert_output '[["/srv/both",null],["/srv/denied",null]]'
	# the profile says it of the rule; vArmor's export carries no mark
	profile "$T/m" > "$T/p"
	assert_compiles "$T/p"
	run grep -E 'srv|capability' "$T/p"
	assert_output '  owner /srv/both r,
  owner /srv/denied r,  # learnt from denials only
  capability chown,
  capability sys_admin,  # learnt from denials only'
	! profile --varmor --name w "$T/m" | jq -c '.data.dynamicResult' | grep -q -i denied
	# bm-diff: a new entry the run was refused, each time
	aa_event /srv/ok | merge > "$T/approved"
	run tool bm-diff "$T/approved" "$T/ev"
	[ "$status" -eq 1 ]
	assert_line '{"change":"new","section":"appArmor.files","entry":{"path":"/srv/denied","owner":true,"permissions":["r"],"oldPath":"","denied":true},"denied":true,"profile":"web","program":"app"}'
	assert_line '{"change":"new","section":"appArmor.files","entry":{"path":"/srv/both","owner":true,"permissions":["r"],"oldPath":""},"profile":"web","program":"app"}'
	assert_line '{"change":"new","section":"appArmor.capabilities","entry":"sys_admin","denied":true,"profile":"web","program":"app"}'
}

@test "bm-diff names who did a new entry first, and a profile the approval does not name is new" {
	aa_event /srv/a | merge > "$T/approved"
	# the same access under another label does not pass for the approved one
	run tool bm-diff "$T/approved" <(aa_event /srv/a '{"profile":"evil"}')
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"appArmor.profiles","entry":"evil","profile":"evil","program":"app"}'
	# the earliest event behind a new entry, whatever the order
	{ aa_event /srv/new '{"time":1795430009,"comm":"late"}'
	  aa_event /srv/new '{"time":1795430005.25,"comm":"early","exe":"/usr/bin/early"}'
	  aa_event /srv/new '{"time":1795430007,"comm":"mid"}'; } > "$T/ev"
	run tool bm-diff "$T/approved" "$T/ev"
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"appArmor.files","entry":{"path":"/srv/new","owner":true,"permissions":["r"],"oldPath":""},"profile":"web","program":"/usr/bin/early","time":1795430005.25}'
	cmp <(tool bm-diff "$T/approved" "$T/ev") <(tac "$T/ev" | tool bm-diff "$T/approved")
	# a hand-made approval that names no profile is not held to one
	jq -c 'del(.data.dynamicResult.appArmor.profiles)' "$T/approved" > "$T/hand"
	run tool bm-diff "$T/hand" <(aa_event /srv/a '{"profile":"evil"}')
	assert_success
}
