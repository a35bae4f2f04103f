#!/usr/bin/env bats
# vArmor reads what the suite writes: every --varmor export is checked as
# an API server checks it (t/crdcheck.py: pruning, types, required
# fields, integer formats) against vArmor's own CRDs, and bm-merge's own
# models go through the advisor's decisions.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	AA=$CORPUS/apparmor-test_multi
	CRDS=$CORPUS/varmor/crds
	# Debian's python3 has python3-yaml (make deps), whatever python3 is first
	PY=python3
	[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
}

# Findings of the API server's checks of CRD release $1 on files.
crd() {
	"$PY" "$BATS_TEST_DIRNAME/crdcheck.py" "$CRDS/armorprofilemodels-$1.yaml" "${@:2}"
}

# The models the tests export: the sample, the whole corpus as one model,
# mounts from AppArmor and from bpf-mountwatch, and a vArmor-made model.
models() {
	evtparse "$DATA/sample.log" | merge --mode ALLOWED,DENIED,log > "$T/sample.json"
	for f in "$AA"/*.in; do evtparse "$f" 2>/dev/null || true; done |
	    merge --all-profiles --mode ALLOWED,DENIED,AUDIT --name corpus > "$T/corpus.json"
	evtparse "$DATA/mounts.log" | merge > "$T/mounts.json"
	cat > "$T/bpf.ndjson" <<-'EOF2'
	{"event":"mount","seq":1,"pid":9,"comm":"mnt","syscall":"mount","source":"src","target":"/m/a","fstype":"tmpfs","flags":["MS_NOSUID","MS_NODEV"],"data":"size=1m","ret":0}
	{"event":"mount","seq":2,"pid":9,"comm":"mnt","syscall":"mount","source":"other","target":"/m/a","fstype":"tmpfs","flags":["MS_NOSUID","MS_NODEV"],"ret":0}
	{"event":"mount","seq":3,"pid":9,"comm":"mnt","syscall":"umount2","target":"/m/a","flags":["MNT_DETACH"],"ret":0}
	{"event":"mount","seq":4,"pid":9,"comm":"mnt","syscall":"pivot_root","new_root":"/new","put_old":"/new/old","ret":0}
	EOF2
	merge --name bpf --comm mnt "$T/bpf.ndjson" > "$T/bpf.json"
	merge "$DATA/varmor-current.json" > "$T/varmor.json"
	# sockets of netlink, named from its own protocols, and of inet
	printf 'type=AVC msg=audit(1700000000.100:%d): apparmor="ALLOWED" operation="create" class="net" profile="nl" pid=12 comm="x" family="%s" sock_type="raw" protocol=%d requested_mask="create"\n' \
	    1 netlink 9 2 netlink 15 3 inet 6 > "$T/netlink.log"
	evtparse "$T/netlink.log" | merge > "$T/netlink.json"
	jq -e '[.data.dynamicResult.appArmor.networks.sockets[].protocol] == ["tcp","audit","kobject_uevent"]' "$T/netlink.json" > /dev/null
}

# Filter $1 of file $2, arrays sorted: models compared whatever their order.
canon() {
	jq -S "$1"' | walk(if type == "array" then sort else . end)' "$2"
}

@test "--varmor exports pass vArmor's current CRD (main, v0.10.3) whole: nothing pruned, nothing refused" {
	models
	for m in sample corpus mounts bpf varmor netlink; do
		profile --varmor --namespace demo --name "varmor-demo-$m" "$T/$m.json" > "$T/$m.v" 2>/dev/null
	done
	for release in main v0.10.3; do
		run crd "$release" "$T"/*.v
		assert_success
		assert_output ''
	done
	run jq -r '[.storageType, .metadata.namespace, .data.profile.mode, .data.profile.name, (.data.dynamicResult.appArmor.profiles | join(","))] | join(" ")' "$T/corpus.v"
	assert_output 'CRDInternal demo enforce varmor-demo-corpus varmor-demo-corpus'
	# the checker is not a rubber stamp: the old spelling is pruned
	run crd main <(jq -c '.data.dynamicResult.apparmor = .data.dynamicResult.appArmor | del(.data.dynamicResult.appArmor)' "$T/sample.v")
	assert_failure
	assert_output --partial 'data.dynamicResult.apparmor: pruned'
}

@test "--varmor-release 0.8 and 0.7 each pass their own CRD, and only theirs" {
	models
	for m in sample corpus mounts varmor netlink; do
		profile --varmor --varmor-release 0.8 --name "m-$m" "$T/$m.json" > "$T/$m.v8" 2>/dev/null
		profile --varmor --varmor-release 0.7 --name "m-$m" "$T/$m.json" > "$T/$m.v7" 2>/dev/null
	done
	run crd v0.8.2 "$T"/*.v8
	assert_success
	assert_output ''
	run crd v0.7.1 "$T"/*.v7
	assert_success
	assert_output ''
	# and not the current one, nor the current export theirs
	run crd main "$T/sample.v8"
	assert_failure
	profile --varmor --name m-sample "$T/sample.json" > "$T/sample.v" 2>/dev/null
	run crd v0.8.2 "$T/sample.v"
	assert_failure
	# 0.8 stores the profiles as text, 0.7 as base64
	diff <(jq -j .data.profile.content "$T/sample.v8") <(profile --name m-sample "$T/sample.json")
	diff <(jq -r .data.profile.content "$T/sample.v7" | base64 -d) <(profile --name m-sample "$T/sample.json")
	run jq -c '.data.dynamicResult.apparmor.networks' "$T/corpus.v7"
	assert_output --partial '"family":"inet6","sockType":"dgram"'
}

@test "data.profile holds the profiles bm-profile writes, under vArmor's names" {
	models
	profile --varmor --name varmor-demo-web "$T/mounts.json" > "$T/v" 2>/dev/null
	diff <(jq -j .data.profile.appArmor "$T/v") <(profile --name varmor-demo-web "$T/mounts.json")
	run jq -r '.data.profile | [.enforcer, (keys | join(","))] | join(" ")' "$T/v"
	assert_output 'AppArmor appArmor,enforcer,mode,name'
	profile --varmor --name varmor-demo-web "$T/varmor.json" > "$T/v" 2>/dev/null
	diff <(jq -j .data.profile.seccomp "$T/v"; echo) <(profile --seccomp "$T/varmor.json")
	run jq -r .data.profile.enforcer "$T/v"
	assert_output AppArmorSeccomp
	run jq -r '.data.profile.appArmor | split("\n") | map(select(startswith("profile "))) | .[0]' "$T/v"
	assert_output 'profile varmor-demo-web flags=(attach_disconnected,mediate_deleted) {'
}

@test "what the CRD has no field for is named on stderr and kept in the profile text" {
	models
	run --separate-stderr profile --varmor --name varmor-demo-web "$T/mounts.json"
	assert_success
	[[ $stderr == *"not in vArmor's data.dynamicResult"*"appArmor.mounts"* ]] || fail "$stderr"
	run jq -r '.data.profile.appArmor' <<<"$output"
	assert_output --partial 'mount fstype=tmpfs options=(nodev, nosuid, rw) tmpfs -> /mnt/test/,'
	assert_output --partial 'umount /mnt/test/,'
	# children folded into the one profile vArmor loads, and said so
	printf '%s\n' '{"event":"apparmor","apparmor":"ALLOWED","operation":"open","profile":"web//null-/usr/bin/curl","name":"/etc/hosts","requested_mask":"r"}' \
	    '{"event":"apparmor","apparmor":"ALLOWED","operation":"open","profile":"web","name":"/etc/passwd","requested_mask":"rx"}' |
	    merge > "$T/children.json"
	run --separate-stderr profile --varmor --name varmor-demo-web "$T/children.json"
	[[ $stderr == *"2 other profile names"*"folded into varmor-demo-web"* ]] || fail "$stderr"
	run jq -c '.data.dynamicResult.appArmor | [.profiles, .files]' <<<"$output"
	assert_output '[["varmor-demo-web"],[{"path":"/etc/hosts","permissions":["r"]},{"path":"/etc/passwd","permissions":["r"]}]]'
}

@test "--varmor: egresses from the inet endpoints a task talked to; no exec permission in files" {
	printf '%s\n' '{"event":"apparmor","apparmor":"ALLOWED","operation":"connect","profile":"web","family":"inet","sock_type":"stream","protocol":"tcp","requested_mask":"connect","faddr":"192.0.2.1","fport":443}' \
	    '{"event":"apparmor","apparmor":"ALLOWED","operation":"connect","profile":"web","family":"inet","sock_type":"stream","protocol":"tcp","requested_mask":"connect","faddr":"192.0.2.1","fport":80}' \
	    '{"event":"apparmor","apparmor":"ALLOWED","operation":"file_mmap","profile":"web","name":"/srv/app/plugin.bin","requested_mask":"mrx"}' |
	    merge > "$T/m"
	profile --varmor --name web "$T/m" > "$T/v" 2>/dev/null
	run jq -c '.data.dynamicResult.appArmor | [.networks.egresses, .files]' "$T/v"
	assert_output '[[{"ip":"192.0.2.1","ports":[80,443]}],[{"path":"/srv/app/plugin.bin","permissions":["m","r"]}]]'
	run crd main "$T/v"
	assert_success
}

@test "--varmor refuses a name Kubernetes would refuse, and warns off vArmor's naming" {
	models
	run --separate-stderr profile --varmor --name Web_1 "$T/sample.json"
	[ "$status" -eq 2 ]
	[[ $stderr == *'"Web_1" is not a Kubernetes object name'* ]]
	run --separate-stderr profile --varmor --namespace demo --name web "$T/sample.json"
	assert_success
	[[ $stderr == *"as varmor-demo-P, not as web"* ]] || fail "$stderr"
	run --separate-stderr profile --varmor --namespace Demo "$T/sample.json"
	[ "$status" -eq 2 ]
}

@test "bm-merge's native model loses only its documented extensions to the CRD" {
	models
	{ cat "$T"/*.json; extra_models; } | merge --counts > "$T/all"
	"$PY" "$BATS_TEST_DIRNAME/crdcheck.py" --pruned "$CRDS/armorprofilemodels-main.yaml" "$T/all" > "$T/all.pruned"
	# --counts adds count, firstSeen and lastSeen to entries, NAMECounts beside lists
	grep -Ev '\[\]\.(count|firstSeen|lastSeen)$|Counts$' "$T/all.pruned" > "$T/pruned"
	[ "$(grep -c 'Counts$' "$T/all.pruned")" -gt 5 ]
	cat > "$T/extensions" <<-'EOF2'
	data.dynamicResult.appArmor.changeProfiles
	data.dynamicResult.appArmor.children
	data.dynamicResult.appArmor.dbus
	data.dynamicResult.appArmor.ioUring
	data.dynamicResult.appArmor.mounts
	data.dynamicResult.appArmor.mqueues
	data.dynamicResult.appArmor.networks.endpoints
	data.dynamicResult.appArmor.networks.sockets[].permissions
	data.dynamicResult.appArmor.unix
	data.dynamicResult.appArmor.userns
	data.dynamicResult.bpf.mounts[].data
	data.dynamicResult.bpf.mounts[].source
	data.dynamicResult.seccomp.architectures
	EOF2
	# every path pruned is a documented extension, and the man page names
	# it; so are the marks of entries learnt from denials, in any section
	grep -v -e 'Denied$' -e '\[\]\.denied$' "$T/pruned" > "$T/pruned.own"
	grep -q -e 'Denied$' -e '\[\]\.denied$' "$T/pruned"
	run comm -23 "$T/pruned.own" "$T/extensions"
	assert_output ''
	[ "$(wc -l < "$T/pruned")" -ge 10 ]
	for word in mounts endpoints unix dbus mqueues ioUring userns changeProfiles children architectures count firstSeen lastSeen source data denied capabilitiesDenied; do
		grep -qw -- "$word" "$ROOT/man/bm-merge.1" || fail "$word not in bm-merge(1)"
	done
}

# A model with every kind of entry the suite writes beyond vArmor.
extra_models() {
	printf '%s\n' '{"event":"apparmor","apparmor":"ALLOWED","operation":"signal","profile":"web","peer":"x","requested_mask":"send","signal":"term"}' \
	    '{"event":"apparmor","apparmor":"ALLOWED","operation":"ptrace","profile":"web","peer":"x","requested_mask":"read"}' \
	    '{"event":"apparmor","apparmor":"ALLOWED","operation":"connect","profile":"web","family":"inet","sock_type":"stream","protocol":"tcp","requested_mask":"connect","faddr":"192.0.2.1","fport":443}' |
	    merge --counts
	merge --counts "$T/bpf.ndjson" "$DATA/varmor-current.json"
}

@test "the original report's check holds: AppArmor mount audit lines give appArmor.mounts" {
	run jq '.data.dynamicResult.appArmor.mounts | length > 0' <(evtparse "$DATA/mounts.log" | merge)
	assert_output true
}

@test "round trip: a model as current vArmor writes it goes through bm-merge and --varmor with nothing lost" {
	merge "$DATA/varmor-current.json" > "$T/m"
	profile --varmor --namespace demo "$T/m" > "$T/v" 2>/dev/null
	# vArmor leaves owner false and an empty oldPath out
	diff <(canon '.data.dynamicResult' "$DATA/varmor-current.json") \
	    <(canon '.data.dynamicResult | walk(if type == "object" then with_entries(select(.value != false and .value != "")) else . end)' "$T/m")
	diff <(canon '.data.dynamicResult' "$DATA/varmor-current.json") <(canon '.data.dynamicResult' "$T/v")
	run crd main "$T/v"
	assert_success
	# and up to 0.8's spelling, read the same
	jq '.data.dynamicResult.apparmor = .data.dynamicResult.appArmor | del(.data.dynamicResult.appArmor) | .data.dynamicResult.bpf.networks = .data.dynamicResult.bpf.network | del(.data.dynamicResult.bpf.network)' \
	    "$DATA/varmor-current.json" | merge > "$T/m8"
	cmp "$T/m" "$T/m8"
}

@test "bm-merge's own models through bm-advise decide as vArmor's advisor does" {
	models
	run python3 "$BATS_TEST_DIRNAME/advisor_parity.py" "$BIN" "$CORPUS/varmor/built-in-rules.json" \
	    "$T/sample.json" "$T/corpus.json" "$T/varmor.json" "$T/netlink.json"
	assert_success
	assert_output '5040 runs, 0 differ'
	# the advisor sees the sample's AppArmor data: curl runs, net_admin is used
	run jq -c '.data.dynamicResult.appArmor | [.capabilities, .executions]' "$T/sample.json"
	assert_output '[["net_admin"],["/usr/bin/curl"]]'
	run advise --catalog "$CORPUS/varmor/built-in-rules.json" AppArmor "$T/sample.json"
	run jq -r 'select(.id == "disable-cap-all" or .id == "disable-curl") | "\(.id) \(.decision)"' <<<"$output"
	assert_output 'disable-cap-all skip
disable-curl skip'
}

@test "dbus: newer kernels name the member method=; a link asks for no exec" {
	printf '%s\n' '{"event":"apparmor","apparmor":"ALLOWED","operation":"dbus_method_call","profile":"web","bus":"session","path":"/org/freedesktop/DBus","interface":"org.freedesktop.DBus","method":"Hello","mask":"send","name":"org.freedesktop.DBus","peer_label":"unconfined"}' \
	    '{"event":"apparmor","apparmor":"ALLOWED","operation":"link","profile":"web","name":"/tmp/a","target":"/tmp/b","requested_mask":"xm","denied_mask":"xm"}' \
	    '{"event":"apparmor","apparmor":"ALLOWED","operation":"link","profile":"web","name":"/tmp/c","target":"/tmp/b","requested_mask":"x","denied_mask":"x"}' |
	    merge > "$T/m"
	run jq -c '.data.dynamicResult.appArmor | [[.files[].path], .unhandled]' "$T/m"
	assert_output '[["/tmp/a"],["link"]]'
	profile "$T/m" > "$T/p"
	assert_compiles "$T/p"
	run grep -E '^  (dbus|/tmp/a)' "$T/p"
	assert_output '  /tmp/a m,
  dbus send bus=session path=/org/freedesktop/DBus interface=org.freedesktop.DBus member=Hello peer=(label=unconfined),'
}

@test "a set longer than one observation holds is read whole; an identity set is refused" {
	jq -cn '{kind: "ArmorProfileModel", metadata: {name: "big"}, data: {dynamicResult: {
	    appArmor: {networks: {egresses: [{ip: "192.0.2.9", ports: [range(1; 200)]}]}},
	    bpf: {mounts: [{path: "/x", flags: [range(70) | "f\(.)"]}]}}}}' > "$T/big"
	run --separate-stderr merge "$T/big"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$T/big:1: data.dynamicResult.bpf.mounts[0].flags: expected 64 names at most" ]
	run jq -c '.data.dynamicResult.appArmor.networks.egresses[0].ports == [range(1; 200)]' <<<"$output"
	assert_output true
	merge "$T/big" 2>/dev/null | profile --varmor 2>/dev/null > "$T/v"
	run jq -c '.data.dynamicResult.appArmor.networks.egresses[0].ports | length' "$T/v"
	assert_output 199
}
