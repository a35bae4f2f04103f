#!/usr/bin/env bats
# Seccomp profiles in front of the real container runtimes: runc and crun
# alone and under podman.  A container learnt under bm-profile --learn,
# its records through aa-evtparse and bm-merge, then run under the
# generated profile; and what each runtime itself does once its filter is
# in place, which the built-in baseline must hold.

load helpers

IMAGE=localhost/bm-test-busybox:latest

setup_file() {
	local d=$BATS_FILE_TMPDIR a
	[ "$(id -u)" -eq 0 ] || return 0
	command -v busybox >/dev/null || return 0
	mkdir -p "$d/rootfs/bin" "$d/rootfs/tmp" "$d/rootfs/proc" \
	    "$d/rootfs/dev" "$d/rootfs/sys"
	cp "$(command -v busybox)" "$d/rootfs/bin/busybox"
	for a in sh cat ls mkdir; do ln -s busybox "$d/rootfs/bin/$a"; done
	cc -Wall -Wextra -static -nostdlib -o "$d/rootfs/nop" \
	    "$BATS_TEST_DIRNAME/progs/nop.c"
	cc -Wall -Wextra -static -pthread -o "$d/rootfs/thread" \
	    "$BATS_TEST_DIRNAME/progs/thread.c"
	"$BIN/bm-profile" --learn -o "$d/learn.json"
	# the kernel log drops audit records past 10 per 5 s unless told not to
	cat /proc/sys/kernel/printk_ratelimit > "$d/ratelimit"
	echo 0 > /proc/sys/kernel/printk_ratelimit
	if command -v podman >/dev/null; then
		tar -C "$d/rootfs" -cf "$d/rootfs.tar" .
		podman import -q "$d/rootfs.tar" "$IMAGE" >/dev/null
	fi
	crun_probe
}

teardown_file() {
	[ -f "$BATS_FILE_TMPDIR/ratelimit" ] &&
	    cat "$BATS_FILE_TMPDIR/ratelimit" > /proc/sys/kernel/printk_ratelimit
	command -v podman >/dev/null && podman rmi -f "$IMAGE" >/dev/null 2>&1
	return 0
}

# crun 1.8 refuses a host whose cgroup v2 hierarchy holds a controller
# beside v1 ("hybrid"), as this one does (hugetlb).  It then runs in a
# mount namespace of its own without that hierarchy: crun_ns says so.
# A tmpfs of its own takes the place crun writes its v2 cgroup in, gone
# with the namespace: under the host's small /sys/fs/cgroup tmpfs, each
# run's directory would stay and its inodes run out.
crun_probe() {
	local out
	command -v crun >/dev/null || return 0
	bundle_for "$BATS_FILE_TMPDIR/probe" '{"defaultAction":"SCMP_ACT_ALLOW"}' /nop
	out=$(crun run --bundle "$BATS_FILE_TMPDIR/probe" "bm-probe-$$" 2>&1) && return 0
	echo "$out" > "$BATS_FILE_TMPDIR/crun-refused"
	grep -q 'hybrid mode' <<<"$out" || return 0
	unshare -m sh -c 'umount /sys/fs/cgroup/unified && mount -t tmpfs bm-unified /sys/fs/cgroup/unified && exec "$@"' sh \
	    crun run --bundle "$BATS_FILE_TMPDIR/probe" "bm-probe-$$" >/dev/null 2>&1 &&
	    touch "$BATS_FILE_TMPDIR/crun_ns"
}

# Root is the only reason to skip: make deps installs the runtimes and
# busybox-static, so one missing is a failure, not a skip.
needs() {
	local what
	[ "$(id -u)" -eq 0 ] || skip "needs root to run containers and read the kernel log"
	for what in "$@"; do
		command -v "$what" >/dev/null || fail "$what is not installed (make deps)"
	done
	! ldd "$(command -v busybox)" >/dev/null 2>&1 ||
	    fail "busybox is not static (make deps installs busybox-static)"
}

# crun may refuse the host (its cgroup layout, see crun_probe); when even
# the mount namespace without the hybrid hierarchy does not help, that is
# a failure quoting crun's own words, not a skip.
needs_crun() {
	needs crun
	[ -f "$BATS_FILE_TMPDIR/crun-refused" ] && [ ! -f "$BATS_FILE_TMPDIR/crun_ns" ] &&
	    fail "crun cannot run containers here: $(cat "$BATS_FILE_TMPDIR/crun-refused")"
	return 0
}

# An OCI bundle in $1 (runc spec's defaults) running the rest of the
# arguments as the container's process under the seccomp profile $2,
# with a tmpfs on /tmp.
bundle_for() {
	local dir=$1 seccomp=$2
	shift 2
	mkdir -p "$dir"
	rm -f "$dir/config.json"
	runc spec --bundle "$dir"
	jq --arg root "$BATS_FILE_TMPDIR/rootfs" --argjson seccomp "$seccomp" \
	    --argjson args "$(printf '%s\n' "$@" | jq -R . | jq -sc .)" \
	    '.root.path = $root | .process.terminal = false |
	    .process.args = $args | .linux.seccomp = $seccomp |
	    .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs",
	      options: ["nosuid", "nodev"]}]' < "$dir/config.json" > "$dir/c"
	mv "$dir/c" "$dir/config.json"
}

# Run the container: runtime $1 (runc, crun, podman-runc, podman-crun),
# seccomp profile file $2, the rest its command.  It runs in an audit
# session of its own, whose id goes to $BATS_TEST_TMPDIR/ses: every
# process of the container carries it in its records.
container() {
	local rt=$1 prof=$2 id=bm-$BATS_TEST_NUMBER-$RANDOM
	shift 2
	case $rt in
	runc|crun)
		bundle_for "$BATS_TEST_TMPDIR/bundle" "$(cat "$prof")" "$@"
		set -- "$rt" run --bundle "$BATS_TEST_TMPDIR/bundle" "$id" ;;
	podman-*)
		set -- podman run --rm --runtime "${rt#podman-}" --network none \
		    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		    --security-opt seccomp="$prof" "$IMAGE" "$@" ;;
	esac
	if [[ $rt == *crun ]] && [ -f "$BATS_FILE_TMPDIR/crun_ns" ]; then
		set -- unshare -m sh -c 'umount /sys/fs/cgroup/unified && mount -t tmpfs bm-unified /sys/fs/cgroup/unified && exec "$@"' sh "$@"
	fi
	sh -c 'echo 0 > /proc/self/loginuid && cat /proc/self/sessionid > "$0" &&
	    exec "$@"' "$BATS_TEST_TMPDIR/ses" "$@"
}

# The events of the last container's audit session.
session_events() {
	seccomp_records " ses=$(cat "$BATS_TEST_TMPDIR/ses") " | evtparse
}

# The calls the runtime $1 makes in the container after installing the
# filter (the entrypoint makes none of its own) are all in the baseline.
baseline_holds() {
	local T=$BATS_TEST_TMPDIR
	run container "$1" "$BATS_FILE_TMPDIR/learn.json" /nop
	assert_success
	session_events | jq -r .syscall | sort -u > "$T/made"
	grep -qx execve "$T/made" || fail "no record of the runtime's execve: $(cat "$T/made")"
	# the baseline: the profile of a model of one call every runtime makes
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"seccomp":{"syscalls":["read"]}}}}' |
	    profile --seccomp | jq -r '.syscalls[0].names[]' | sort > "$T/baseline"
	echo "# $1 makes: $(tr '\n' ' ' < "$T/made")" >&3
	run comm -23 "$T/made" "$T/baseline"
	assert_output ''
}

WORK='echo hello > /tmp/greeting && cat /tmp/greeting && ls /'

# The whole loop on runtime $1: learn the busybox workload, take its own
# records (its exe) into a model, generate, enforce.
learn_and_enforce() {
	local rt=$1 T=$BATS_TEST_TMPDIR
	run container "$rt" "$BATS_FILE_TMPDIR/learn.json" sh -c "$WORK"
	assert_success
	assert_line hello
	session_events | merge --ses "$(cat "$T/ses")" --exe /bin/busybox > "$T/model"
	# the workload's records only: none of the runtime's
	run jq -r '.data.dynamicResult.seccomp.syscalls | index("getdents64") != null, index("fstatfs")' "$T/model"
	assert_output 'true
null'
	profile --seccomp "$T/model" > "$T/profile.json"
	run container "$rt" "$T/profile.json" sh -c "$WORK"
	assert_success
	assert_line hello
	assert_line nop
	# a call the workload never made
	run container "$rt" "$T/profile.json" mkdir /tmp/made
	assert_failure
	assert_output --partial "can't create directory '/tmp/made': Operation not permitted"
}

@test "runc: the calls runc makes after installing the filter are in the baseline" {
	needs runc busybox
	baseline_holds runc
}

@test "podman with runc: the calls it makes after installing the filter are in the baseline" {
	needs podman runc busybox
	baseline_holds podman-runc
}

@test "crun: the calls crun makes after installing the filter are in the baseline" {
	needs_crun
	baseline_holds crun
}

@test "podman with crun: the calls it makes after installing the filter are in the baseline" {
	needs podman busybox
	needs_crun
	baseline_holds podman-crun
}

@test "runc: learn under --learn, enforce the generated profile" {
	needs runc busybox
	learn_and_enforce runc
}

@test "runc: the workload's own calls without the baseline do not start" {
	needs runc busybox
	local T=$BATS_TEST_TMPDIR
	run container runc "$BATS_FILE_TMPDIR/learn.json" sh -c "$WORK"
	assert_success
	session_events | merge --exe /bin/busybox | profile --seccomp --baseline /dev/null > "$T/bare.json"
	run container runc "$T/bare.json" sh -c "$WORK"
	assert_failure
	refute_line hello
	# runc's own checks refused, or, when its threads were busy, the Go
	# runtime's futex: both are in the baseline
	[[ $output == *"operation not permitted"* || $output == *"fatal error"* ]] ||
	    fail "$output"
}

@test "podman with runc: learn under --learn, enforce the generated profile" {
	needs podman runc busybox
	learn_and_enforce podman-runc
}

@test "crun: learn under --learn, enforce the generated profile" {
	needs_crun
	needs busybox
	learn_and_enforce crun
}

@test "--ses takes a container's whole session: runtime and workload" {
	needs runc busybox
	local T=$BATS_TEST_TMPDIR
	run container runc "$BATS_FILE_TMPDIR/learn.json" sh -c "$WORK"
	assert_success
	session_events > "$T/ev"
	# another session's records, as a busy host has them, left out
	jq -c '.ses = 999999 | .syscall = "sysinfo"' "$T/ev" | head -1 >> "$T/ev"
	run jq -c '.data.dynamicResult.seccomp.syscalls | [index("fstatfs") != null, index("getdents64") != null, index("sysinfo")]' \
	    <(merge --ses "$(cat "$T/ses")" "$T/ev")
	assert_output '[true,true,null]'
	# runc's init shows as exe "/": --exe cannot take it, --ses does
	run jq -r 'select(.comm == "runc:[2:INIT]") | .exe' "$T/ev"
	assert_line --index 0 /
}

# A thread started by glibc, learnt where clone3 answered ENOSYS (as
# under Docker's default profile, so glibc fell back to clone): under
# its profile clone3 is not learnt, and answers ENOSYS, not EPERM.
clone3_falls_back() {
	local rt=$1 T=$BATS_TEST_TMPDIR
	jq -c '.syscalls = [{names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38}]' \
	    "$BATS_FILE_TMPDIR/learn.json" > "$T/learn-enosys.json"
	run container "$rt" "$T/learn-enosys.json" /thread
	assert_success
	assert_output 'thread ran'
	session_events | merge --ses "$(cat "$T/ses")" --exe /thread > "$T/model"
	run jq -c '.data.dynamicResult.seccomp.syscalls | [index("clone3"), index("clone") != null]' "$T/model"
	assert_output '[null,true]'
	profile --seccomp "$T/model" > "$T/profile.json"
	run container "$rt" "$T/profile.json" /thread
	assert_success
	assert_output 'thread ran'
	# as it was: clone3 refused with EPERM, and no thread starts
	jq -c '.syscalls |= map(select(.errnoRet != 38))' "$T/profile.json" > "$T/eperm.json"
	run container "$rt" "$T/eperm.json" /thread
	assert_failure
	assert_output --partial 'pthread_create: Operation not permitted'
}

@test "runc: a thread learnt where clone3 answered ENOSYS starts under its profile" {
	needs runc busybox
	clone3_falls_back runc
}

@test "crun: a thread learnt where clone3 answered ENOSYS starts under its profile" {
	needs_crun
	needs busybox
	clone3_falls_back crun
}

@test "podman with runc and with crun: a thread learnt where clone3 answered ENOSYS starts" {
	needs podman runc busybox
	clone3_falls_back podman-runc
	needs_crun
	clone3_falls_back podman-crun
}

# The observe profile (--complain) on runtime $1: what the workload
# learnt runs without a record; a call it never made is let be, logged,
# and bm-diff reports it.
observe_new_call() {
	local rt=$1 T=$BATS_TEST_TMPDIR
	run container "$rt" "$BATS_FILE_TMPDIR/learn.json" sh -c "$WORK"
	assert_success
	session_events | merge --ses "$(cat "$T/ses")" --exe /bin/busybox > "$T/model"
	profile --seccomp --complain "$T/model" > "$T/observe.json"
	[ "$(jq -r .defaultAction "$T/observe.json")" = SCMP_ACT_LOG ]
	# the same profile, seeded learning: --learn of the model
	run diff <(profile --learn "$T/model") "$T/observe.json"
	assert_success
	run container "$rt" "$T/observe.json" sh -c "$WORK"
	assert_success
	assert_line hello
	# nothing new, nothing logged
	[ "$(session_events 2>/dev/null | wc -l)" -eq 0 ] ||
	    fail "logged: $(session_events 2>&1)"
	run container "$rt" "$T/observe.json" mkdir /tmp/made
	assert_success			# let be
	session_events > "$T/new"
	run jq -r 'select(.action == "log") | .syscall' "$T/new"
	assert_line mkdir
	run diff_ "$T/model" "$T/new"
	[ "$status" -eq 1 ]
	assert_line --partial '"section":"seccomp.syscalls","entry":"mkdir"'
}

@test "runc: the observe profile lets a new call be, logs it, and bm-diff reports it" {
	needs runc busybox
	observe_new_call runc
}

@test "crun: the observe profile lets a new call be, logs it, and bm-diff reports it" {
	needs_crun
	needs busybox
	observe_new_call crun
}

@test "podman with runc and with crun: the observe profile logs only the new call" {
	needs podman runc busybox
	observe_new_call podman-runc
	needs_crun
	observe_new_call podman-crun
}

@test "crun: --log-denials logs a denied call, bm-diff reports it; without the flag runc runs it" {
	needs_crun
	needs runc busybox
	local T=$BATS_TEST_TMPDIR
	run container runc "$BATS_FILE_TMPDIR/learn.json" sh -c "$WORK"
	assert_success
	session_events | merge --ses "$(cat "$T/ses")" --exe /bin/busybox > "$T/model"
	profile --seccomp --log-denials "$T/model" > "$T/logged.json"
	[ "$(jq -c .flags "$T/logged.json")" = '["SECCOMP_FILTER_FLAG_LOG"]' ]
	run container crun "$T/logged.json" mkdir /tmp/made
	assert_failure
	assert_output --partial 'Operation not permitted'
	session_events > "$T/new"
	run jq -r 'select(.action == "errno") | .syscall' "$T/new"
	assert_line mkdir
	run diff_ "$T/model" "$T/new"
	[ "$status" -eq 1 ]
	assert_line --partial '"entry":"mkdir"'
	# Debian's runc 1.1 refuses a profile with flags; without, it runs
	run container runc "$T/logged.json" sh -c "$WORK"
	assert_failure
	assert_output --partial 'seccomp flags are not yet supported by runc'
	profile --seccomp "$T/model" > "$T/plain.json"
	run container runc "$T/plain.json" sh -c "$WORK"
	assert_success
	assert_line hello
}
