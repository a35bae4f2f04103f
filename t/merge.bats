#!/usr/bin/env bats
# bm-merge: events and models folded into one behaviour model.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	AA=$CORPUS/apparmor-test_multi
}

# Every event of the AppArmor corpus, of the mount fixture and of the
# sample log, as aa-evtparse writes them.
all_events() {
	local f
	for f in "$AA"/*.in; do evtparse "$f" 2>/dev/null || true; done
	evtparse "$DATA/mounts.log" "$DATA/sample.log"
}

# The corpus and the sample hold many profiles, and denials: the tests
# of folding take them all, as asked (merge() redefined in the test).
merge_all() { tool bm-merge --all-profiles --mode ALLOWED,DENIED,AUDIT,log "$@"; }

# bpf-mountwatch records and seccomp events, written by hand.
extra_events() {
	cat <<-'EOF2'
	{"event":"mount","seq":1,"time":1763900001.000001,"pid":9,"comm":"mnt","syscall":"mount","source":"src","target":"/m/a","fstype":"tmpfs","flags":["MS_NOSUID","MS_NODEV"],"data":"size=1m","ret":0}
	{"event":"mount","seq":2,"time":1763900001.5,"pid":9,"comm":"mnt","syscall":"mount","target":"/m/a","flags":["MS_RDONLY","MS_REMOUNT","MS_BIND"],"ret":0}
	{"event":"mount","seq":3,"time":1763900002,"pid":9,"comm":"mnt","syscall":"umount2","target":"/m/a","flags":["MNT_DETACH"],"ret":0}
	{"event":"mount","time":1763900003,"pid":9,"comm":"mnt","syscall":"mount","via":"fsmount","from_seq":[4,5,6],"source":"s2","target":"/m/b","fstype":"tmpfs","flags":["MS_RDONLY"],"ret":0}
	{"event":"mount","seq":4,"time":1763900003,"pid":9,"comm":"mnt","syscall":"fsopen","fstype":"tmpfs","ret":3}
	{"event":"namespace","seq":7,"time":1763900004,"pid":9,"comm":"mnt","syscall":"unshare","flags":["CLONE_NEWNS"],"ret":0}
	{"event":"seccomp","time":1763900005.25,"serial":9,"pid":10,"comm":"app","exe":"/usr/bin/app","subj":"web (enforce)","arch":"x86_64","syscall":"getppid","action":"log"}
	{"event":"seccomp","time":1763900006,"serial":10,"pid":10,"comm":"app","exe":"/usr/bin/app","subj":"web (enforce)","arch":"i386","syscall":"mount","action":"log"}
	EOF2
}

@test "every AppArmor corpus rule is in the model built from its audit line" {
	run python3 "$BATS_TEST_DIRNAME/corpus_model.py" "$BIN" "$AA"
	assert_success
	assert_line --regexp '^checked (8[0-9]|9[0-9]) rules, 4 cases without a rule, 0 failed$'
}

@test "corpus cases without an expected rule still give one valid model" {
	local f n=0
	for f in "$AA"/*.in; do
		[ -e "${f%.in}.profile" ] && continue
		n=$((n + 1))
		evtparse "$f" > "$T/ev" 2>/dev/null || true
		run --separate-stderr merge --mode ALLOWED,DENIED,AUDIT "$T/ev"
		if [ "$status" -eq 1 ] && [ -z "$output" ]; then	# nothing learnt: said
			[[ $stderr == *"bm-merge: n"* ]] || fail "$f: $stderr"
			continue
		fi
		assert_success
		[ "$(jq -c '[.kind, .apiVersion]' <<<"$output")" = '["ArmorProfileModel","crd.varmor.org/v1beta1"]' ] ||
		    fail "$f: $output"
		[ "$(grep -c . <<<"$output")" -eq 1 ] || fail "$f: not one line"
	done
	[ "$n" -ge 15 ]
}

@test "AppArmor mount, remount, bind, propagation, move, umount and pivot_root become mount entries" {
	run jq -c '.data.dynamicResult.appArmor.mounts[]' <(evtparse "$DATA/mounts.log" | merge)
	assert_output '{"path":"/mnt/bind/","flags":["rbind","rw"],"source":"/srv/data/"}
{"path":"/mnt/moved/","flags":["move","rw"],"source":"/mnt/bind/"}
{"path":"/mnt/test/","type":"tmpfs","flags":["nodev","nosuid","rw"],"source":"tmpfs","data":"size=1m,mode=755"}
{"path":"/mnt/test/","flags":["make-rprivate","rw"]}
{"path":"/mnt/test/","flags":["remount","ro"]}
{"path":"/mnt/test/","flags":["umount"]}
{"path":"/newroot/","flags":["pivot_root"],"source":"/newroot/old/"}'
	run jq -c '.data.dynamicResult.appArmor.profiles' <(evtparse "$DATA/mounts.log" | merge)
	assert_output '["web","web//child"]'
}

@test "bpf-mountwatch records land in bpf.mounts, named as AppArmor names mount options" {
	run jq -c '.data.dynamicResult.bpf.mounts[]' <(extra_events | merge)
	assert_output '{"path":"/m/a","type":"tmpfs","flags":["nodev","nosuid","rw"],"source":"src","data":"size=1m"}
{"path":"/m/a","flags":["bind","remount","ro"]}
{"path":"/m/a","flags":["umount"]}
{"path":"/m/b","type":"tmpfs","flags":["ro"],"source":"s2"}'
	# 32-bit callers' umount(2) is named umount
	run jq -c '.data.dynamicResult.bpf.mounts' <(echo '{"event":"mount","seq":1,"syscall":"umount","target":"/m/c","compat":true,"ret":0}' | merge)
	assert_output '[{"path":"/m/c","flags":["umount"]}]'
}

@test "seccomp events give syscalls, named as libseccomp names them, and the architectures seen" {
	run jq -c '.data.dynamicResult.seccomp' <(extra_events | merge)
	assert_output '{"syscalls":["getppid","mount"],"architectures":["i386","x86_64"]}'
	# libaudit's pread is libseccomp's pread64; 452 is newer than the audit tables
	printf '%s\n' 'type=SECCOMP msg=audit(1.000:5): pid=1 arch=c000003e syscall=17 code=0x7ffc0000' \
	    'type=SECCOMP msg=audit(1.000:6): pid=1 arch=c000003e syscall=452 code=0x7ffc0000' > "$T/log"
	run jq -c '.data.dynamicResult.seccomp.syscalls' <(evtparse "$T/log" | merge)
	assert_output '["fchmodat2","pread64"]'
}

@test "the same events in any order give byte-identical models" {
	merge() { merge_all "$@"; }
	{ all_events; extra_events; } > "$T/ev"
	merge "$T/ev" > "$T/ref"
	tac "$T/ev" | merge > "$T/rev"
	cmp "$T/ref" "$T/rev"
	for seed in 1 2 3; do
		shuf --random-source=<(yes "$seed") "$T/ev" | merge > "$T/shuf"
		cmp "$T/ref" "$T/shuf"
	done
	[ "$(jq '.data.dynamicResult.appArmor.files | length' "$T/ref")" -gt 20 ]
}

@test "merging is commutative, associative and idempotent (random splits)" {
	merge() { merge_all "$@"; }
	{ all_events; extra_events; } > "$T/ev"
	assert_semilattice "$T/ev" 11 12 13 14 15 16
}

@test "--counts: counts add up and times widen, in any grouping" {
	merge() { merge_all "$@"; }
	{ all_events; extra_events; } > "$T/ev"
	merge --counts "$T/ev" > "$T/all"
	n=$(wc -l < "$T/ev")
	head -n $((n / 2)) "$T/ev" | merge --counts > "$T/a"
	tail -n +$((n / 2 + 1)) "$T/ev" | merge --counts > "$T/b"
	cat "$T/b" "$T/a" | merge --counts > "$T/ab"
	cmp "$T/ab" "$T/all"
	run jq -c '.data.dynamicResult.bpf.mounts[] | select(.path == "/m/a") | [.flags, .count, .firstSeen, .lastSeen]' "$T/all"
	assert_line --index 0 '[["nodev","nosuid","rw"],1,1763900001.000001,1763900001.000001]'
	run jq -c '.data.dynamicResult.seccomp.syscallsCounts.getppid' "$T/all"
	assert_output '{"count":1,"firstSeen":1763900005.25,"lastSeen":1763900005.25}'
	# mount: one here, one in the sample log
	run jq -c '.data.dynamicResult.seccomp.syscallsCounts.mount' "$T/all"
	assert_output '{"count":2,"firstSeen":1763900006,"lastSeen":1795430009.512}'
	# the capable event is in the corpus five times over
	[ "$(jq '.data.dynamicResult.appArmor.capabilitiesCounts.setuid.count' "$T/all")" -eq 5 ]
	# counts are kept out of the default output
	run jq -c '[.. | objects | has("count")] | any' <(merge "$T/ev")
	assert_output false
}

@test "file permissions: union, c and d fold into w, owner only while every access was the owner's" {
	{ aa_event /srv/f '{"requested_mask":"c"}'
	  aa_event /srv/f '{"requested_mask":"rd"}'
	  aa_event /srv/f '{"requested_mask":"a"}'
	  aa_event /srv/g '{"requested_mask":"m","fsuid":0,"ouid":1}'
	  aa_event /srv/g '{"requested_mask":"rk"}'
	  aa_event /srv/h '{"requested_mask":"x","operation":"file_mmap"}'
	  aa_event /srv/i '{"requested_mask":"::r"}'
	  aa_event /srv/j '{"requested_mask":"w::","ouid":5}'; } | merge > "$T/m"
	run jq -c '.data.dynamicResult.appArmor.files[] | [.path, .owner, .permissions, .oldPath]' "$T/m"
	assert_output '["/srv/f",true,["a","r","w"],""]
["/srv/g",false,["k","m","r"],""]
["/srv/h",true,["x"],""]
["/srv/i",false,["r"],""]
["/srv/j",true,["w"],""]'
}

# n characters of class c: how a random-looking part is generalised
cls() { local i; for ((i = 0; i < $2; i++)); do printf '%s' "$1"; done; }

@test "random-looking path parts become classes of their length, with the original kept in oldPath" {
	local p h=[0-9a-f] d=[0-9]
	for p in /proc/1234/status /proc/1234/task/1240/stat \
	    /var/lib/docker/overlay2/3f1c0bd9a8e27c4d5f60718293a4b5c6d7e8f90123456789abcdef0123456789/merged/etc/hosts \
	    /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/482/fs/bin/sh \
	    /var/lib/kubelet/pods/5f2b8c1e-9a3d-4e7f-b6c0-1d2e3f4a5b6c/volumes/cfg \
	    /tmp/ssh-gRozJw4786/agent.1234 /var/log/app-2026-11-23.log \
	    /usr/lib/x86_64-linux-gnu/libssl.so.3 /lib64/ld-linux-x86-64.so.2 \
	    /etc/nginx/nginx.conf /usr/lib/python3.11/os.py /opt/libQt5Core/x; do
		aa_event "$p"
	done | merge | jq -r '.data.dynamicResult.appArmor.files[] | "\(.path) \(.oldPath)"' > "$T/out"
	run cat "$T/out"
	assert_output "/etc/nginx/nginx.conf 
/lib64/*.so* /lib64/ld-linux-x86-64.so.2
/opt/libQt5Core/x 
/proc/*/status /proc/1234/status
/proc/*/task/*/stat /proc/1234/task/1240/stat
/tmp/ssh-$(cls '[a-zA-Z0-9]' 10)/agent.1234 /tmp/ssh-gRozJw4786/agent.1234
/usr/lib/python3.11/os.py 
/usr/lib/x86_64-linux-gnu/*.so* /usr/lib/x86_64-linux-gnu/libssl.so.3
/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/*/fs/bin/sh /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/482/fs/bin/sh
/var/lib/docker/overlay2/$(cls $h 64)/merged/etc/hosts /var/lib/docker/overlay2/3f1c0bd9a8e27c4d5f60718293a4b5c6d7e8f90123456789abcdef0123456789/merged/etc/hosts
/var/lib/kubelet/pods/$(cls $h 8)-$(cls $h 4)-$(cls $h 4)-$(cls $h 4)-$(cls $h 12)/volumes/cfg /var/lib/kubelet/pods/5f2b8c1e-9a3d-4e7f-b6c0-1d2e3f4a5b6c/volumes/cfg
/var/log/app-$(cls $d 4)-$(cls $d 2)-$(cls $d 2).log /var/log/app-2026-11-23.log"
}

@test "generalised paths that meet become one entry: permissions join, oldPath keeps the least" {
	{ aa_event /proc/200/status; aa_event /proc/100/status '{"requested_mask":"w"}'
	  aa_event /proc/300/status; } | merge > "$T/m"
	run jq -c '.data.dynamicResult.appArmor.files' "$T/m"
	assert_output '[{"path":"/proc/*/status","owner":true,"permissions":["r","w"],"oldPath":"/proc/100/status"}]'
}

@test "glob characters in a path are escaped, never widened; --no-generalize keeps paths as seen" {
	{ aa_event '/tmp/*'; aa_event '/srv/a{b,c}/[x]?^\z'
	  aa_event '/tmp/**/3f1c0bd9a8e27c4d5f60718293a4b5c6'; aa_event /proc/42/maps; } |
	    merge --no-generalize > "$T/m"
	run jq -r '.data.dynamicResult.appArmor.files[] | "\(.path)|\(.oldPath)"' "$T/m"
	assert_output '/proc/42/maps|
/srv/a\{b,c\}/\[x\]\?\^\\z|/srv/a{b,c}/[x]?^\z
/tmp/\*|/tmp/*
/tmp/\*\*/3f1c0bd9a8e27c4d5f60718293a4b5c6|/tmp/**/3f1c0bd9a8e27c4d5f60718293a4b5c6'
	{ aa_event '/tmp/**/3f1c0bd9a8e27c4d5f60718293a4b5c6'; } | merge > "$T/m"
	run jq -r '.data.dynamicResult.appArmor.files[] | .path' "$T/m"
	assert_output "/tmp/\\*\\*/$(cls '[0-9a-f]' 32)"
}

@test "--profile takes a profile and its // children; seccomp by subj, unlabelled events by --comm" {
	{ aa_event /a; aa_event /b '{"profile":"web//null-/bin/sh"}'
	  aa_event /c '{"profile":"webby"}'; aa_event /d '{"profile":"other"}'
	  extra_events; } > "$T/ev"
	run --separate-stderr merge --profile web "$T/ev"
	assert_success
	run jq -c '.data.dynamicResult | [.appArmor.profiles, [.appArmor.files[].path], .seccomp.syscalls, (.bpf != null)]' <<<"$output"
	assert_output '[["web","web//null-/bin/sh"],["/a"],["getppid","mount"],false]'
	# what /bin/sh did under web's learning profile is its own (a child)
	run jq -c '.data.dynamicResult.appArmor.children' <(merge --profile web "$T/ev" 2>/dev/null)
	assert_output '[{"exec":["/bin/sh"],"files":[{"path":"/b","owner":true,"permissions":["r"],"oldPath":""}]}]'
	[[ $stderr == *"5 events carry no AppArmor label and were left out"* ]]
	run jq -c '.data.dynamicResult | [(.appArmor.files // [] | length), (.bpf.mounts | length), .metadata]' <(merge --profile web --comm mnt "$T/ev")
	assert_output '[0,4,null]'
	run jq -r '.metadata.name' <(merge --profile web --comm mnt "$T/ev")
	assert_output web
}

@test "--mode, --event, --exe and --pid choose what is read" {
	{ aa_event /a '{"apparmor":"ALLOWED"}'; aa_event /b '{"apparmor":"AUDIT"}'
	  aa_event /c '{"apparmor":"STATUS"}'; aa_event /d '{"apparmor":"DENIED"}'
	  extra_events
	  echo '{"event":"seccomp","time":1763900007,"pid":10,"subj":"web (enforce)","arch":"x86_64","syscall":"ptrace","action":"errno"}'; } > "$T/ev"
	# by default what was let happen: not STATUS, not a denial
	run jq -c '[.data.dynamicResult.appArmor.files[].path, .data.dynamicResult.seccomp.syscalls]' <(merge "$T/ev")
	assert_output '["/a","/b",["getppid","mount"]]'
	run jq -c '[.data.dynamicResult.appArmor.files[].path]' <(merge --mode allowed "$T/ev")
	assert_output '["/a"]'
	run jq -c '[.data.dynamicResult.appArmor.files[].path, .data.dynamicResult.seccomp.syscalls]' <(merge --mode allowed,denied,errno "$T/ev")
	assert_output '["/a","/d",["ptrace"]]'
	run --separate-stderr merge --mode DENYED "$T/ev"
	[ "$status" -eq 2 ]
	[[ $stderr == "bm-merge: --mode DENYED: not an AppArmor mode (AUDIT,"* ]] || fail "$stderr"
	run jq -c '.data.dynamicResult | keys' <(merge --event seccomp,mount "$T/ev")
	assert_output '["bpf","seccomp"]'
	run jq -c '.data.dynamicResult | keys' <(merge --exe /usr/bin/app "$T/ev")
	assert_output '["seccomp"]'
	run jq -c '[.data.dynamicResult.appArmor.files[].path]' <(merge --pid 7 "$T/ev")
	assert_output '["/a","/b"]'
	run --separate-stderr merge --comm APP "$T/ev"
	[ "$status" -eq 1 ]
	assert_output ''
	[[ $stderr == "bm-merge: nothing learnt: no event of the"*"profiles seen: web" ]] || fail "$stderr"
	merge --event apparmor "$T/ev" > "$T/m"
	run jq -c '.data.dynamicResult | keys' <(cat "$T/m" "$T/ev" | merge --event model)
	assert_output '["appArmor"]'
}

@test "metadata.name: --name, else the models' name, else the one profile seen, as a Kubernetes name" {
	run jq -r .metadata.name <(aa_event /a '{"profile":"/usr/sbin/Nginx"}' | merge)
	assert_output usr-sbin-nginx
	run jq -r .metadata.name <({ aa_event /a; aa_event /b '{"profile":"db"}'; } | merge --all-profiles)
	assert_output behavior-model
	# events of two profiles, none chosen: refused, naming them
	run --separate-stderr merge <({ aa_event /a; aa_event /b '{"profile":"db"}'; aa_event /c '{"profile":"web//null-/bin/sh"}'; })
	[ "$status" -eq 2 ]
	assert_output ''
	[ "$stderr" = "bm-merge: events of 2 profiles: db, web; --profile NAME learns one, --all-profiles folds them all into one model" ]
	run jq -r .metadata.name <(aa_event /a | merge --name varmor-demo-web)
	assert_output varmor-demo-web
	aa_event /a | merge --name m-b > "$T/b"
	aa_event /a | merge --name m-a > "$T/a"
	run jq -r .metadata.name <(cat "$T/b" "$T/a" | merge)
	assert_output m-a
	run jq -r .metadata.name <(aa_event /a | merge --name web--2.example)
	assert_output web--2.example
	for bad in Bad_Name a.-b -a a. "$(printf 'x%.0s' $(seq 254))"; do
		run --separate-stderr merge --name "$bad" /dev/null
		[ "$status" -eq 2 ] || fail "--name $bad: status $status"
		[[ $stderr == "bm-merge: --name $bad: not a Kubernetes object name"*"
usage: bm-merge"* ]] || fail "$stderr"
	done
}

@test "vArmor's model layouts are read: appArmor, networks as a list, pretty-printed" {
	cat > "$T/old.json" <<-'EOF2'
	{
	  "apiVersion": "crd.varmor.org/v1beta1",
	  "kind": "ArmorProfileModel",
	  "metadata": { "name": "varmor-demo-4", "namespace": "demo" },
	  "data": {
	    "dynamicResult": {
	      "appArmor": {
	        "capabilities": ["net_raw", "chown"],
	        "executions": ["/bin/ping"],
	        "files": [
	          { "oldPath": "/proc/1/fd/63", "owner": true, "path": "/proc/*/fd/*", "permissions": ["w"] },
	          { "oldPath": "", "owner": false, "path": "/etc/passwd", "permissions": ["r"] }
	        ],
	        "networks": [ { "family": "inet", "sockType": "raw", "protocol": "icmp" } ],
	        "ptraces": [ { "peer": "web", "permissions": ["read"] } ]
	      },
	      "seccomp": { "syscalls": ["read", "write"] }
	    },
	    "profile": { "name": "x" }
	  },
	  "status": { "ready": true }
	}
	EOF2
	run --separate-stderr merge "$T/old.json"
	assert_success
	run jq -c '.metadata.name, .data.dynamicResult.appArmor.capabilities, .data.dynamicResult.appArmor.networks, .data.dynamicResult.appArmor.files[0], .data.dynamicResult.seccomp' <<<"$output"
	assert_output '"varmor-demo-4"
["chown","net_raw"]
{"sockets":[{"domain":"inet","type":"raw","protocol":"icmp"}]}
{"path":"/etc/passwd","owner":false,"permissions":["r"],"oldPath":""}
{"syscalls":["read","write"]}'
	# its own output, pretty-printed, reads back the same
	merge "$T/old.json" > "$T/m"
	jq . "$T/m" | merge > "$T/m2"
	cmp "$T/m" "$T/m2"
}

@test "bad input is reported with file and line, skipped and counted; --strict stops" {
	{ aa_event /a; echo 'not json'; echo '{"event":"selinux"}'
	  aa_event /b '{"name":42}'; echo '{"no":"event"}'; echo '[1,2]'
	  aa_event /c '{"time":"yesterday"}'
	  echo '{"event":"mount","syscall":"mount","target":"/x","flags":"MS_BIND"}'
	  aa_event /d; } > "$T/ev"
	run --separate-stderr merge "$T/ev"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/ev:2: malformed JSON at byte 1
$T/ev:3: unknown event kind \"selinux\"
$T/ev:4: field \"name\": expected a string
$T/ev:5: neither an event nor a model: no \"event\" field
$T/ev:6: not a JSON object
$T/ev:7: field \"time\": expected seconds since the epoch
$T/ev:8: field \"flags\": expected an array of strings" ]
	run jq -c '[.data.dynamicResult.appArmor.files[].path]' <<<"$output"
	assert_output '["/a","/d"]'
	run --separate-stderr merge --strict "$T/ev"
	[ "$status" -eq 2 ]
	assert_output ''
	[[ $stderr == *"$T/ev:2: malformed JSON"* ]]
}

@test "a broken value spread over lines hides none of the lines after it" {
	{ echo '{'; echo '  "event": "apparmor",'; aa_event /a; aa_event /b; } > "$T/ev"
	run --separate-stderr merge "$T/ev"
	[ "$status" -eq 1 ]
	[[ $stderr == "$T/ev:1: "* ]]
	run jq -c '[.data.dynamicResult.appArmor.files[].path]' <<<"$output"
	assert_output '["/a","/b"]'
	{ aa_event /a; printf '{"event":\n'; } > "$T/cut"
	run --separate-stderr merge "$T/cut"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/cut:2: unterminated JSON value" ]
}

@test "a bad entry in a model is named by its JSON path; the rest of the model counts" {
	echo '{"kind":"ArmorProfileModel","metadata":{"name":"m"},"data":{"dynamicResult":{"apparmor":{"files":[{"path":"/a","owner":true,"permissions":["r"],"oldPath":""},{"path":"/b","owner":"yes","permissions":["r"]}],"capabilities":["chown",7],"selinux":[]},"bpf":{"mounts":[{"path":"/m","flags":["rw"]}]},"other":{}}}}' > "$T/m"
	run --separate-stderr merge "$T/m"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/m:1: data.dynamicResult.apparmor.files[1].owner: expected true or false
$T/m:1: data.dynamicResult.apparmor.capabilities[1]: expected a string
$T/m:1: data.dynamicResult.apparmor.selinux: section not known; left out
$T/m:1: data.dynamicResult.other: section not known; left out" ]
	run jq -c '.data.dynamicResult | [[.appArmor.files[].path], .appArmor.capabilities, .bpf.mounts]' <<<"$output"
	assert_output '[["/a"],["chown"],[{"path":"/m","flags":["rw"]}]]'
	echo '{"kind":"Pod","data":{}}' > "$T/pod"
	run --separate-stderr merge "$T/pod"
	[ "$status" -eq 1 ]
	[ "$(sed -n 1p <<<"$stderr")" = "$T/pod:1: not an ArmorProfileModel" ]
}

@test "an unreadable file is reported and the others are still read" {
	aa_event /a > "$T/ev"
	run --separate-stderr merge "$T/missing" "$T/ev"
	[ "$status" -eq 1 ]
	[[ $stderr == *"$T/missing: No such file or directory"* ]]
	run jq -c '[.data.dynamicResult.appArmor.files[].path]' <<<"$output"
	assert_output '["/a"]'
}

@test "crafted names stay inside their field: one line of valid UTF-8 JSON" {
	{ aa_event $'/tmp/x"\n{"injected":1}\xff\xfe/'
	  printf '{"event":"apparmor","apparmor":"ALLOWED","operation":"capable","profile":"p\\u0000q","capname":"a\\u0000b"}\n'
	  aa_event $'/tmp/\xc3\x28' ; aa_event $'/tmp/\xef\xbf\xbd('; } > "$T/ev"
	merge --all-profiles "$T/ev" > "$T/m"
	[ "$(wc -l < "$T/m")" -eq 1 ]
	iconv -f UTF-8 -t UTF-8 "$T/m" > /dev/null
	run jq -c '.data.dynamicResult.appArmor | [.capabilities, .profiles, (.files | length), ([.. | objects | has("injected")] | any)]' "$T/m"
	assert_output '[["a�b"],["p�q","web"],2,false]'
	# the invalid byte and U+FFFD itself are the same path once written: one entry, and stable
	merge "$T/m" | cmp - "$T/m"
}

@test "a failed write is an error, not silent truncation" {
	aa_event /a > "$T/ev"
	run --separate-stderr merge -o /dev/full "$T/ev"
	[ "$status" -eq 2 ]
	[[ $stderr == *"/dev/full"* ]]
	run merge -o "$T/out" "$T/ev"
	assert_success
	assert_output ''
	[ "$(jq -r .kind "$T/out")" = ArmorProfileModel ]
}

@test "no input at all is no model, and said; --stats counts on stderr" {
	run --separate-stderr merge --stats /dev/null
	[ "$status" -eq 1 ]
	assert_output ''
	[ "$stderr" = "bm-merge: no input: not one event or model was read
bm-merge: 0 values: 0 apparmor, 0 seccomp, 0 mount events, 0 models; 0 filtered out, 0 without a profile, 0 not modelled, 0 bad, 0 lost upstream, 0 loss reports" ]
	# an empty model is not one, whoever made it
	echo '{"kind":"ArmorProfileModel","data":{"dynamicResult":{"appArmor":{"profiles":["web"]}}}}' > "$T/empty"
	run --separate-stderr merge "$T/empty"
	[ "$status" -eq 1 ]
	assert_output ''
	run --separate-stderr merge --stats <(extra_events)
	[ "$stderr" = "bm-merge: 8 values: 0 apparmor, 2 seccomp, 4 mount events, 0 models; 0 filtered out, 0 without a profile, 2 not modelled, 0 bad, 0 lost upstream, 0 loss reports" ]
}

@test "bm-merge: --help, --version, and one usage line for bad options" {
	assert_cli bm-merge --bogus '--event selinux' '--mode ,' '--pid ,' '--ses ,' \
	    '--comm ,' '--name UPPER' '--name a.-b' '--name -a'
}

@test "bm-merge(1) documents every option and every field of the model" {
	{ all_events; extra_events; } | merge_all --counts > "$T/m"
	# every key, but the values that key a NAMECounts object, documented
	# once for every NAME (and NAMEDenied: the man page names both)
	assert_man_page "$ROOT/man/bm-merge.1" bm-merge Counts Denied $(jq -r '[paths | map(strings) |
	    . as $p | range(length) | select(. == 0 or ($p[. - 1] | endswith("Counts") | not)) |
	    $p[.] | sub("(Counts|Denied)$"; "")] | unique[]' "$T/m")
}

@test "a model on one line of more than 16 MiB is read back whole" {
	python3 -c '
import json
files = [{"path": "/srv/d%d/f%d.txt" % (i // 1000, i), "owner": False,
          "permissions": ["r"], "oldPath": ""} for i in range(300000)]
print(json.dumps({"apiVersion": "crd.varmor.org/v1beta1", "kind": "ArmorProfileModel",
                  "metadata": {"name": "big"},
                  "data": {"dynamicResult": {"apparmor": {"files": files}}}},
                 separators=(",", ":")))' > "$T/big"
	[ "$(stat -c %s "$T/big")" -gt $((16 << 20)) ]
	run --separate-stderr merge "$T/big"
	assert_success
	[ "$(jq '.data.dynamicResult.appArmor.files | length' <<<"$output")" -eq 300000 ]
	[ "$(tool bm-profile "$T/big" | grep -c '^  /srv/')" -eq 300000 ]
}

# Each value of a file with a line break after its first brace: read as
# a value over two lines, so by cJSON's tree, never by jsonflat.c.
split_values() { sed 's/^\([[:space:]]*\){/\1{\n/' "$1"; }

@test "an event read without a tree gives what cJSON's tree gives: model, messages, status" {
	local f d rc
	mkdir "$T/flat" "$T/tree"
	{
		for f in "$DATA"/*.log "$DATA"/*/*.log; do
			evtparse "$f" 2>/dev/null || true
		done
		extra_events
		cat "$DATA/flat/edge.ndjson"
	} > "$T/flat/ev"
	split_values "$T/flat/ev" > "$T/tree/ev"
	[ "$(grep -c . "$T/tree/ev")" -eq $((2 * $(grep -c . "$T/flat/ev"))) ]
	for d in flat tree; do
		rc=0
		(cd "$T/$d" && tool bm-merge --all-profiles --counts --mode \
		    ALLOWED,DENIED,AUDIT,log,errno ev > model 2> err) || rc=$?
		echo "$rc" > "$T/$d/status"
	done
	[ "$(cat "$T/flat/status")" -eq 1 ]	# the bad lines: skipped, counted
	# the edge cases were read, bad ones reported, as in the tree
	grep -q 'ev:[0-9]*: field "pid": expected a whole number' "$T/flat/err"
	grep -q 'field "flags": expected an array of strings' "$T/flat/err"
	grep -q 'field "event": expected a string' "$T/flat/err"
	grep -q 'seventeen-digits' "$T/flat/model"
	grep -q 'unicode-\\u00e9\|unicode-é' "$T/flat/model"
	cmp "$T/flat/model" "$T/tree/model"
	cmp "$T/flat/status" "$T/tree/status"
	# line 2k-1 of the split file is line k of the other
	awk 'match($0, /^ev:[0-9]+:/) {
		n = substr($0, 4, RLENGTH - 4)
		$0 = "ev:" (n + 1) / 2 ":" substr($0, RLENGTH + 1)
	} { print }' "$T/tree/err" > "$T/tree/err.lines"
	diff "$T/flat/err" "$T/tree/err.lines"
}

@test "processes held as bits or by ids give one model, with --counts or not" {
	local i
	# 100 processes (64 held as bits, the rest by ids), each running a
	# program of its own and opening files before and after its exec
	for i in $(seq 100); do
		printf '{"event":"apparmor","apparmor":"ALLOWED","time":%d.1,"serial":%d,"operation":"open","profile":"/w","name":"/srv/in.%d","requested_mask":"r","pid":%d}\n' \
		    $((1700000000 + i)) $((3 * i)) $((i % 7)) $((1000 + i))
		printf '{"event":"apparmor","apparmor":"ALLOWED","time":%d.2,"serial":%d,"operation":"exec","profile":"/w","name":"/bin/p%d","target":"/w","requested_mask":"x","pid":%d}\n' \
		    $((1700000000 + i)) $((3 * i + 1)) $((i % 5)) $((1000 + i))
		printf '{"event":"apparmor","apparmor":"ALLOWED","time":%d.3,"serial":%d,"operation":"capable","profile":"/w","capname":"chown","pid":%d}\n' \
		    $((1700000000 + i)) $((3 * i + 2)) $((1000 + i))
	done > "$T/procs"
	tool bm-merge "$T/procs" | jq -S . > "$T/plain"
	tool bm-merge --counts "$T/procs" | jq -S 'walk(if type == "object"
	    then with_entries(select(.key | test("^(count|firstSeen|lastSeen)$|Counts$") | not))
	    else . end)' > "$T/counted"
	diff "$T/plain" "$T/counted"
	# each program got the file opened before its exec, and chown
	[ "$(jq '.data.dynamicResult.appArmor.children | length' "$T/plain")" -eq 5 ]
	jq -e '[.data.dynamicResult.appArmor.children[]
	    | select(.exec == ["/bin/p1"]) | .files[].path] | index("/srv/in.1") != null' "$T/plain"
	jq -e '[.data.dynamicResult.appArmor.children[] | .capabilities]
	    | all(. == ["chown"])' "$T/plain"
}
