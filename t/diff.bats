#!/usr/bin/env bats
# bm-diff: the CI gate.  New behaviour against an approved model, with
# coverage as AppArmor means it, and the approved entries nothing used.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
}

# One run of a workload: pid and temp ids differ from run to run.
run_events() {
	local pid=$1 tmp=$2
	aa_event "/proc/$pid/status" "{\"pid\":$pid}"
	aa_event "/tmp/tmp.$tmp/data" "{\"pid\":$pid,\"requested_mask\":\"rw\",\"denied_mask\":\"rw\"}"
	aa_event /etc/app.conf "{\"pid\":$pid}"
	aa_event x "{\"pid\":$pid,\"operation\":\"capable\",\"capname\":\"chown\"}"
	echo "{\"event\":\"seccomp\",\"pid\":$pid,\"comm\":\"app\",\"subj\":\"web (enforce)\",\"arch\":\"x86_64\",\"syscall\":\"read\"}"
}

# A hand-written approved model of the files given as path:perms.
approved_files() {
	local f
	for f in "$@"; do
		jq -cn --arg p "${f%:*}" --arg m "${f##*:}" '{path: $p, permissions: ($m | split(""))}'
	done | jq -sc '{apiVersion: "crd.varmor.org/v1beta1", kind: "ArmorProfileModel",
	    metadata: {name: "approved"}, data: {dynamicResult: {appArmor: {files: .}}}}'
}

@test "the same behaviour with other pids and temp ids is nothing new: exit 0, no output" {
	run_events 1234 Xy7Qk2Lm9P | merge > "$T/approved"
	run diff_ "$T/approved" <(run_events 5678 Ab3Cd9Ef1G)
	assert_success
	assert_output ''
	run diff_ "$T/approved" - < <(run_events 5678 Ab3Cd9Ef1G)
	assert_success
	assert_output ''
}

@test "a pretty-printed --counts approved model works as the plain one" {
	run_events 1234 Xy7Qk2Lm9P | merge --counts | jq . > "$T/approved"
	[ "$(wc -l < "$T/approved")" -gt 20 ]
	run diff_ "$T/approved" <(run_events 99 Zz8Yy7Xx6W)
	assert_success
	assert_output ''
}

@test "new file access, mount, capability and syscall each give 1 and are named" {
	run_events 1 Xy7Qk2Lm9P | merge > "$T/approved"
	run diff_ "$T/approved" <(aa_event /etc/shadow)
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"appArmor.files","entry":{"path":"/etc/shadow","owner":true,"permissions":["r"],"oldPath":""},"profile":"web","program":"app"}'
	run diff_ "$T/approved" <(aa_event /etc/app.conf '{"requested_mask":"w","denied_mask":"w"}')
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"appArmor.files","entry":{"path":"/etc/app.conf","owner":true,"permissions":["w"],"oldPath":""},"profile":"web","program":"app","missing":{"permissions":["w"]},"closest":[{"path":"/etc/app.conf","owner":true,"permissions":["r"],"oldPath":""}]}'
	run diff_ "$T/approved" <(aa_event x '{"operation":"capable","capname":"sys_admin"}')
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"appArmor.capabilities","entry":"sys_admin","profile":"web","program":"app"}'
	run diff_ "$T/approved" <(echo '{"event":"seccomp","subj":"web","arch":"x86_64","syscall":"ptrace"}')
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"seccomp.syscalls","entry":"ptrace","profile":"web"}'
	evtparse "$DATA/mounts.log" | merge > "$T/mounts"
	run diff_ "$T/mounts" <(evtparse "$DATA/mounts.log")
	assert_success
	run diff_ "$T/mounts" <(echo '{"event":"mount","seq":1,"pid":9,"comm":"mnt","syscall":"mount","target":"/mnt/test","flags":["MS_RDONLY","MS_REMOUNT","MS_NOEXEC"],"ret":0}' |
	    merge --name m | jq -c '.data.dynamicResult.appArmor = .data.dynamicResult.bpf | del(.data.dynamicResult.bpf)')
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"appArmor.mounts","entry":{"path":"/mnt/test","flags":["noexec","remount","ro"]}}'
	run diff_ "$T/mounts" <(echo '{"event":"apparmor","apparmor":"ALLOWED","operation":"remount","profile":"web","name":"/mnt/test/","flags":"ro, noexec"}')
	[ "$status" -eq 1 ]
	assert_output --partial '"entry":{"path":"/mnt/test/","flags":["noexec","remount","ro"]},"profile":"web","closest":[{"path":"/mnt/test/"'
}

@test "a hand-widened glob covers its matches and not its non-matches" {
	approved_files '/etc/**:r' '/srv/{a,b}/?.txt:rw' '/data/[0-9]*:r' '/lit/\*:r' '/opt/*/bin:r' > "$T/approved"
	for p in /etc/app.conf /etc/ssl/private/k.pem /srv/a/x.txt /srv/b/y.txt /data/7abc '/lit/*'; do
		run diff_ "$T/approved" <(aa_event "$p")
		assert_success
		assert_output ''
	done
	for p in /etcetera /srv/c/x.txt /srv/a/xy.txt /data/x7 /lit/a /opt/a/b/bin; do
		run diff_ "$T/approved" <(aa_event "$p")
		[ "$status" -eq 1 ] || fail "$p was covered"
		assert_output --partial "\"path\":"
	done
	# a generalised path is covered by a * or **, never by a literal
	run diff_ "$T/approved" <(aa_event /opt/3f1c0bd9a8e27c4d5f60718293a4b5c6/bin)
	assert_success
	approved_files '/opt/x/bin:r' > "$T/literal"
	run diff_ "$T/literal" <(aa_event /opt/3f1c0bd9a8e27c4d5f60718293a4b5c6/bin)
	[ "$status" -eq 1 ]
	# w holds a; owner rules cover only the owner's accesses
	approved_files '/log/*:w' > "$T/w"
	run diff_ "$T/w" <(aa_event /log/app '{"requested_mask":"a","denied_mask":"a"}')
	assert_success
	jq -c '.data.dynamicResult.appArmor.files[0].owner = true' "$T/w" > "$T/owner"
	run diff_ "$T/owner" <(aa_event /log/app '{"requested_mask":"w","denied_mask":"w","ouid":0}')
	[ "$status" -eq 1 ]
	run diff_ "$T/owner" <(aa_event /log/app '{"requested_mask":"w","denied_mask":"w"}')
	assert_success
}

@test "--unused lists exactly the unexercised entries and permissions" {
	{ run_events 1 Xy7Qk2Lm9P; aa_event /var/unused; aa_event /etc/app.conf '{"requested_mask":"w","denied_mask":"w"}'; } |
	    merge > "$T/approved"
	run diff_ --unused "$T/approved" <(run_events 2 Ab3Cd9Ef1G)
	assert_success
	assert_output '{"change":"unused","section":"appArmor.files","entry":{"path":"/etc/app.conf","owner":true,"permissions":["r","w"],"oldPath":""},"unused":{"permissions":["w"]}}
{"change":"unused","section":"appArmor.files","entry":{"path":"/var/unused","owner":true,"permissions":["r"],"oldPath":""}}'
	run diff_ --unused "$T/approved" <(run_events 2 Ab3Cd9Ef1G; aa_event /var/unused; aa_event /etc/app.conf '{"requested_mask":"w","denied_mask":"w"}')
	assert_success
	assert_output ''
	# an approved syscall never made
	run diff_ --unused "$T/approved" <(run_events 2 Ab3Cd9Ef1G | grep -v seccomp; aa_event /var/unused; aa_event /etc/app.conf '{"requested_mask":"w","denied_mask":"w"}')
	assert_success
	assert_output '{"change":"unused","section":"seccomp.syscalls","entry":"read"}
{"change":"unused","section":"seccomp.architectures","entry":"x86_64"}'
}

@test "an OCI seccomp profile as APPROVED: its allowed names" {
	run_events 1 Xy7Qk2Lm9P | merge | profile --seccomp --baseline /dev/null > "$T/seccomp.json"
	run diff_ "$T/seccomp.json" <(run_events 2 Ab3Cd9Ef1G; aa_event /anything)
	assert_success
	assert_output ''
	run diff_ "$T/seccomp.json" <(echo '{"event":"seccomp","subj":"web","arch":"x86_64","syscall":"unshare"}')
	[ "$status" -eq 1 ]
	assert_output '{"change":"new","section":"seccomp.syscalls","entry":"unshare","profile":"web"}'
	echo '{"defaultAction":"SCMP_ACT_ALLOW"}' > "$T/all.json"
	run diff_ "$T/all.json" <(echo '{"event":"seccomp","subj":"web","arch":"x86_64","syscall":"unshare"}')
	assert_success
}

@test "bad input is trouble: exit 2, and the rest is still judged" {
	run_events 1 Xy7Qk2Lm9P | merge > "$T/approved"
	run --separate-stderr diff_ "$T/approved" <(echo nope; aa_event /etc/shadow)
	[ "$status" -eq 2 ]
	[[ $stderr == *":1: malformed JSON"* ]] || fail "$stderr"
	assert_output --partial '"/etc/shadow"'
	run --separate-stderr diff_ "$T/missing" /dev/null
	[ "$status" -eq 2 ]
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"appArmor":{"files":[{"path":7}]}}}}' > "$T/bad"
	run --separate-stderr diff_ "$T/bad" /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "bm-diff: $T/bad: data.dynamicResult.appArmor.files[0].path: expected a string" ]
	run --separate-stderr diff_ -o /dev/full "$T/approved" <(aa_event /etc/shadow)
	[ "$status" -eq 2 ]
}

@test "output is the same whatever the order of NEW" {
	run_events 1 Xy7Qk2Lm9P | merge > "$T/approved"
	{ for i in 1 2 3 4 5 6; do aa_event "/new/$i"; done; aa_event x '{"operation":"capable","capname":"kill"}'; } > "$T/new"
	diff_ "$T/approved" "$T/new" > "$T/a" || true
	diff_ "$T/approved" <(tac "$T/new") > "$T/b" || true
	cmp "$T/a" "$T/b"
	[ "$(wc -l < "$T/a")" -eq 7 ]
}

@test "--format sarif: one SARIF 2.1.0 log that Microsoft's multitool passes with GitHub's rules" {
	local mt=$ROOT/t/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
	[ -x "$mt" ] || fail "no SARIF multitool: scripts/deps.sh runs npm ci in t/sarif"
	run_events 1234 Xy7Qk2Lm9P | merge > "$T/approved.json"
	{ run_events 5678 Ab3Cd9Ef1G; aa_event /etc/shadow '{"pid":5678}'
	  aa_event x '{"pid":5678,"operation":"capable","capname":"sys_admin"}'; } > "$T/new.ev"
	cd "$T"
	run diff_ --unused --format sarif approved.json new.ev
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	printf '%s\n' "$output" > run.sarif
	# the same changes as the NDJSON, one result each, new ones errors
	run bash -c "jq -c '.runs[0].results[] | [.ruleId, .level, .properties.change, .properties.section, .properties.entry]' run.sarif"
	assert_output "$(diff_ --unused approved.json new.ev | jq -c '[if .change == "new" then "new-behaviour", "error" else "unused-grant", "note" end, .change, .section, .entry]')"
	assert_line --partial '"new-behaviour","error","new","appArmor.files",{"path":"/etc/shadow"'
	assert_line --partial '"new-behaviour","error","new","appArmor.capabilities"'
	run jq -r '.runs[0].results[] | select(.properties.entry | objects | .path == "/etc/shadow") |
	    .message.text, .locations[0].physicalLocation.artifactLocation.uri' run.sarif
	assert_line --index 0 --regexp '^New behaviour in appArmor\.files: \{"path":"/etc/shadow".*\}'
	assert_line --index 1 approved.json
	run "$mt" validate --rule-kind 'Gh;Sarif' run.sarif
	assert_success
	refute_output --regexp ': error [A-Z]'
	assert_output --partial 'Analysis completed successfully'
	# the check can fail: a log without its driver is an error
	jq -c 'del(.runs[0].tool.driver)' run.sarif > bad.sarif
	run "$mt" validate --rule-kind 'Gh;Sarif' bad.sarif
	assert_output --regexp ': error [A-Z]+[0-9]+: runs\[0\]\.tool: The required property .driver. is missing'
	# the same change in a later run (another time, another pid) keeps
	# its fingerprint: code scanning keeps one alert
	{ run_events 9999 Zz1Yy2Xx3W; aa_event /etc/shadow '{"pid":9999,"time":1795439999.0}'; } > later.ev
	diff_ --format sarif approved.json later.ev > later.sarif || true
	run diff <(jq -r '.runs[0].results[] | .partialFingerprints["bmChange/v1"]' run.sarif | sort) \
	    <(jq -r '.runs[0].results[] | .partialFingerprints["bmChange/v1"]' later.sarif | sort)
	assert_output --partial '< '	# the capability is in the first only
	refute_output --partial '> '
	# nothing new: a valid log with no result, exit 0
	run diff_ --format sarif approved.json <(run_events 1 Ab3Cd9Ef1G)
	assert_success
	[ "$(jq '.runs[0].results | length' <<<"$output")" -eq 0 ]
}

@test "bm-diff: --help, --version, and one usage line for bad options" {
	assert_cli bm-diff --bogus ''
}

@test "bm-diff(1) documents every option, the output and the exit status" {
	assert_man_page "$ROOT/man/bm-diff.1" bm-diff change section entry denied profile program time missing closest unused
}

@test "README's CI gate example runs as written, and fails on the new mounts" {
	# the block between the markers, less its fence lines; bin/ as built
	sed -n '/^<!-- ci-gate/,/^<!-- \/ci-gate/p' "$ROOT/README.md" | sed '1,2d;$d' |
	    sed '$d;s|^export PATH=.*||' > "$T/gate.sh"
	grep -q 'bm-diff approved.json' "$T/gate.sh"
	cp -r "$ROOT/t" "$T/t"
	cd "$T"
	run env PATH="$BIN:$PATH" bash -e gate.sh
	[ "$status" -eq 1 ]
	assert_line 'new behaviour:'
	assert_line '["appArmor.mounts",{"path":"/mnt/test/","flags":["umount"]}]'
	# a capture that failed, missing or empty, fails the gate
	sed 's|^cat t/data/sample.log t/data/mounts.log > run.log|rm -f run.log|' gate.sh > missing.sh
	run env PATH="$BIN:$PATH" bash -e missing.sh
	[ "$status" -eq 2 ]
	assert_line --partial 'run.log could not be judged'
	sed 's|^cat t/data/sample.log t/data/mounts.log > run.log|: > run.log|' gate.sh > empty.sh
	run env PATH="$BIN:$PATH" bash -e empty.sh
	[ "$status" -eq 2 ]
	assert_line --partial 'no event: the input is empty'
	! grep -q 'no new behaviour' <<<"$output"
}
