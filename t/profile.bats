#!/usr/bin/env bats
# bm-profile: models to AppArmor and seccomp profiles, proven on the real
# toolchain: apparmor_parser compiles every AppArmor profile written here.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	AA=$CORPUS/apparmor-test_multi
}

# The rules of one section of the profile in $1.
section() {
	sed -n "/# ---- $2 ----/,/^\(\$\|}\)/p" "$1" | sed '1d;/^$/d;/^}$/d;s/^  //'
}

@test "every corpus rule is in the profile made from its audit line, and the profile compiles" {
	run python3 "$BATS_TEST_DIRNAME/corpus_profile.py" "$BIN" "$AA"
	assert_success
	assert_line --regexp '^checked (8[0-9]) rules \(1[0-9] with --abi 4.0\), 8[0-9] profiles compiled, 0 failed$'
}

@test "the mount scenario: a tmpfs mount on /mnt/test, its remount and umount become rules" {
	evtparse "$DATA/mounts.log" | merge | profile > "$T/p"
	assert_compiles "$T/p"
	run section "$T/p" MOUNT
	assert_output 'mount fstype=tmpfs options=(nodev, nosuid, rw) tmpfs -> /mnt/test/,
mount options=(make-rprivate, rw) -> /mnt/test/,
mount options=(move, rw) /mnt/bind/ -> /mnt/moved/,
mount options=(rbind, rw) /srv/data/ -> /mnt/bind/,
mount options=(remount, ro) -> /mnt/test/,
pivot_root oldroot=/newroot/old/ /newroot/,
umount /mnt/test/,'
	run grep -c '^profile web flags=(attach_disconnected,mediate_deleted) {$' "$T/p"
	assert_output 1
}

@test "bpf.mounts: paths as the caller gave them match with or without the directory slash" {
	printf '%s\n' \
	    '{"event":"mount","seq":1,"syscall":"mount","source":"src","target":"/m/a","fstype":"tmpfs","flags":["MS_NOSUID"],"data":"size=1m","ret":0}' \
	    '{"event":"mount","seq":2,"syscall":"mount","source":"/srv/d","target":"/m/b","flags":["MS_BIND","MS_REC"],"ret":0}' \
	    '{"event":"mount","seq":3,"syscall":"mount","source":"none","target":"/m/a","flags":["MS_REMOUNT","MS_RDONLY"],"ret":0}' \
	    '{"event":"mount","seq":4,"syscall":"mount","target":"/m/b","flags":["MS_SHARED","MS_NOSYMFOLLOW"],"ret":0}' \
	    '{"event":"mount","seq":5,"syscall":"umount2","target":"/m/a","flags":[],"ret":0}' \
	    '{"event":"mount","seq":6,"syscall":"pivot_root","new_root":".","put_old":".","ret":0}' |
	    merge --name w | profile > "$T/p"
	assert_compiles "$T/p"
	run section "$T/p" MOUNT
	assert_output '# no AppArmor name for mount option nosymfollow: left out
mount fstype=tmpfs options=(nosuid, rw) src -> /m/a{,/},
mount options=(make-shared, rw) -> /m/b{,/},
mount options=(rbind, rw) /srv/d{,/} -> /m/b{,/},
mount options=(remount, ro) -> /m/a{,/},
umount /m/a{,/},'
}

@test "crafted paths, names and peers compile into rules that match only themselves" {
	local p
	for p in '/tmp/adv/with space' '/tmp/adv/q"uote' '/tmp/adv/a,/** rwx' \
	    '/tmp/adv/{a,b}' '/tmp/adv/*' '/tmp/adv/[x]?^' $'/tmp/adv/new\nline' \
	    '/tmp/adv/back\slash' '/tmp/adv/end\' '/tmp/adv/#hash' '/tmp/adv/x=(y)' \
	    '/tmp/adv/@{HOME}' $'/tmp/adv/raw\xff\xfe' '/tmp/adv/é'; do
		aa_event "$p" '{"profile":"adv"}'
	done > "$T/ev"
	aa_event '/usr/bin/e x,e' '{"profile":"adv","operation":"exec","requested_mask":"x"}' >> "$T/ev"
	aa_event x '{"profile":"adv","operation":"signal","requested_mask":"send","signal":"term","peer":"evil, /** rwx"}' >> "$T/ev"
	jq -cn '{event:"mount",seq:1,syscall:"mount",source:"/srv/my dir",target:"/mnt/a b,c",flags:["MS_BIND"],ret:0},
	    {event:"mount",seq:2,syscall:"mount",source:"x",target:"/mnt/t\"\n,/** rwx",fstype:"tm\"pfs",flags:[],ret:0}' >> "$T/ev"
	merge --no-generalize "$T/ev" | profile > "$T/p"
	assert_compiles "$T/p"
	# no rule was injected: one line a path, 14 file rules
	[ "$(section "$T/p" FILE | wc -l)" -eq 14 ]
	[ "$(grep -c 'adv' "$T/p")" -ge 16 ]
	# each compiles to a literal: no class, group, alternation or repeat
	apparmor_parser -Q -K --dump=rule-exprs "$T/p" 2>&1 |
	    awk '/^rule: \/(tmp\/adv|usr\/bin\/e)/ { sub(/^.*  ->  /, ""); sub(/ \(0x.*$/, ""); print }' > "$T/exprs"
	[ "$(wc -l < "$T/exprs")" -ge 14 ]
	run sed 's/\\.//g' "$T/exprs"
	refute_output --regexp '[[(*|]'
	# the mount point keeps its characters, with the slash alternation only
	run section "$T/p" MOUNT
	assert_line 'mount fstype="tm\042pfs" options=(rw) x -> "/mnt/t\042\012,/\*\* rwx{,/}",'
	assert_line 'mount options=(bind, rw) "/srv/my dir{,/}" -> "/mnt/a b,c{,/}",'
	run section "$T/p" SIGNAL
	assert_line 'signal send set=term peer="evil, /\*\* rwx",'
	# the profile is valid UTF-8 whatever the bytes of the names
	iconv -f UTF-8 -t UTF-8 "$T/p" > /dev/null
}

@test "generalised paths stay globs; literal globs stay escaped" {
	{ aa_event /proc/1234/status; aa_event '/tmp/*'; } | merge | profile > "$T/p"
	assert_compiles "$T/p"
	run section "$T/p" FILE
	assert_output 'owner "/tmp/\*" r,
owner /proc/*/status r,'
}

@test "sections: exec transitions, owner, capabilities, ptrace and signal peers, dbus, unix, change_profile" {
	{ aa_event /usr/bin/id '{"operation":"exec","requested_mask":"x"}'
	  aa_event /srv/f '{"requested_mask":"wa"}'
	  aa_event /srv/g '{"requested_mask":"a","ouid":2}'
	  aa_event x '{"operation":"capable","capname":"net_admin"}'
	  aa_event x '{"operation":"ptrace","requested_mask":"read","peer":"other"}'
	  aa_event x '{"operation":"change_profile","target":"web//child"}'; } | merge > "$T/m"
	profile --exec px "$T/m" > "$T/all"
	assert_compiles "$T/all"
	# px: a profile of its own for the program, after the workload's
	[ "$(grep -c '^profile ' "$T/all")" -eq 2 ]
	grep -qx 'profile /usr/bin/id flags=(attach_disconnected,mediate_deleted) {' "$T/all"
	sed '/^}/q' "$T/all" > "$T/p"
	run section "$T/p" EXEC
	assert_output '/usr/bin/id mrpx,'
	run section "$T/p" FILE
	assert_output '/srv/g a,
owner /srv/f w,'
	run section "$T/p" CAPABILITY
	assert_output 'capability net_admin,'
	run section "$T/p" PTRACE
	assert_output 'ptrace (trace, read, tracedby, readby) peer=web,
ptrace read peer=other,'
	run section "$T/p" CHANGE_PROFILE
	assert_output 'change_profile -> web//child,'
	run section "$T/p" NETWORK
	assert_output 'network,'
	run --separate-stderr profile --exec rwx "$T/m"
	[ "$status" -eq 2 ]
}

@test "--abi 4.0 writes userns, io_uring, mqueue and addressed network rules; 3.0 says it leaves them out" {
	evtparse "$AA/testcase_userns_01.in" "$AA/testcase_io_uring_02.in" "$AA/testcase_mqueue_01.in" \
	    "$AA/testcase_network_04.in" | merge --all-profiles --mode ALLOWED,DENIED,AUDIT > "$T/m"
	profile "$T/m" > "$T/p3"
	assert_compiles "$T/p3"
	run grep -c 'need --abi 4.0' "$T/p3"
	assert_output 3
	profile --abi 4.0 --fine-network "$T/m" > "$T/p4"
	run grep -E '^abi|^  (userns|io_uring|mqueue|network) ' <(sed 's/,  # learnt from denials only$/,/' "$T/p4")
	assert_output 'abi <abi/4.0>,
  network inet6 stream,
  network inet6 stream ip=::1 port=2048 peer=(ip=::1 port=33986),
  userns create,
  io_uring override_creds label=/root/apparmor/tests/regression/apparmor/io_uring,
  mqueue create type=posix /queuename,'
}

@test "seccomp: an OCI profile, deny by default, the syscalls seen and the baseline, with companion architectures" {
	printf '%s\n' \
	    '{"event":"seccomp","arch":"x86_64","syscall":"getppid"}' \
	    '{"event":"seccomp","arch":"aarch64","syscall":"mount"}' \
	    '{"event":"seccomp","arch":"x86_64","syscall":"getppid"}' | merge > "$T/m"
	profile --seccomp "$T/m" > "$T/s"
	[ "$(wc -l < "$T/s")" -eq 1 ]
	run jq -c '[.defaultAction, .defaultErrnoRet, .architectures, (.syscalls | length), .syscalls[0].action, .syscalls[1].action, .syscalls[1].errnoRet]' "$T/s"
	assert_output '["SCMP_ACT_ERRNO",1,["SCMP_ARCH_AARCH64","SCMP_ARCH_ARM","SCMP_ARCH_X32","SCMP_ARCH_X86","SCMP_ARCH_X86_64"],2,"SCMP_ACT_ALLOW","SCMP_ACT_ERRNO",38]'
	run jq -r '.syscalls[0].names | (. == (sort | unique)), (index("getppid") != null), (index("mount") != null), (index("execve") != null)' "$T/s"
	assert_output 'true
true
true
true'
	printf '# mine\nread\n\nwrite # and this\n' > "$T/base"
	run jq -c '.syscalls[0].names' <(profile --seccomp --baseline "$T/base" "$T/m")
	assert_output '["getppid","mount","read","write"]'
	run jq -c '.syscalls[0].names' <(profile --seccomp --baseline /dev/null "$T/m")
	assert_output '["getppid","mount"]'
}

@test "seccomp: bad names and unknown architectures are reported by their JSON path" {
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"seccomp":{"syscalls":["read","rm -rf","w\"x"],"architectures":["x86_64","vax"]}}}}' > "$T/m"
	run --separate-stderr profile --seccomp --baseline /dev/null "$T/m"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/m:1: data.dynamicResult.seccomp.syscalls[1]: not a system call name
$T/m:1: data.dynamicResult.seccomp.syscalls[2]: not a system call name
$T/m:1: data.dynamicResult.seccomp.architectures[1]: architecture vax not known; left out" ]
	run jq -c '.syscalls[0].names' <<<"$output"
	assert_output '["read"]'
}

@test "--varmor fills data.profile as vArmor stores it; --varmor-release 0.7 as 0.7 did (base64)" {
	{ evtparse "$DATA/mounts.log"; echo '{"event":"seccomp","arch":"x86_64","syscall":"mount","subj":"web"}'; } |
	    merge > "$T/m"
	profile --varmor "$T/m" > "$T/v" 2>/dev/null
	run jq -c '[.kind, .metadata.name, .storageType, .data.profile.name, .data.profile.enforcer, .data.profile.mode, (.data.dynamicResult.appArmor.mounts | length)]' "$T/v"
	assert_output '["ArmorProfileModel","web","CRDInternal","web","AppArmorSeccomp","enforce",0]'
	diff <(jq -j .data.profile.appArmor "$T/v") <(profile "$T/m")
	diff <(jq -j .data.profile.seccomp "$T/v"; echo) <(profile --seccomp "$T/m")
	profile --varmor --varmor-release 0.7 "$T/m" > "$T/l" 2>/dev/null
	diff <(jq -r .data.profile.content "$T/l" | base64 -d) <(profile "$T/m")
	diff <(jq -r .data.profile.seccompContent "$T/l" | base64 -d; echo) <(profile --seccomp "$T/m")
	run jq -c '.data.profile | keys' "$T/l"
	assert_output '["content","enforcer","mode","name","seccompContent"]'
	# several models: their union, as bm-merge would fold them
	profile --varmor "$T/m" "$T/m" 2>/dev/null | cmp - "$T/v"
}

@test "several models give their union, in any order" {
	evtparse "$DATA/mounts.log" | merge > "$T/a"
	evtparse "$DATA/sample.log" | merge --mode ALLOWED,DENIED,log > "$T/b"
	profile "$T/a" "$T/b" > "$T/ab"
	profile "$T/b" "$T/a" > "$T/ba"
	cmp "$T/ab" "$T/ba"
	assert_compiles "$T/ab"
	cat "$T/a" "$T/b" | merge | profile --name web > "$T/merged"
	run diff <(grep '^  [^#]' "$T/ab" | grep -v 'peer=web-nginx\|peer=web,') <(grep '^  [^#]' "$T/merged" | grep -v 'peer=web,')
	assert_success
}

@test "profile names: from the model or --name, and only ones AppArmor takes unquoted" {
	aa_event /a | merge --name varmor-demo-web > "$T/m"
	run grep '^profile ' <(profile "$T/m")
	assert_output 'profile varmor-demo-web flags=(attach_disconnected,mediate_deleted) {'
	run grep '^profile ' <(profile --name other.web "$T/m")
	assert_output 'profile other.web flags=(attach_disconnected,mediate_deleted) {'
	echo '{"kind":"ArmorProfileModel","metadata":{"name":"x { /** rwx,"},"data":{"dynamicResult":{"appArmor":{"files":[{"path":"/a","permissions":["r"]}]}}}}' > "$T/bad"
	run --separate-stderr profile "$T/bad"
	[ "$status" -eq 2 ]
	[[ $stderr == *'profile name "x { /** rwx," is not one AppArmor can take unquoted'* ]]
	run --separate-stderr profile --name 'a b' "$T/m"
	[ "$status" -eq 2 ]
	# a host program's profile keeps its path, and attaches to it
	aa_event /etc/mysql/my.cnf '{"profile":"/usr/sbin/mysqld"}' | merge --profile /usr/sbin/mysqld > "$T/host"
	[ "$(jq -r .metadata.name "$T/host")" = usr-sbin-mysqld ]
	profile "$T/host" > "$T/host.aa"
	run grep '^profile ' "$T/host.aa"
	assert_output 'profile /usr/sbin/mysqld flags=(attach_disconnected,mediate_deleted) {'
	run apparmor_parser -Q --debug "$T/host.aa"
	assert_line --regexp '^Name:[[:space:]]+/usr/sbin/mysqld$'
	run grep -c '^profile /usr/sbin/mysqld ' <(profile --varmor --name usr-sbin-mysqld "$T/host" | jq -r '.data.profile.content')
	[ "$output" -eq 0 ]
	# an empty model gives no profile
	echo '{"kind":"ArmorProfileModel","metadata":{"name":"e"},"data":{"dynamicResult":{"appArmor":{"profiles":["e"]}}}}' > "$T/empty"
	run --separate-stderr profile "$T/empty"
	[ "$status" -eq 2 ]
	assert_output ''
	[[ $stderr == *"an empty model, nothing learnt: no profile is written for it"* ]] || fail "$stderr"
}

@test "bad input: values that are not models, wrong types by JSON path, unreadable files, --strict" {
	{ echo '{"event":"apparmor"}'; echo 'nope'
	  echo '{"kind":"ArmorProfileModel","metadata":{"name":"m"},"data":{"dynamicResult":{"apparmor":{"files":[{"path":"/a","permissions":["r"]},{"path":7,"permissions":["r"]},{"path":"/c","permissions":"r"}],"capabilities":"chown"}}}}'; } > "$T/in"
	run --separate-stderr profile "$T/in" "$T/missing"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/in:1: not an ArmorProfileModel with data.dynamicResult
$T/in:2: malformed JSON at byte 1
$T/in:3: data.dynamicResult.apparmor.files[1].path: expected a string
$T/in:3: data.dynamicResult.apparmor.files[2].permissions: expected an array of strings
$T/in:3: data.dynamicResult.apparmor.capabilities: expected an array
bm-profile: $T/missing: No such file or directory" ]
	run section <(echo "$output") FILE
	assert_output '/a r,'
	run --separate-stderr profile --strict "$T/in"
	[ "$status" -eq 2 ]
	run --separate-stderr profile -o /dev/full "$T/in"
	[ "$status" -eq 2 ]
}

@test "bm-profile: --help, --version, and one usage line for bad options" {
	assert_cli bm-profile --bogus '--apparmor --seccomp' '--abi 5.0' '--exec ux' \
	    '--name a{b' '--varmor --seccomp' '--varmor-release 1.0' '--namespace a.b' \
	    '--learn --apparmor --name a model.json' '--learn --varmor' '--learn --apparmor' \
	    '--varmor --complain' '--apparmor --log-denials' '--errno EBOGUS' \
	    '--complain --errno EACCES' '--learn --log-denials' \
	    '--learn --apparmor --name a --arch x86_64' '--arch x86_64' '--learn --arch vax' \
	    '--seccomp --allow Uname' '--allow ,'
}

@test "--learn: the profile to learn under, for this machine or the architectures asked" {
	run profile --learn
	assert_success
	assert_output "{\"defaultAction\":\"SCMP_ACT_LOG\",\"architectures\":$(jq -nc --arg m "$(uname -m)" \
	    'if $m == "x86_64" then ["SCMP_ARCH_X32","SCMP_ARCH_X86","SCMP_ARCH_X86_64"] else . end')}"
	run profile --learn --arch aarch64,s390x
	assert_output '{"defaultAction":"SCMP_ACT_LOG","architectures":["SCMP_ARCH_AARCH64","SCMP_ARCH_ARM","SCMP_ARCH_S390","SCMP_ARCH_S390X"]}'
}

@test "--allow adds to the baseline, --baseline replaces it" {
	echo '{"event":"seccomp","arch":"x86_64","syscall":"mkdirat"}' | merge > "$BATS_TEST_TMPDIR/m"
	run jq -c '.syscalls[0].names' <(profile --seccomp --baseline /dev/null --allow uname,sysinfo "$BATS_TEST_TMPDIR/m")
	assert_output '["mkdirat","sysinfo","uname"]'
	run jq -c '.syscalls[0].names | index("uname") != null, index("fstatfs") != null' \
	    <(profile --seccomp --allow uname "$BATS_TEST_TMPDIR/m")
	assert_output 'true
true'
}

@test "bm-profile(1) documents every option and both formats" {
	assert_man_page "$ROOT/man/bm-profile.1" bm-profile defaultAction defaultErrnoRet \
	    architectures SCMP_ACT_ERRNO SCMP_ACT_LOG fstatfs getdents64 attach_disconnected pivot_root umount enforcer \
	    CRDInternal storageType seccompContent appArmor
}

@test "an entry that names no permission, or no mount option, grants nothing" {
	echo '{"kind":"ArmorProfileModel","metadata":{"name":"m"},"data":{"dynamicResult":{"apparmor":{"ptraces":[{"peer":"p1","permissions":["x y"]},{"peer":"p2","permissions":[]}],"signals":[{"peer":"p3","permissions":["Send"],"signals":["term"]}],"unix":[{"type":"stream"}],"capabilities":["CAP_KILL","kill"],"mounts":[{"path":"/i","flags":[]},{"path":"/j","flags":["nosymfollow"]}]}}}}' > "$T/m"
	run --separate-stderr profile "$T/m"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/m:1: data.dynamicResult.apparmor.ptraces[0].permissions: expected names of lower case letters, digits, _, + and -
$T/m:1: data.dynamicResult.apparmor.signals[0].permissions: expected names of lower case letters, digits, _, + and -
$T/m:1: data.dynamicResult.apparmor.capabilities[0]: expected a name of lower case letters, digits, _, + and -" ]
	echo "$output" > "$T/p"
	assert_compiles "$T/p"
	run grep -E '^  (ptrace|signal|unix|mount|umount|capability)' "$T/p"
	assert_output '  capability kill,
  ptrace (trace, read, tracedby, readby) peer=m,
  signal (receive, send) peer=m,
  signal receive peer=unconfined,'
}

@test "a --counts model: each rule says how many events, first and last seen; without counts, nothing" {
	{ aa_event /srv/a '{"time":1795430005.5}'; aa_event /srv/a '{"time":1795430009}'
	  aa_event /srv/b '{"time":1795430007}'
	  aa_event x '{"operation":"capable","capname":"chown","time":1795430006}'; } > "$T/ev"
	merge --counts "$T/ev" > "$T/m"
	profile "$T/m" > "$T/p"
	assert_compiles "$T/p"
	run grep -E '^  (owner /srv|capability)' "$T/p"
	assert_output '  owner /srv/a r,  # 2 events, first 2026-11-23T10:33:25Z, last 2026-11-23T10:33:29Z
  owner /srv/b r,  # 1 event, first 2026-11-23T10:33:27Z, last 2026-11-23T10:33:27Z
  capability chown,  # 1 event, first 2026-11-23T10:33:26Z, last 2026-11-23T10:33:26Z'
	# the same model without counts: the same rules, no comment
	run diff <(profile "$T/m" | sed 's/,  # .*/,/') <(merge "$T/ev" | profile)
	assert_success
	! merge "$T/ev" | profile | grep -q ',  #'
}
