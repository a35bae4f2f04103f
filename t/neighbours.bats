#!/usr/bin/env bats
# Hostile neighbours: the tools run as root over directories, logs and
# volumes that others can write.  Each test plays one attack of issue
# 24 as a second user (nobody) or a crafted input, and shows it refused
# or harmless.  The kernel's own link protections are turned off for the
# file tests (as on many hosts, and this one): what stops the attack must
# be the tools.

load helpers

AVC='apparmor="ALLOWED" operation="open" profile="web" pid=1 comm="a" requested_mask="r" denied_mask="r" fsuid=0 ouid=0'

setup() {
	T=$BATS_TEST_TMPDIR
}

# A directory nobody can reach (bats's own are root's alone), T there.
reachable() {
	[ "$(id -u)" -eq 0 ] || skip "needs root: root's files against nobody's"
	T=$(mktemp -d /tmp/bm-neighbours.XXXXXX)
	chmod 755 "$T"
}

# In it a 1777 directory like /tmp, the kernel's link protections off
# until teardown, and a file of root's that an attack would overwrite.
shared_dir() {
	reachable
	SAVED=$(sysctl -n fs.protected_symlinks fs.protected_hardlinks fs.protected_regular | tr '\n' ' ')
	sysctl -qw fs.protected_symlinks=0 fs.protected_hardlinks=0 fs.protected_regular=0
	S=$T/shared
	mkdir -m 1777 "$S"
	echo 'root secret' > "$T/target"
}

teardown() {
	[ "$T" != "$BATS_TEST_TMPDIR" ] && rm -rf "$T"
	[ -z "${SAVED:-}" ] && return 0
	set -- $SAVED
	sysctl -qw fs.protected_symlinks="$1" fs.protected_hardlinks="$2" fs.protected_regular="$3"
}

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- sh -c "$1"; }

log() { printf 'type=AVC msg=audit(1795430005.%03d:%d): %s name="/srv/f%d"\n' "$1" "$1" "$AVC" "$1"; }

@test "1. -o and the checkpoint never follow a link nobody planted, nor write through a file of theirs" {
	shared_dir
	log 1 > "$T/audit.log"
	as_nobody "ln -s '$T/target' '$S/out.json'; ln -s '$T/target' '$S/ck.lock'; ln -s '$T/nothere' '$S/ck'"
	for tool in aa-evtparse bm-merge bpf-mountwatch; do
		arg=$T/audit.log
		[ "$tool" = bpf-mountwatch ] && arg=--count=1
		run --separate-stderr tool "$tool" -o "$S/out.json" "$arg"
		[ "$status" -eq 2 ] || fail "$tool: $status"
		[[ $stderr == *"out.json: a symbolic link in a directory others can write; not followed"* ]] || fail "$tool: $stderr"
	done
	run --separate-stderr evtparse --checkpoint "$S/ck" "$T/audit.log"
	[ "$status" -eq 2 ]
	[[ $stderr == *"ck.lock: a symbolic link; refused"* ]] || fail "$stderr"
	as_nobody "rm '$S/ck.lock'"
	run --separate-stderr evtparse --checkpoint "$S/ck" "$T/audit.log"
	[ "$status" -eq 2 ]
	[[ $stderr == *"/ck: a symbolic link; refused"* ]] || fail "$stderr"
	[ "$(cat "$T/target")" = 'root secret' ]
	[ ! -e "$T/nothere" ]
	# a directory on the way that is nobody's link
	mkdir -m 700 "$T/private"
	as_nobody "ln -s '$T/private' '$S/sub'"
	run --separate-stderr evtparse -o "$S/sub/out.json" "$T/audit.log"
	[ "$status" -eq 2 ]
	[[ $stderr == *"sub is a symbolic link in a directory others can write"* ]] || fail "$stderr"
	[ -z "$(ls "$T/private")" ]
	# a hard link to root's file, and a file of nobody's: not written
	as_nobody "ln '$T/target' '$S/hard.json'; touch '$S/theirs.json'"
	run --separate-stderr evtparse -o "$S/hard.json" "$T/audit.log"
	[ "$status" -eq 2 ]
	run --separate-stderr evtparse -o "$S/theirs.json" "$T/audit.log"
	[ "$status" -eq 2 ]
	[[ $stderr == *"theirs.json: owned by uid $(id -u nobody), not by us"* ]] || fail "$stderr"
	[ "$(cat "$T/target")" = 'root secret' ]
	[ ! -s "$S/theirs.json" ]
}

@test "1. a checkpoint or temporary file nobody made is never read or written" {
	shared_dir
	log 1 > "$T/audit.log"
	# the old fixed temporary name, planted writable: not used
	as_nobody "umask 0; : > '$S/ck.tmp'"
	evtparse --checkpoint "$S/ck" "$T/audit.log" > "$T/out"
	[ ! -s "$S/ck.tmp" ]
	[ "$(stat -c '%U %a' "$S/ck")" = "root 600" ]
	[ -z "$(find "$S" -name 'ck.*' ! -name ck.tmp ! -name ck.lock)" ] || fail "a temporary file was left: $(ls "$S")"
	# a checkpoint of nobody's carrying a forged event: refused, not replayed
	rm "$S/ck" "$S/ck.lock"
	as_nobody "umask 0; printf 'aa-evtparse-checkpoint 3 0 0 0\ncarry 40\ntype=AVC msg=audit(1.000:1): forged=yes\n' > '$S/ck'"
	run --separate-stderr evtparse --checkpoint "$S/ck" "$T/audit.log"
	[ "$status" -eq 2 ]
	assert_output ''
	[[ $stderr == *"/ck: owned by uid $(id -u nobody), not by us"* ]] || fail "$stderr"
	# ours, but left writable by others: refused too
	rm "$S/ck"
	evtparse --checkpoint "$S/ck" "$T/audit.log" > /dev/null
	chmod 666 "$S/ck"
	run --separate-stderr evtparse --checkpoint "$S/ck" "$T/audit.log"
	[ "$status" -eq 2 ]
	[[ $stderr == *"others can write it (mode 0666)"* ]] || fail "$stderr"
}

@test "2. nobody cannot take the checkpoint's lock to stall collection" {
	shared_dir
	log 1 > "$T/audit.log"
	evtparse --checkpoint "$S/ck" "$T/audit.log" > /dev/null
	[ "$(stat -c '%U %a' "$S/ck.lock")" = "root 600" ]
	run as_nobody "flock -s '$S/ck.lock' true"
	assert_failure
	assert_output --partial 'Permission denied'
	# an old lock readable by all becomes ours alone
	chmod 644 "$S/ck.lock"
	evtparse --checkpoint "$S/ck" "$T/audit.log" > /dev/null
	[ "$(stat -c %a "$S/ck.lock")" = 600 ]
	# a lock nobody made first: refused, loudly, not "another run" (75)
	rm "$S/ck.lock"
	as_nobody "touch '$S/ck.lock'"
	run --separate-stderr evtparse --checkpoint "$S/ck" "$T/audit.log"
	[ "$status" -eq 2 ]
	[[ $stderr == *"ck.lock: owned by uid $(id -u nobody)"* ]] || fail "$stderr"
}

@test "3. what the tools create is 0600 whatever the umask: no audit data for others to read" {
	reachable
	log 1 > "$T/audit.log"
	printf 'type=AVC msg=audit(%s.000:9): apparmor="ALLOWED" operation="open" profile="web" name="/home/alice/secret" pid=1 comm="a" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' \
	    "$(date +%s)" >> "$T/audit.log"
	(umask 000; evtparse --checkpoint "$T/ck" -o "$T/events.json" "$T/audit.log"
	 merge -o "$T/model.json" "$T/events.json"
	 tool bm-profile -o "$T/web.aa" "$T/model.json")
	grep -q /home/alice "$T/ck" || fail "the open event is not carried: $(cat "$T/ck")"
	for f in ck ck.lock events.json model.json web.aa; do
		[ "$(stat -c %a "$T/$f")" = 600 ] || fail "$f: mode $(stat -c %a "$T/$f")"
		run as_nobody "cat '$T/$f'"
		assert_failure
		assert_output --partial 'Permission denied'
	done
	as_nobody "cat '$T/audit.log'" > /dev/null	# the directory is open to nobody
}

@test "4. an audit record in any other program's syslog line is skipped, counted, and named" {
	{ echo "Dec  7 02:00:01 host evil[4242]: type=AVC msg=audit(1795430005.731:115): $AVC name=\"/etc/shadow\""
	  echo "Dec  7 02:00:01 host kernel: audit: type=1400 audit(1795430005.731:116): $AVC name=\"/srv/kernel\""
	  echo "2026-12-07T02:00:01.000000+00:00 host logger: audit: type=1400 audit(1795430005.731:117): $AVC name=\"/srv/iso\""
	  echo "Dec  7 02:00:01 host audispd[568]: node=n type=AVC msg=audit(1795430005.731:118): $AVC name=\"/srv/audispd\""
	  echo "Dec  7 02:00:01 host evil[1]: first line"
	  echo "                 type=AVC msg=audit(1795430005.731:119): $AVC name=\"/srv/indented\""
	  echo "[ 9651.513127] audit: type=1400 audit(1795430005.731:120): $AVC name=\"/srv/dmesg\""
	  echo "type=AVC msg=audit(1795430005.731:121): $AVC name=\"/srv/auditd\""; } > "$T/syslog"
	run --separate-stderr evtparse --stats "$T/syslog"
	[ "$status" -eq 1 ]
	run jq -r .name <<<"$output"
	assert_output '/srv/kernel
/srv/audispd
/srv/dmesg
/srv/auditd'
	[[ $stderr == *"syslog:1: an audit record written by evil, not by the kernel or auditd: skipped (--trust evil reads it)"* ]] || fail "$stderr"
	[[ $stderr == *"syslog:3: an audit record written by logger,"* ]] || fail "$stderr"
	[[ $stderr == *"syslog:6: an audit record in the indented rest of another line's message"* ]] || fail "$stderr"
	[[ $stderr == *", 3 by untrusted programs, 0 malformed"* ]] || fail "$stderr"
	# the operator may vouch for a program
	run --separate-stderr evtparse --trust evil,logger "$T/syslog"
	[ "$status" -eq 1 ]
	[ "$(grep -c . <<<"$output")" -eq 6 ]
	# and the learned model has nothing of the forger's
	evtparse "$T/syslog" 2>/dev/null | merge > "$T/model"
	! grep -q shadow "$T/model"
}

@test "5. thousands of records of one id: memory and work stay linear, the bound is said" {
	local i
	{ for i in $(seq 4000); do
		echo "type=AVC msg=audit(1795430005.731:115): $AVC name=\"/srv/f$i\""
	  done
	  for i in $(seq 1000); do
		echo 'type=SYSCALL msg=audit(1795430005.731:115): arch=c000003e syscall=2 success=yes exit=3 ppid=1 pid=2 auid=0 uid=0 gid=0 euid=0 ses=1 comm="x" exe="/bin/x"'
	  done; } > "$T/one-id.log"
	# the DaemonSet's memory limit: 256 MiB (it took 3 GB before); an
	# AddressSanitizer build maps terabytes of shadow, so not under it
	local cap="ulimit -v 262144;"
	ldd "$BIN/aa-evtparse" | grep -q libasan && cap=
	run --separate-stderr bash -c "$cap '$BIN/aa-evtparse' '$T/one-id.log'"
	[ "$status" -eq 1 ]
	[ "$(grep -c . <<<"$output")" -eq 4000 ]
	[[ $stderr == *"one-id.log:66: too many records with the audit id 1795430005.731:115: no more are joined into one event"* ]] || fail "$stderr"
	# the first 64 joined events carry their context, the rest none
	[ "$(jq -r 'select(.exe) | .name' <<<"$output" | wc -l)" -eq 65 ]
}

@test "6. lines of [ cost linear time in bm-merge, bm-profile and bm-diff" {
	yes '[' | head -n 200000 > "$T/brackets"
	# a hang guard, not a timing: this took longer than 10 minutes
	run --separate-stderr timeout 120 "$BIN/bm-merge" "$T/brackets"
	[ "$status" -eq 1 ]
	[[ $stderr == *"brackets:1: unterminated JSON value"* ]] || fail "$stderr"
	[[ $stderr == *"brackets:2: unterminated JSON value; its 199998 other lines are not read again"* ]] || fail "$stderr"
	run timeout 120 "$BIN/bm-profile" "$T/brackets"
	[ "$status" -ne 124 ]
	[ "$status" -ne 0 ]
	run timeout 120 "$BIN/bm-diff" "$T/brackets" "$T/brackets"
	[ "$status" -ne 124 ]
	[ "$status" -ne 0 ]
	# a good value after a broken one is still read
	{ echo '{'; echo '"kind": '; aa_event /srv/after; } > "$T/broken"
	run --separate-stderr merge "$T/broken"
	[ "$status" -eq 1 ]
	assert_output --partial '"/srv/after"'
}

# n characters of class c: how a random-looking part is generalised
cls() { local i; for ((i = 0; i < $2; i++)); do printf '%s' "$1"; done; }

@test "7. a workload cannot widen its own policy by naming its files" {
	local h=0123456789abcdef
	{ aa_event /usr/lib/x86_64-linux-gnu/libpwn.so.1 '{"requested_mask":"wc","denied_mask":"wc"}'
	  aa_event /usr/lib/x86_64-linux-gnu/libssl.so.3 '{"requested_mask":"mr","denied_mask":"mr"}'
	  aa_event /root/.ssh/$h '{"requested_mask":"wc","denied_mask":"wc"}'
	  aa_event /etc/Ab12Cd34
	  aa_event /srv/data/$h '{"requested_mask":"wc","denied_mask":"wc"}'
	  aa_event /srv/old/$h '{"requested_mask":"w","denied_mask":"w"}'
	  aa_event /srv/tmp.Xy7Qk2Lm9P/data '{"requested_mask":"w","denied_mask":"w"}'; } |
	    merge > "$T/model"
	run jq -r '.data.dynamicResult.appArmor.files[] | "\(.path) \(.permissions | join("")) \(.oldPath)"' "$T/model"
	assert_output "/etc/Ab12Cd34 r 
/root/.ssh/$h w 
/srv/data/$(cls '[0-9a-f]' 16) w /srv/data/$h
/srv/old/$h w 
/srv/tmp.$(cls '[a-zA-Z0-9]' 10)/data w /srv/tmp.Xy7Qk2Lm9P/data
/usr/lib/x86_64-linux-gnu/*.so* mr /usr/lib/x86_64-linux-gnu/libssl.so.3
/usr/lib/x86_64-linux-gnu/libpwn.so.1 w "
	profile "$T/model" > "$T/profile"
	assert_compiles "$T/profile"
	# the class keeps the length: a longer or shorter name is new
	for p in /srv/data/0123456789abcdef0 /srv/data/0123456789abcde /srv/data/notahexname12345; do
		run tool bm-diff "$T/model" <(aa_event "$p" '{"requested_mask":"w","denied_mask":"w"}')
		[ "$status" -eq 1 ] || fail "$p was covered"
	done
	run tool bm-diff "$T/model" <(aa_event /srv/data/fedcba9876543210 '{"requested_mask":"w","denied_mask":"w"}')
	assert_success
}

@test "8. a planted node model that grants everything is refused whole, naming each entry" {
	aa_event /srv/ok | merge --name varmor-demo-web > "$T/node1.json"
	jq -c '.data.dynamicResult.appArmor.files += [{path: "/**", owner: false, permissions: ["r", "w", "l", "k", "m"], oldPath: ""}] |
	    .data.dynamicResult.appArmor.capabilities = ["sys_module"] |
	    .data.dynamicResult.appArmor.mounts = [{path: "/mnt", source: "/", flags: ["bind"]}] |
	    .data.dynamicResult.seccomp.syscalls = ["read", "init_module", "bpf"]' "$T/node1.json" > "$T/planted.json"
	run --separate-stderr merge --refuse-broad "$T/node1.json" "$T/planted.json"
	[ "$status" -eq 1 ]
	[[ $stderr == *"planted.json:1: data.dynamicResult.appArmor.files[1]: broad: a ** glob (any file below it)"* ]] || fail "$stderr"
	[[ $stderr == *"appArmor.capabilities[0]: broad: a capability over the whole machine"* ]] || fail "$stderr"
	[[ $stderr == *"appArmor.mounts[0]: broad: a mount of the host's root directory"* ]] || fail "$stderr"
	[[ $stderr == *"seccomp.syscalls[1]: broad: a call that loads code into the kernel"* ]] || fail "$stderr"
	[[ $stderr == *"planted.json:1: a model with 5 broad entries: refused whole (--refuse-broad)"* ]] || fail "$stderr"
	cmp <(merge "$T/node1.json") <(printf '%s\n' "$output")
	run --separate-stderr merge --refuse-broad --strict "$T/node1.json" "$T/planted.json"
	[ "$status" -eq 2 ]
	assert_output ''
	# an operator who vouches for it takes it as before
	run merge "$T/node1.json" "$T/planted.json"
	assert_success
	assert_output --partial '"/**"'
}

@test "9. unconfined is no profile name; a glob of many ** is matched in polynomial time" {
	run --separate-stderr merge --name unconfined < /dev/null
	[ "$status" -eq 2 ]
	[[ $stderr == *"--name unconfined: AppArmor's label for no confinement"* ]] || fail "$stderr"
	aa_event /srv/x | merge --name unconfined-not > /dev/null
	run --separate-stderr tool bm-profile --name unconfined < /dev/null
	[ "$status" -eq 2 ]
	jq -cn '{kind: "ArmorProfileModel", metadata: {name: "unconfined"},
	    data: {dynamicResult: {appArmor: {files: [{path: "/srv/x", permissions: ["r"]}]}}}}' > "$T/m"
	run --separate-stderr tool bm-profile "$T/m"
	[ "$status" -eq 2 ]
	[[ $stderr == *'profile name "unconfined"'* ]] || fail "$stderr"
	# an approved /srv/**g**g**g**g**h against a 200-character path took 7 s
	jq -cn '{kind: "ArmorProfileModel", metadata: {name: "a"},
	    data: {dynamicResult: {appArmor: {files: [{path: "/srv/**g**g**g**g**h", permissions: ["r"]}]}}}}' > "$T/approved"
	run timeout 60 "$BIN/bm-diff" "$T/approved" <(aa_event "/srv/$(cls g 400)x")
	[ "$status" -eq 1 ]
	run timeout 60 "$BIN/bm-diff" "$T/approved" <(aa_event "/srv/$(cls g 400)h")
	assert_success
}
