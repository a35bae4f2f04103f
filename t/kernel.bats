#!/usr/bin/env bats
# The AppArmor loop on real AppArmor kernels: Debian's 6.1 and 6.12, booted
# under qemu without KVM (t/vm/boot).  Inside (t/vm/loop.sh), t/vm/workload
# is learned under bm-profile --learn --apparmor, with bpf-mountwatch
# watching; its log goes through aa-evtparse | bm-merge | bm-profile, and
# each profile is loaded in enforce mode and the workload run again.  The
# kernel's own log is the judge.

load helpers

KERNELS="6.1.0-57-amd64 6.12.118+deb12-amd64"

setup_file() {
	local k
	cc -static -O2 -Wall -Wextra -o "$BATS_FILE_TMPDIR/wlchild" \
	    "$BATS_TEST_DIRNAME/progs/wlchild.c"
	for k in $KERNELS; do
		BIN=$BIN "$BATS_TEST_DIRNAME/vm/boot" \
		    "$BATS_TEST_DIRNAME/vm/kernels/vmlinuz-$k" \
		    "$BATS_FILE_TMPDIR/$k" "$BATS_TEST_DIRNAME/vm/loop.sh" \
		    "$BATS_TEST_DIRNAME/vm/workload" "$BATS_FILE_TMPDIR/wlchild" \
		    >"$BATS_FILE_TMPDIR/$k.boot" 2>&1 ||
		    echo "boot failed: $(cat "$BATS_FILE_TMPDIR/$k.boot")" \
			>"$BATS_FILE_TMPDIR/$k.failed"
	done
}

# On each kernel: cd to what its VM left, run "$@"; say which failed.
each_kernel() {
	local k
	for k in $KERNELS; do
		[ ! -e "$BATS_FILE_TMPDIR/$k.failed" ] ||
		    fail "$(cat "$BATS_FILE_TMPDIR/$k.failed")"
		[ "$(cat "$BATS_FILE_TMPDIR/$k/uname")" = "$k" ] ||
		    fail "$k: the VM did not run the tests"
		(cd "$BATS_FILE_TMPDIR/$k" && "$@") || fail "on $k"
	done
}

# The kernel's AppArmor records of a step, without the time stamps.
records() { grep -o 'apparmor=.*' "$1.dmesg" || true; }

ran_clean() {	# VARIANT
	local v=$1
	[ "$(cat "$v.parser.rc")" = 0 ] || { cat "$v.parser" "$v.aa"; return 1; }
	[ "$(cat "$v.rc")" = 0 ] || { cat "$v.out"; return 1; }
	diff plain.out "$v.out" || return 1
	! records "$v" | grep 'apparmor="DENIED"' || { echo "$v: denied"; return 1; }
}

@test "kernel: the workload learns under bm-profile --learn --apparmor as it runs unconfined, every program kept in the profile" {
	learnt() {
		grep -q 'flags=(complain)' learn.aa && cmp plain.out learn.out &&
		    # every program's exec logged, and its mount and sockets
		    records learn | grep -q 'apparmor="AUDIT" operation="exec".*name="/opt/wl/wlchild".*target="wl"' &&
		    records learn | grep -q 'operation="mount".*profile="wl".*fstype="tmpfs" srcname="wltmp"' &&
		    records learn | grep -q 'operation="listen".*profile="wl"' &&
		    records learn | grep -q 'operation="connect".*profile="wl"' &&
		    ! records learn | grep -q 'null-'
	}
	each_kernel learnt
}

@test "kernel: enforced with --exec ix, the workload runs as unconfined, with zero DENIED records" {
	each_kernel ran_clean ix
}

@test "kernel: enforced with --exec cx (busybox and wlchild child profiles), zero DENIED" {
	cx() {
		grep -q '^  profile /usr/bin/busybox ' cx.aa &&
		    grep -q '^  profile /opt/wl/wlchild ' cx.aa && ran_clean cx
	}
	each_kernel cx
}

@test "kernel: enforced with wlchild px (a profile of its own, attached by path), zero DENIED" {
	px() {
		grep -q '^profile /opt/wl/wlchild ' px.aa && grep -q 'wlchild mrpx,' px.aa &&
		    ran_clean px
	}
	each_kernel px
}

@test "kernel: enforced with --fine-network (network inet stream, inet6 stream), zero DENIED" {
	net() {
		grep -q 'network inet6 stream,' net.aa && ! grep -q 'network,' net.aa &&
		    ran_clean net
	}
	each_kernel net
}

@test "kernel: a host program learnt by path gets its path as profile name, which confines it when started by path" {
	path() {
		grep -q '^profile /opt/wl/workload ' path.aa && ran_clean path &&
		    records path.read | grep -q 'apparmor="DENIED".*profile="/opt/wl/workload".*name="/etc/wl/secret"'
	}
	each_kernel path
}

@test "kernel: under every enforced profile, a file never read, a file never written beside written ones and a mount never made are denied" {
	denied() {
		local v
		for v in ix cx px net path; do
			[ "$(cat "$v.read.rc")" != 0 ] && [ "$(cat "$v.write.rc")" != 0 ] &&
			    [ "$(cat "$v.mount.rc")" != 0 ] || { echo "$v: a probe ran"; return 1; }
			records "$v.read" | grep -q 'apparmor="DENIED" operation="open".*name="/etc/wl/secret"' &&
			    records "$v.write" | grep -q 'apparmor="DENIED" operation="mknod".*name="/var/lib/wl/intruder"' &&
			    records "$v.mount" | grep -q 'apparmor="DENIED" operation="mount".*name="/mnt/"' ||
			    { echo "$v: no denial"; return 1; }
		done
	}
	each_kernel denied
}

@test "kernel: --complain's profile loads; what it would deny runs, logged ALLOWED, and bm-diff reports it" {
	observed() {
		grep -q 'flags=(attach_disconnected,mediate_deleted,complain)' complain.aa &&
		    ran_clean complain || return 1
		! records complain | grep 'apparmor="ALLOWED"' ||
		    { echo "the learnt workload logged"; return 1; }
		[ "$(cat complain.read.rc)" = 0 ] && [ "$(cat complain.mount.rc)" = 0 ] ||
		    { echo "a probe was refused"; return 1; }
		records complain.read | grep -q 'apparmor="ALLOWED" operation="open".*name="/etc/wl/secret"' ||
		    { echo "no ALLOWED record"; return 1; }
		"$BIN/aa-evtparse" complain.read.dmesg | "$BIN/bm-diff" model.json >complain.diff
		[ $? -eq 1 ] && grep -q '"entry":{"path":"/etc/wl/secret"' complain.diff ||
		    { cat complain.diff; return 1; }
	}
	each_kernel observed
}

@test "kernel: names made from pids become [0-9]*, for every event naming them, and nothing else is widened" {
	pids() {
		grep -q 'owner /var/lib/wl/out\.\[0-9\]\* w,' ix.aa &&
		    grep -q 'owner /var/lib/wl/recv\.\[0-9\]\* rw,' ix.aa &&
		    grep -q 'owner /var/lib/wl/child\.\[0-9\]\* w,' ix.aa &&
		    ! grep -E '/var/lib/wl/(out|recv|child)\.[0-9]' ix.aa &&
		    ! grep -E '/var/lib/wl/\*|/srv/wl/data/\*|/etc/wl/\*' ix.aa
	}
	each_kernel pids
}

@test "kernel: children are told apart by their exec records: the mount and sockets are busybox's, the child's file wlchild's" {
	kids() {
		jq -e '.data.dynamicResult.appArmor as $a |
		    ($a.children | map({key: .exec[0], value: .}) | from_entries) as $c |
		    ($c["/usr/bin/busybox"].mounts | map(.type) | index("tmpfs")) != null and
		    ($c["/usr/bin/busybox"].networks.sockets | length) > 0 and
		    ($a.networks.sockets // [] | length) == 0 and
		    ($a.mounts | map(select(.type == "tmpfs")) | length) == 0 and
		    ($c["/opt/wl/wlchild"].files | map(.path) | index("/var/lib/wl/child.[0-9]*")) != null and
		    ($a.files | map(.path) | index("/var/lib/wl/child.[0-9]*")) == null' model.json
	}
	each_kernel kids
}

@test "kernel: mount rules match the kernel's real mount call (rw, nosuid, silent)" {
	each_kernel grep -q 'mount fstype=tmpfs options=(nosuid, rw, silent) wltmp -> /srv/wl/mnt/,' cx.aa
}

@test "kernel: the learnt model goes through bm-profile --varmor and passes vArmor's CRD check" {
	local PY=python3
	[ -x /usr/bin/python3 ] && PY=/usr/bin/python3	# with python3-yaml
	crd() {
		"$BIN/bm-profile" --varmor --name wl model.json >varmor.json &&
		    "$PY" "$ROOT/t/crdcheck.py" "$CORPUS/varmor/crds/armorprofilemodels-main.yaml" varmor.json
	}
	each_kernel crd
}

@test "kernel: bpf-mountwatch in the VM saw the workload's mount and umount, none lost" {
	watched() {
		[ "$(cat mountwatch.rc)" = 0 ] &&
		    jq -se '[.[] | select(.comm == "mount" and .syscall == "mount" and .fstype == "tmpfs" and .target == "/srv/wl/mnt")] | length == 1' mountwatch.json &&
		    jq -se '[.[] | select(.syscall == "umount2" and .target == "/srv/wl/mnt")] | length == 1' mountwatch.json &&
		    jq -se '[.[] | select(.event == "lost")] | length == 0' mountwatch.json &&
		    jq -se '[.[] | select(.event == "stats")][0] |
			.events == .delivered and .lost_ringbuf + .lost_argtable + .lost_fault + .unread == 0' mountwatch.json
	}
	each_kernel watched
}
