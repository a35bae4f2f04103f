#!/usr/bin/env bats
# bm-advise: vArmor's policy advisor's decisions, and what mounts in the
# model decide beyond them.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	VARMOR=$CORPUS/varmor/built-in-rules.json
}

# The decision on rule $2 in the NDJSON of $1: "decision check value".
decision() {
	jq -r --arg id "$2" 'select(.id == $id) | [.decision, .check // "-", .value // "-"] | join(" ")' "$1"
}

@test "parity with vArmor's advisor on its own catalog: 3360 combinations of enforcers, features, capabilities and models" {
	run python3 "$BATS_TEST_DIRNAME/advisor_parity.py" "$BIN" "$VARMOR"
	assert_success
	assert_output '3360 runs, 0 differ'
}

@test "the mount scenario: AppArmor mount lines make disallow-mount a skip naming the mount, procfs untouched" {
	evtparse "$DATA/mounts.log" | merge > "$T/m"
	advise --catalog "$VARMOR" AppArmor,BPF "$T/m" > "$T/d"
	run jq -r 'select(.id == "disallow-mount") | .decision, .check, .value, .reason' "$T/d"
	assert_output 'skip
feature
mount-sth
conflicts with feature mount-sth: the model mounts /srv/data/ on /mnt/bind/'
	run decision "$T/d" disallow-umount
	assert_output 'skip feature umount-sth'
	run jq -r 'select(.id == "disallow-umount") | .reason' "$T/d"
	assert_output 'conflicts with feature umount-sth: the model unmounts /mnt/test/'
	run decision "$T/d" disallow-mount-procfs
	assert_output 'recommend - -'
	# and with the built-in catalog the same, through its mount checks too
	advise AppArmor,BPF "$T/m" > "$T/b"
	run decision "$T/b" disallow-mount
	assert_output 'skip feature mount-sth'
	run decision "$T/b" disallow-mount-procfs
	assert_output 'recommend - -'
}

@test "a model without mounts recommends disallow-mount and disallow-umount" {
	aa_event /etc/hosts | merge > "$T/m"
	for catalog in "$VARMOR" "$ROOT/catalog/bm-rules.json"; do
		advise --catalog "$catalog" AppArmor,BPF "$T/m" > "$T/d"
		run decision "$T/d" disallow-mount
		assert_output 'recommend - -'
		run decision "$T/d" disallow-umount
		assert_output 'recommend - -'
	done
	run jq -c '.enhanceProtect.hardeningRules | index("disallow-mount") != null and index("disallow-umount") != null' \
	    <(advise --policy AppArmor "$T/m")
	assert_output true
}

@test "conflicts.mounts: procfs, cgroupfs, securityfs and disk mounts each skip their own rule" {
	printf '%s\n' \
	    '{"event":"mount","seq":1,"syscall":"mount","source":"proc","target":"/x/proc","fstype":"proc","flags":[],"ret":0}' \
	    '{"event":"mount","seq":2,"syscall":"mount","source":"none","target":"/x/cg","fstype":"cgroup2","flags":[],"ret":0}' \
	    '{"event":"mount","seq":3,"syscall":"mount","source":"/sys/kernel/security","target":"/x/sec","flags":["MS_BIND"],"ret":0}' \
	    '{"event":"mount","seq":4,"syscall":"mount","source":"/dev/sdb1","target":"/x/disk","fstype":"ext4","flags":[],"ret":0}' |
	    merge > "$T/m"
	advise -f privileged-container AppArmor,BPF "$T/m" > "$T/d"
	run jq -r 'select(.check == "mount") | "\(.id): \(.reason)"' "$T/d"
	assert_output 'disallow-mount-securityfs: the model mounts /sys/kernel/security on /x/sec
disallow-mount-procfs: the model mounts proc proc on /x/proc
disallow-mount-cgroupfs: the model mounts cgroup2 none on /x/cg
disallow-mount-disk-device: the model mounts ext4 /dev/sdb1 on /x/disk'
	# a tmpfs mount touches none of them
	echo '{"event":"mount","seq":1,"syscall":"mount","source":"t","target":"/x/t","fstype":"tmpfs","flags":[],"ret":0}' |
	    merge > "$T/t"
	run jq -r 'select(.check == "mount") | .id' <(advise -f privileged-container AppArmor,BPF "$T/t")
	assert_output ''
}

@test "mount-family syscalls in seccomp.syscalls imply mount-sth and umount-sth" {
	printf '%s\n' '{"event":"seccomp","arch":"x86_64","syscall":"fsmount"}' \
	    '{"event":"seccomp","arch":"x86_64","syscall":"umount2"}' | merge > "$T/m"
	advise AppArmor,BPF,Seccomp "$T/m" > "$T/d"
	run jq -r 'select(.id == "disallow-mount" or .id == "disallow-umount") | .reason' "$T/d"
	assert_output 'conflicts with feature mount-sth: the model calls fsmount(2)
conflicts with feature umount-sth: the model calls umount2(2)'
}

@test "every catalog rule gets one line: id, category, decision and a reason" {
	evtparse "$DATA/sample.log" | merge --mode ALLOWED,DENIED,log > "$T/m"
	advise --catalog "$VARMOR" -f require-sa -c kill AppArmor,BPF,Seccomp "$T/m" > "$T/d"
	[ "$(wc -l < "$T/d")" -eq "$(jq '[.[][]] | length' "$VARMOR")" ]
	run jq -r '[.id, .category, .decision, (.reason | length > 0)] | @tsv' "$T/d"
	refute_output --partial 'false'
	run diff <(jq -r .id "$T/d") <(jq -r '.escape_pattern, .capability_set, .capability, .blocking_exploit_vectors, .information_leak, .sensitive_operations, .vulnerability_mitigation | .[].id' "$VARMOR")
	assert_success
	run jq -r 'select(.id == "mitigate-sa-leak") | .reason' "$T/d"
	assert_output 'conflicts with feature require-sa: given with -f'
	run jq -r 'select(.id == "disable-cap-net-admin") | .reason' "$T/d"
	assert_output 'the model uses capability net_admin'
	run jq -r 'select(.id == "disable-cap-kill") | .reason' "$T/d"
	assert_output 'conflicts with capability kill, given with -c'
	run jq -r 'select(.id == "disable-curl") | .reason' "$T/d"
	assert_output 'the model executes curl'
	run jq -r 'select(.id == "disable-cap-all") | .reason' "$T/d"
	assert_output 'conflicts with feature mount-sth: the model mounts ext4 /dev/vdb1 on /mnt/data/'
	run jq -r 'select(.category == "sensitive_operations" and .decision == "skip") | .id' \
	    <(advise --catalog "$VARMOR" AppArmor,BPF,Seccomp)
	[ "$(echo "$output" | wc -l)" -eq 11 ]
}

@test "files conflict by path_regex on oldPath and permissions; optional model fields may be missing" {
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"apparmor":{"files":[{"path":"/proc/*/mountinfo","oldPath":"/proc/1/mountinfo","permissions":["r"]},{"path":"/etc/x"}]}}}}' > "$T/m"
	advise --catalog "$VARMOR" AppArmor,BPF "$T/m" > "$T/d"
	run jq -r 'select(.check == "file") | "\(.id) \(.value) \(.reason)"' "$T/d"
	assert_output 'mitigate-disk-device-number-leak /proc/1/mountinfo the model accesses /proc/1/mountinfo with r
mitigate-overlayfs-leak /proc/1/mountinfo the model accesses /proc/1/mountinfo with r'
	run decision "$T/d" disable-write-etc
	assert_output 'recommend - -'
}

@test "--infer: features beyond mounts, and every kind of conflict a rule lists" {
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"seccomp":{"syscalls":["bpf"]},"apparmor":{"capabilities":["net_bind_service"],"files":[{"path":"/run/secrets/kubernetes.io/serviceaccount/token","permissions":["r"]}]}}}}' > "$T/m"
	# vArmor looks at the capabilities the rule lists, not at its syscalls
	run decision <(advise --catalog "$VARMOR" Seccomp "$T/m") disallow-load-all-bpf-prog
	assert_output 'recommend - -'
	advise --infer --catalog "$VARMOR" AppArmor,BPF,Seccomp "$T/m" > "$T/d"
	run jq -r 'select(.id == "disallow-load-all-bpf-prog" or .id == "disable-cap-all" or .id == "mitigate-sa-leak") | .reason' "$T/d"
	assert_output 'conflicts with feature bind-privileged-socket-port: the model uses capability net_bind_service
conflicts with feature load-bpf: the model calls bpf(2)
conflicts with feature require-sa: the model accesses /run/secrets/kubernetes.io/serviceaccount/token'
}

@test "the built-in catalog has every rule id of vArmor's, and its own catalog checks are valid" {
	run diff <(jq -r '.[][].id' "$ROOT/catalog/bm-rules.json" | sort) <(jq -r '.[][].id' "$VARMOR" | sort)
	assert_success
	run jq -r '[.[][] | select(.conflicts.mounts)] | map(.id) | join(" ")' "$ROOT/catalog/bm-rules.json"
	assert_output 'disallow-mount-securityfs disallow-mount-procfs disallow-mount-cgroupfs disallow-mount-disk-device disallow-mount disallow-umount'
	cmp <(advise AppArmor) <(advise --catalog "$ROOT/catalog/bm-rules.json" AppArmor)
}

# A catalog that bm-advise refuses: exit 2, and this message after the file's name.
refused() {
	echo "$1" > "$T/c"
	run --separate-stderr advise --catalog "$T/c" AppArmor
	[ "$status" -eq 2 ] || fail "status $status for $1"
	[ "$stderr" = "bm-advise: $T/c: $2" ] || fail "$stderr"
}

@test "a bad catalog is refused, naming the rule and the field; exit 2" {
	local c=$T/c
	echo '{"escape_pattern": [' > "$c"
	run --separate-stderr advise --catalog "$c" AppArmor
	[ "$status" -eq 2 ]
	[[ $stderr == *"$c"* ]]
	echo '{"escape_pattern":[{"id":"r1","enforcers":["apparmor"],"conflicts":{"files":[{"path_regex":"a(b","permissions":["r"]}]}}]}' > "$c"
	run --separate-stderr advise --catalog "$c" AppArmor
	[ "$status" -eq 2 ]
	[[ $stderr == "bm-advise: $c: rule r1: conflicts.files[0].path_regex: bad regex \"a(b\""* ]]
	refused '{"capability":[{"id":"r2","enforcers":["bpf"],"conflicts":{"users":["root"]}}]}' \
	    'rule r2: conflicts.users: unknown check kind'
	refused '{"capabilities":[]}' 'capabilities: unknown category'
	refused '{"capability":[{"enforcers":["bpf"]}]}' 'capability[0]: no "id"'
	refused '{"capability":[{"id":"r3","enforcers":"bpf"}]}' \
	    'rule r3: enforcers: expected a list of strings'
	refused '{"escape_pattern":[{"id":"r4","enforcers":["bpf"],"conflicts":{"mounts":[{"operation":"swap"}]}}]}' \
	    'rule r4: conflicts.mounts[0].operation: expected mount, umount or pivot_root'
}

@test "a bad model is refused, naming the field; exit 2" {
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"apparmor":{"files":[{"path":"/a","permissions":"r"}]}}}}' > "$T/m"
	run --separate-stderr advise AppArmor "$T/m"
	[ "$status" -eq 2 ]
	[ "$stderr" = "bm-advise: $T/m: data.dynamicResult.apparmor.files[0].permissions: expected an array of strings" ]
	echo '{"kind":"Pod"}' > "$T/m"
	run --separate-stderr advise AppArmor "$T/m"
	[ "$stderr" = "bm-advise: $T/m: not an ArmorProfileModel" ]
	echo 'nope' > "$T/m"
	run --separate-stderr advise AppArmor "$T/m"
	[ "$status" -eq 2 ]
	aa_event /a | merge > "$T/one"
	cat "$T/one" "$T/one" > "$T/two"
	run --separate-stderr advise AppArmor "$T/two"
	[ "$status" -eq 2 ]
	[[ $stderr == *"one model only"* ]]
	run --separate-stderr advise -o /dev/full AppArmor "$T/one"
	[ "$status" -eq 2 ]
}

@test "bm-advise: --help, --version, and one usage line for bad options" {
	assert_cli bm-advise --bogus '' 'SELinux' 'AppArmor a b' '-f'
}

@test "bm-advise(1) documents every option, the catalog extension and the output" {
	assert_man_page "$ROOT/man/bm-advise.1" bm-advise path_regex source_regex operation \
	    fstype recommend skip hardeningRules attackProtectionRules vulMitigationRules \
	    EnhanceProtect mount-sth umount-sth
}

@test "catalog faults found late: a duplicate id, an enforcer nobody has, a key that is no check" {
	refused '{"capability":[{"id":"r1","enforcers":["bpf"]},{"id":"r1","enforcers":["bpf"]}]}' \
	    'capability[1]: rule r1 is there twice'
	refused '{"capability":[{"id":"r2","enforcers":["AppArmor"]}]}' \
	    'rule r2: enforcers: AppArmor is not apparmor, bpf, seccomp or *'
	refused '{"capability":[{"id":"r3","enforcers":["bpf"],"severity":1}]}' \
	    'rule r3: rule.severity: unknown key'
}

@test "a regex with stacked repetitions or over 1000 copies is refused, as Go's regexp refuses it" {
	# glibc's regcomp takes a minute for 24 stacked pluses; these stop at once
	refused '{"capability":[{"id":"r4","enforcers":["bpf"],"conflicts":{"mounts":[{"source_regex":"^/d++++++++++++++++++++++++ev"}]}}]}' \
	    'rule r4: conflicts.mounts[0].source_regex: regex "^/d++++++++++++++++++++++++ev" refused: nested repetition operator'
	refused '{"capability":[{"id":"r5","enforcers":["bpf"],"conflicts":{"files":[{"path_regex":"((((((((((a+)+)+)+)+)+)+)+)+)+)+"}]}}]}' \
	    'rule r5: conflicts.files[0].path_regex: regex "((((((((((a+)+)+)+)+)+)+)+)+)+)+" refused: repeat count over 1000, counted through nested groups'
	refused '{"capability":[{"id":"r6","enforcers":["bpf"],"conflicts":{"files":[{"path_regex":"(a{10}){101}"}]}}]}' \
	    'rule r6: conflicts.files[0].path_regex: regex "(a{10}){101}" refused: repeat count over 1000, counted through nested groups'
	refused '{"capability":[{"id":"r8","enforcers":["bpf"],"conflicts":{"files":[{"path_regex":"x????????????????????????????????????????+++"}]}}]}' \
	    'rule r8: conflicts.files[0].path_regex: regex "x????????????????????????????????????????+++" refused: nested repetition operator'
	# what vArmor's own rules use, and counts up to 1000, still compile
	printf '%s\n' '{"capability":[{"id":"r7","enforcers":["bpf"],"conflicts":{"files":[{"path_regex":"^/proc(/|$)|(a{10}){100}|[]+]{3}|x+?"}]}}]}' > "$T/ok.json"
	run advise --catalog "$T/ok.json" BPF
	assert_success
}
