#!/usr/bin/env bats
# bpf-mountwatch on this kernel: real mounts made by t/progs/mountcalls.c
# and util-linux in private mount namespaces, seen through the watcher.

load helpers

need_bpf() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to load BPF programs"
	[ -r /sys/kernel/btf/vmlinux ] || skip "needs a kernel with BTF for BPF CO-RE"
}

# The watcher in the background, writing to $1; returns once attached.
watch_start() {
	local out=$1 i
	shift
	local cmd=("$BIN/bpf-mountwatch")
	[ "${VALGRIND:-0}" = 1 ] && cmd=(valgrind -q --error-exitcode=99 "${cmd[@]}")
	# an earlier watcher's "watching" must not be taken for this one's:
	# the shell truncates the file only once the child has started
	rm -f "$out.err"
	"${cmd[@]}" "$@" > "$out" 2> "$out.err" &
	WATCH_PID=$!
	for i in $(seq 200); do
		grep -q 'watching' "$out.err" 2>/dev/null && return 0
		kill -0 "$WATCH_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$out.err" >&2
	return 1
}

# SIGINT: the watcher drains, writes its stats line and exits 0.  When
# it writes into a pipeline, WATCH_WAIT is the pipeline's last command.
watch_stop() {
	kill -INT "$WATCH_PID"
	wait "${WATCH_WAIT:-$WATCH_PID}"
}

cgroup2_root() { findmnt -t cgroup2 -n -o TARGET | head -n 1; }

# Run a command in cgroup $1 (a path below the cgroup2 root).
in_cgroup() {
	local cg=$1
	shift
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$(cgroup2_root)$cg" "$@"
}

# The records of the shared scenario whose target (or path) is $1.
at() { jq -c --arg t "$1" 'select(.target == $t or .path == $t or .to_path == $t)' "$SCEN"; }

setup_file() {
	[ "$(id -u)" -eq 0 ] && [ -r /sys/kernel/btf/vmlinux ] || return 0
	export MC=$BATS_FILE_TMPDIR/mountcalls D=$BATS_FILE_TMPDIR/m
	export CG=/bm-test-$$ SCEN=$BATS_FILE_TMPDIR/scenario.json
	cc -Wall -Wextra -o "$MC" "$BATS_TEST_DIRNAME/progs/mountcalls.c"
	cc -m32 -Wall -Wextra -o "${MC}32" "$BATS_TEST_DIRNAME/progs/mountcalls.c"
	mkdir -p "$(cgroup2_root)$CG" "$D"/{a,b,c,d,n,o,p,q,r,u,x,root}
	export LONG=$D/$(printf 'x%.0s' $(seq 5000))
	export EVIL=$D/$'evil"\n{"x":1}\xff'
	watch_start "$SCEN" --compat --cgroup "$CG"
	in_cgroup "$CG" unshare -m --propagation private bash -ec '
		$MC mount src1 $D/a tmpfs 0xC0ED0006 size=1m,mode=700
		$MC mount $D/a $D/b - 0x1000 -
		$MC mount $D/a $D/c - 0x5000 -
		$MC mount - $D/b - 0x1021 -
		$MC mount - $D/a - 0x21 size=2m
		$MC mount $D/c $D/d - 0x2000 -
		$MC mount - $D/d - 0x40000 -
		$MC umount $D/d 0
		$MC umount $D/b 2
		$MC newmount tmpfs src2 $D/n 0x3 size=2m ro
		$MC opentree $D/n $D/o 0x8001
		$MC opentree $D/n $D/p 0x1
		$MC setattr $D/o 0x8000 0x1 0 0x40000
		$MC reconfigure $D/n size=3m
		$MC opentree $D/p $D/d 0
		$MC mount - $D/x tmpfs 0x80004000 -
		$MC fault $D/q
		$MC binary tmpfs blob 00ff0a22
		$MC mount - "$LONG" tmpfs 0 -
		$MC mount - "$EVIL" tmpfs 0 -
		$MC unshare
		$MC clone3
		${MC}32 mount src32 $D/q tmpfs 0x2 -
		${MC}32 newmount tmpfs src33 $D/r 0
		mount -t tmpfs -o size=1m,nosuid,noexec real $D/u
		$MC mount root $D/root tmpfs 0 -
		mkdir $D/root/old
		cd $D/root
		$MC pivot $D/root $D/root/old
	'
	watch_stop
}

teardown_file() {
	[ -n "${CG:-}" ] && rmdir "$(cgroup2_root)$CG" 2>/dev/null || true
}

@test "mount(2): tmpfs with options, bind, rbind, remounts, move, make-private" {
	need_bpf
	run jq -c '[.syscall, .source, .fstype, .flags, .data, .ret]' <(at "$D/a")
	assert_line --index 0 '["mount","src1","tmpfs",["MS_NOSUID","MS_NODEV"],"size=1m,mode=700",0]'
	assert_line --index 1 '["mount",null,null,["MS_RDONLY","MS_REMOUNT"],"size=2m",0]'
	run jq -c '[.syscall, .source, .flags, has("fstype"), has("data")]' <(at "$D/b")
	assert_line --index 0 "[\"mount\",\"$D/a\",[\"MS_BIND\"],false,false]"
	assert_line --index 1 '["mount",null,["MS_RDONLY","MS_REMOUNT","MS_BIND"],false,false]'
	run jq -c '[.syscall, .source, .flags]' <(at "$D/c")
	assert_output "[\"mount\",\"$D/a\",[\"MS_BIND\",\"MS_REC\"]]"
	run jq -c '[.syscall, .source, .flags, .ret]' <(at "$D/d")
	assert_line --index 0 "[\"mount\",\"$D/c\",[\"MS_MOVE\"],0]"
	assert_line --index 1 '["mount",null,["MS_PRIVATE"],0]'
	assert_line --index 2 '["umount2",null,[],0]'
	run jq -c 'select(.syscall == "umount2") | .flags' <(at "$D/b")
	assert_output '["MNT_DETACH"]'
}

@test "every record names who acted, where, when and how it ended" {
	need_bpf
	run jq -c "select(.comm == \"mountcalls\" and .syscall == \"mount\" and .target == \"$D/c\") |
	    [.event, (.seq|type), (.time > 1.7e9), (.pid > 1), .tid == .pid, (.ppid|type), .uid,
	     .cgroup, (.cgroup_id|type), (.mntns|type), (.latency_ns > 0), has(\"errno\")]" "$SCEN"
	assert_output "[\"mount\",\"number\",true,true,true,\"number\",0,\"$CG\",\"number\",\"number\",true,false]"
	# seq numbers are unique: nothing is reported twice, even with --compat
	[ "$(jq -s '[.[] | .seq | select(. != null)] | (length == (unique | length))' "$SCEN")" = true ]
	run jq -c 'select(.event == "stats") | [.events == .delivered, .lost_ringbuf, .lost_argtable, .lost_fault, .unread]' "$SCEN"
	assert_output '[true,0,0,0,0]'
	[ "$(jq -s '[.[] | select(.seq != null)] | length' "$SCEN")" = \
	    "$(jq 'select(.event == "stats") | .delivered' "$SCEN")" ]
}

@test "the new mount API: raw calls, and each sequence joined into one mount record" {
	need_bpf
	run jq -c 'select(.comm == "mountcalls" and .seq != null and (.syscall == "fsopen" or .syscall == "fsconfig" or .syscall == "fsmount") and .ret >= 0) |
	    [.syscall, .fstype // .cmd, .key, .value, .flags, .attr]' "$SCEN"
	assert_line --index 0 '["fsopen","tmpfs",null,null,["FSOPEN_CLOEXEC"],null]'
	assert_line --index 1 '["fsconfig","FSCONFIG_SET_STRING","source","src2",null,null]'
	assert_line --index 2 '["fsconfig","FSCONFIG_SET_STRING","size","2m",null,null]'
	assert_line --index 3 '["fsconfig","FSCONFIG_SET_FLAG","ro",null,null,null]'
	assert_line --index 4 '["fsconfig","FSCONFIG_CMD_CREATE",null,null,null,null]'
	assert_line --index 5 '["fsmount",null,null,null,["FSMOUNT_CLOEXEC"],["MOUNT_ATTR_RDONLY","MOUNT_ATTR_NOSUID"]]'
	run jq -c 'select(.via) | [.via, .syscall, .source, .target, .fstype, .flags, .data, (.from_seq|length), has("seq"), .ret]' "$SCEN"
	assert_line --index 0 "[\"fsmount\",\"mount\",\"src2\",\"$D/n\",\"tmpfs\",[\"MS_RDONLY\",\"MS_NOSUID\"],\"size=2m\",7,false,0]"
	assert_line --index 1 "[\"open_tree\",\"mount\",\"$D/n\",\"$D/o\",null,[\"MS_BIND\",\"MS_REC\"],null,2,false,0]"
	assert_line --index 2 "[\"open_tree\",\"mount\",\"$D/n\",\"$D/p\",null,[\"MS_BIND\"],null,2,false,0]"
	assert_line --index 3 "[\"mount_setattr\",\"mount\",null,\"$D/o\",null,[\"MS_RDONLY\",\"MS_REMOUNT\",\"MS_BIND\",\"MS_REC\"],null,1,false,0]"
	assert_line --index 4 "[\"mount_setattr\",\"mount\",null,\"$D/o\",null,[\"MS_REC\",\"MS_PRIVATE\"],null,1,false,0]"
	assert_line --index 5 "[\"fspick\",\"mount\",null,\"$D/n\",null,[\"MS_REMOUNT\"],\"size=3m\",3,false,0]"
	# open_tree without OPEN_TREE_CLONE, then move_mount: a move
	assert_line --index 6 "[\"move_mount\",\"mount\",\"$D/p\",\"$D/d\",null,[\"MS_MOVE\"],null,2,false,0]"
	# the joined record points at the raw calls it was made of
	run jq -s -c 'first(.[] | select(.via == "fsmount") | .from_seq) as $s | [.[] | select(.seq as $q | $s | index($q)) | .syscall]' "$SCEN"
	assert_output '["fsopen","fsconfig","fsconfig","fsconfig","fsconfig","fsmount","move_mount"]'
	# open_tree's descriptor is what move_mount moves
	run jq -s -c --arg t "$D/o" '(.[] | select(.syscall == "move_mount" and .to_path == $t)) as $m |
	    (.[] | select(.syscall == "open_tree" and .pid == $m.pid) | .ret) as $fd |
	    $m | [.from_dfd == $fd, .from_path, .to_dfd, .flags]' "$SCEN"
	assert_output '[true,"",-100,["MOVE_MOUNT_F_EMPTY_PATH"]]'
	run jq -c 'select(.syscall == "mount_setattr") | [.dfd, .flags, .attr_set, .attr_clr, .propagation]' "$SCEN"
	assert_output '[-100,["AT_RECURSIVE"],["MOUNT_ATTR_RDONLY"],[],["MS_PRIVATE"]]'
}

@test "strings: absent, unreadable, truncated, binary and crafted ones stay inside their field" {
	need_bpf
	run jq -c '[.source, .unreadable, .errno]' <(at "$D/q" | jq -c 'select(.compat != true)')
	assert_output '[null,["source"],"EFAULT"]'
	run jq -c 'select(.cmd == "FSCONFIG_SET_BINARY") | [.key, .value_hex, .aux, .errno, has("value")]' "$SCEN"
	assert_output '["blob","00ff0a22",4,"EINVAL",false]'
	run jq -c 'select(.truncated) | [.syscall, .truncated, (.target|length), .errno]' "$SCEN"
	assert_output '["mount",["target"],4095,"ENAMETOOLONG"]'
	run jq --arg t "${LONG:0:4095}" 'select(.truncated) | .target == $t' "$SCEN"
	assert_output true
	# the crafted name is one record, and its newline and quotes are data
	assert_ndjson "$SCEN"
	run jq -c --arg t "${EVIL%$'\xff'}"$'\xef\xbf\xbd' 'select(.target == $t) | [.syscall, .errno, has("x")]' "$SCEN"
	assert_output '["mount","ENOENT",false]'
}

@test "namespace events: unshare, setns and clone3 with CLONE_NEWNS" {
	need_bpf
	run jq -c 'select(.event == "namespace" and .comm == "mountcalls") | [.syscall, .flags // .nstype, (.mntns_after != null and .mntns_after != .mntns), .ret > 0]' "$SCEN"
	assert_line --index 0 '["unshare",["CLONE_NEWNS"],true,false]'
	assert_line --index 1 '["setns",["CLONE_NEWNS"],true,false]'
	assert_line --index 2 '["clone3",["CLONE_NEWNS"],false,true]'
	# setns goes back to where unshare started
	run jq -s '[.[] | select(.event == "namespace" and .comm == "mountcalls")] | .[0].mntns == .[1].mntns_after and .[0].mntns_after == .[1].mntns' "$SCEN"
	assert_output true
}

@test "32-bit callers with --compat, and native ones only once" {
	need_bpf
	run jq -c 'select(.compat) | [.comm, .syscall, .source // .fstype // .cmd, .flags]' <(jq -c 'select(.comm == "mountcalls32")' "$SCEN")
	assert_line --index 0 "[\"mountcalls32\",\"mount\",\"src32\",[\"MS_NOSUID\"]]"
	assert_line --index 1 '["mountcalls32","fsopen","tmpfs",["FSOPEN_CLOEXEC"]]'
	run jq -c 'select(.via) | [.comm, .compat, .source, .target]' <(jq -c 'select(.comm == "mountcalls32")' "$SCEN")
	assert_output "[\"mountcalls32\",true,\"src33\",\"$D/r\"]"
	[ "$(jq -c 'select(.comm == "mountcalls32" and .compat != true)' "$SCEN")" = "" ]
	[ "$(at "$D/c" | jq -c 'select(.syscall == "mount")' | wc -l)" -eq 1 ]
}

@test "mount(8) from util-linux, and pivot_root in a private mount namespace" {
	need_bpf
	run jq -c 'select(.comm == "mount") | [.source, .fstype, .flags, .data, .ret]' <(at "$D/u")
	assert_output '["real","tmpfs",["MS_NOSUID","MS_NOEXEC"],"size=1m",0]'
	run jq -c 'select(.syscall == "pivot_root") | [.new_root, .put_old, .ret]' "$SCEN"
	assert_output "[\"$D/root\",\"$D/root/old\",0]"
}

@test "--cgroup takes the cgroup and its descendants, named by path" {
	need_bpf
	local sub=$CG/sub other=/bm-other-$$ out=$BATS_TEST_TMPDIR/w
	mkdir -p "$(cgroup2_root)$sub" "$(cgroup2_root)$other"
	watch_start "$out" --cgroup "$(cgroup2_root)$CG"
	in_cgroup "$sub" unshare -m "$MC" mount - "$D/in-sub" tmpfs 0 -
	in_cgroup "$other" unshare -m "$MC" mount - "$D/in-other" tmpfs 0 -
	watch_stop
	rmdir "$(cgroup2_root)$sub" "$(cgroup2_root)$other"
	run jq -c 'select(.syscall == "mount" and .comm == "mountcalls") | [.target, .cgroup]' "$out"
	assert_output "[\"$D/in-sub\",\"$sub\"]"
}

@test "--comm, --pid, --mntns-of, --failed and --ok choose in the kernel" {
	need_bpf
	local out=$BATS_TEST_TMPDIR/w fifo=$BATS_TEST_TMPDIR/go pid ns
	mkfifo "$fifo"
	unshare -m --propagation private sh -c 'read _ < "$0"; exec "$1" mount - "$2" nosuchfs 0 -' \
	    "$fifo" "$MC" "$D/a" &
	pid=$!
	watch_start "$out" --pid "$pid" --failed
	unshare -m "$MC" mount - "$D/a" nosuchfs 0 -	# another process
	echo go > "$fifo"
	wait "$pid"
	watch_stop
	run jq -c 'select(.seq) | [.pid, .target, .errno]' "$out"
	assert_output "[$pid,\"$D/a\",\"ENODEV\"]"

	watch_start "$out" --comm mountcalls --ok
	unshare -m sh -c '"$0" mount - "$1" nosuchfs 0 -; "$0" mount none "$1" tmpfs 0 -; mount -t tmpfs none "$1"' "$MC" "$D/a"
	watch_stop
	run jq -c 'select(.seq) | [.comm, .fstype, .ret]' "$out"
	assert_output '["mountcalls","tmpfs",0]'

	unshare -m --propagation private sh -c 'read _ < "$0"; "$1" mount none "$2" tmpfs 0 -' "$fifo" "$MC" "$D/a" &
	pid=$!
	for i in $(seq 100); do
		ns=$(stat -L -c %i "/proc/$pid/ns/mnt")
		[ "$ns" != "$(stat -L -c %i /proc/self/ns/mnt)" ] && break
		sleep 0.05
	done
	watch_start "$out" --mntns-of "$pid"
	unshare -m "$MC" mount none "$D/b" tmpfs 0 -	# another namespace
	echo go > "$fifo"
	wait "$pid"
	watch_stop
	run jq -c 'select(.seq) | [.target, .mntns]' "$out"
	assert_output "[\"$D/a\",$ns]"
}

@test "flag bits without a name are kept in hex; MS_MGC_VAL is not a flag" {
	need_bpf
	run jq -c '[.flags, .errno]' <(at "$D/x")
	assert_output '[["MS_REC","0x80000000"],"EINVAL"]'
	run jq -c 'select(.source == "src1") | .flags' "$SCEN"
	assert_output '["MS_NOSUID","MS_NODEV"]'
}

# N workers, M mount/umount pairs each: delivered + lost = 2*N*M exactly.
storm() {
	local out=$1 workers=$2 pairs=$3 i
	shift 3
	for i in $(seq 0 $((workers - 1))); do mkdir -p "$D/s/$i"; done
	in_cgroup "$CG" unshare -m --propagation private "$MC" storm "$workers" "$pairs" "$D/s"
	watch_stop
	local want=$((2 * workers * pairs))
	local got lost events
	got=$(jq -c 'select(.seq and .comm == "mountcalls")' "$out" | wc -l)
	lost=$(jq -s '[.[] | select(.event == "lost") | .count] | add // 0' "$out")
	events=$(jq 'select(.event == "stats") | .events' "$out")
	echo "storm: $got delivered, $lost lost, $events events, $want made"
	[ "$((got + lost))" -eq "$want" ]
	[ "$events" -eq "$want" ]
	run jq -c 'select(.event == "stats") | [.delivered + .lost_ringbuf + .lost_argtable + .lost_fault == .events, .unread]' "$out"
	assert_output '[true,0]'
	STORM_LOST=$lost
}

@test "a storm with a fast reader: every event delivered or counted lost" {
	need_bpf
	local out=$BATS_TEST_TMPDIR/w
	watch_start "$out" --cgroup "$CG" --comm mountcalls
	storm "$out" 4 1000
}

@test "a storm with a slow reader: losses are counted, exactly, with lost lines" {
	need_bpf
	local out=$BATS_TEST_TMPDIR/w
	# the reader sleeps while the ring (16 KiB) and the pipe fill up
	"$BIN/bpf-mountwatch" --cgroup "$CG" --comm mountcalls --ring-size 16K \
	    2> "$out.err" | { sleep 4; cat; } > "$out" &
	WATCH_WAIT=$!
	for i in $(seq 200); do grep -q watching "$out.err" && break; sleep 0.05; done
	WATCH_PID=$(pgrep -n -x bpf-mountwatch)
	storm "$out" 4 1000
	[ "$STORM_LOST" -gt 0 ]
	run jq -c 'select(.event == "lost") | [.reason, .count > 0, (.total|type)]' "$out"
	assert_line --index 0 '["ringbuf",true,"number"]'
}

@test "--count and --duration stop the watcher; SIGTERM drains; exit 0 with stats" {
	need_bpf
	local out=$BATS_TEST_TMPDIR/w
	watch_start "$out" --comm mountcalls --count 2
	unshare -m sh -c 'for i in 1 2 3 4; do "$0" mount - "$1" tmpfs 0 -; done' "$MC" "$D/a"
	wait "$WATCH_PID"
	# what happened before it stopped and was not written is unread
	run jq -c 'select(.event == "stats") | [.delivered, .events == .delivered + .unread]' "$out"
	assert_output '[2,true]'
	[ "$(jq -c 'select(.seq)' "$out" | wc -l)" -eq 2 ]
	run timeout 20 "$BIN/bpf-mountwatch" --duration 0.5
	assert_success
	assert_line --partial '"event":"stats"'
	watch_start "$out" --comm mountcalls
	kill -TERM "$WATCH_PID"
	wait "$WATCH_PID"
	run jq -c '.event' "$out"
	assert_output '"stats"'
}

@test "a closed stdout ends the watcher quietly; -o writes to a file" {
	need_bpf
	local out=$BATS_TEST_TMPDIR/w
	( "$BIN/bpf-mountwatch" --comm mountcalls 2> "$out.err" | head -n 1 > "$out" ) &
	for i in $(seq 200); do grep -q watching "$out.err" 2>/dev/null && break; sleep 0.05; done
	unshare -m sh -c 'for i in $(seq 5); do "$0" mount - "$1" tmpfs 0 -; sleep 0.2; done' "$MC" "$D/a"
	wait
	[ "$(wc -l < "$out")" -eq 1 ]
	run cat "$out.err"
	assert_output 'bpf-mountwatch: watching'
	run timeout 20 "$BIN/bpf-mountwatch" --duration 0.3 -o "$out"
	assert_success
	assert_output 'bpf-mountwatch: watching'
	run jq -c .event "$out"
	assert_output '"stats"'
}

@test "without privileges it says so and exits 2" {
	need_bpf
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
	    --inh-caps=-all "$BIN/bpf-mountwatch" --duration 1
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "bpf-mountwatch: loading the BPF program needs root (CAP_BPF and CAP_PERFMON)" ]
}

@test "bpf-mountwatch: --help, --version, and one usage line for bad options" {
	assert_cli bpf-mountwatch --bogus 'extra' '--ok --failed' '--ring-size 1000' \
	    '--ring-size 3M' '--comm averyveryverylongname' '--pid x' '--pid 0' \
	    '--mntns 0' '--duration 1e12' '--duration 0' '--count -1' '--mntns-of x'
}

@test "bpf-mountwatch(8) documents every option and every output field" {
	local page=$ROOT/man/bpf-mountwatch.8 opt field
	run mandoc -T lint -W warning "$page"
	assert_success
	assert_output ''
	# every long option the tool takes
	for opt in $("$BIN/bpf-mountwatch" --help | grep -o -- '--[a-z-]*' | sort -u); do
		grep -q -- "${opt#--}" "$page" || fail "$opt not in the man page"
	done
	# every key the scenario's records carry
	[ -s "${SCEN:-}" ] || skip "needs root to load BPF programs (no records to check)"
	for field in $(jq -r 'keys[]' "$SCEN" | sort -u); do
		grep -qw -- "$field" "$page" || fail "field $field not in the man page"
	done
}

@test "bm-merge folds the watcher's records into bpf.mounts" {
	need_bpf
	"$BIN/bm-merge" --comm mountcalls,mount "$SCEN" > "$BATS_TEST_TMPDIR/model"
	run jq -c --arg d "$D" '.data.dynamicResult.bpf.mounts[] | select(.path | startswith($d)) | .path |= sub($d; "D")' \
	    "$BATS_TEST_TMPDIR/model"
	assert_line '{"path":"D/a","type":"tmpfs","flags":["nodev","nosuid","rw"],"source":"src1","data":"size=1m,mode=700"}'
	assert_line '{"path":"D/a","flags":["remount","ro"],"data":"size=2m"}'
	assert_line "{\"path\":\"D/b\",\"flags\":[\"bind\",\"rw\"],\"source\":\"$D/a\"}"
	assert_line '{"path":"D/b","flags":["bind","remount","ro"]}'
	assert_line '{"path":"D/b","flags":["umount"]}'
	assert_line "{\"path\":\"D/c\",\"flags\":[\"rbind\",\"rw\"],\"source\":\"$D/a\"}"
	assert_line "{\"path\":\"D/d\",\"flags\":[\"move\",\"rw\"],\"source\":\"$D/c\"}"
	assert_line '{"path":"D/d","flags":["make-private","rw"]}'
	assert_line '{"path":"D/d","flags":["umount"]}'
	assert_line '{"path":"D/u","type":"tmpfs","flags":["noexec","nosuid","rw"],"source":"real","data":"size=1m"}'
	assert_line "{\"path\":\"D/root\",\"flags\":[\"pivot_root\"],\"source\":\"$D/root/old\"}"
	# the new mount API, joined: one entry per sequence, none per raw step
	assert_line '{"path":"D/n","type":"tmpfs","flags":["nosuid","ro"],"source":"src2","data":"size=2m"}'
	assert_line '{"path":"D/n","flags":["remount","rw"],"data":"size=3m"}'
	[ "$(grep -c '"path":"D/n"' <<<"$output")" -eq 2 ]
	run jq -r '.data.dynamicResult | keys[]' "$BATS_TEST_TMPDIR/model"
	assert_output bpf
}

@test "bm-profile turns the mounts the watcher saw into mount rules that compile" {
	need_bpf
	"$BIN/bm-merge" --comm mountcalls,mount --name mounts "$SCEN" |
	    "$BIN/bm-profile" > "$BATS_TEST_TMPDIR/p"
	assert_compiles "$BATS_TEST_TMPDIR/p"
	run grep -F -e " -> $D/a{,/}," -e "umount $D/d{,/}," -e "pivot_root oldroot=$D/root/old{,/} $D/root{,/}," "$BATS_TEST_TMPDIR/p"
	assert_line "  mount fstype=tmpfs options=(nodev, nosuid, rw) src1 -> $D/a{,/},"
	assert_line "  mount options=(remount, ro) -> $D/a{,/},"
	assert_line "  umount $D/d{,/},"
	assert_line "  pivot_root oldroot=$D/root/old{,/} $D/root{,/},"
}
