#!/usr/bin/env bats
# Complain-mode children: what a program the workload ran did under the
# null- profile AppArmor made for it stays apart in bm-merge's model,
# keyed by the program, and bm-profile --exec folds it (ix), makes it a
# child profile (cx) or a profile of its own (px).  Every profile is
# compiled by apparmor_parser, and where each rule landed is read back
# from the parser's own dump of the profiles it built.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	C=$DATA/children
	PY=python3
	[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
	command -v apparmor_parser >/dev/null ||
	    fail "apparmor_parser is missing: make deps installs it"
}

profile() { tool bm-profile "$@"; }

# The model of a fixture, children kept.
model() { evtparse "$C/$1.log" | merge --profile ex; }

# The children of a model: each one's programs, then its files, caps.
children() {
	jq -c '.data.dynamicResult.appArmor.children[]? |
	    [.exec, [.files[]?.path], (.capabilities // [])]' "$1"
}

# What apparmor_parser built, one line per rule: "LABEL<TAB>RULE", the
# label as the kernel would name the profile (ex///bin/sh for a child).
compiled() {
	apparmor_parser -Q -K -d "$1" 2>/dev/null | awk -F'\t' '
	    /^Name:\t\t/ { name = $3; label = name; full[name] = name; next }
	    /^Local To:\t/ { label = full[$2] "//" name; full[name] = label; next }
	    /^Mode:/ { f = $NF; gsub(/^\(|\)$/, "", f); print label "\tfile " f; next }
	    /^Capabilities: / { n = split(substr($0, 15), c, " ");
	        for (i = 1; i <= n; i++) print label "\tcapability " c[i]; next }
	    /^Network: / { sub(/ +$/, ""); print label "\t" $0 }' | sort -u
}

# The profile compiles, and its rules, by profile.
build() {
	local out=$1
	shift
	profile "$@" > "$out" || fail "bm-profile $* failed"
	run apparmor_parser -Q -K "$out"
	assert_success
	compiled "$out" > "$out.rules"
	[ -s "$out.rules" ] || fail "no rules read back from $out"
}

# Labels holding a rule, given whole ("file /etc/x"), one a line.
where() { awk -F'\t' -v r="$2" '$2 == r { print $1 }' "$1.rules"; }

@test "null-/PATH children, nested ones too, are kept apart by program" {
	model exe > "$T/m"
	run children "$T/m"
	assert_output '[["/bin/sh"],["/etc/profile"],[]]
[["/bin/sh","/usr/bin/curl"],["/etc/ssl/certs/ca-certificates.crt"],["net_raw"]]
[["/usr/bin/curl"],["/root/.curlrc"],[]]'
	# the workload keeps its own, and the labels it saw
	run jq -c '.data.dynamicResult.appArmor | [.capabilities, [.files[].path], .executions]' "$T/m"
	assert_output '[["chown"],["/etc/ex.conf"],["/bin/sh","/usr/bin/curl"]]'
	run jq -r '.data.dynamicResult.appArmor.profiles[]' "$T/m"
	assert_line 'ex//null-/bin/sh//null-/usr/bin/curl'
}

@test "null-<n> and null-complain children are named by their exec event, in any order" {
	model number > "$T/m"
	run children "$T/m"
	assert_output '[["/usr/bin/curl"],["/etc/ssl/certs/ca-certificates.crt"],["net_raw"]]
[["/usr/bin/curl","/usr/bin/gzip"],["/tmp/out.gz"],[]]'
	# the child's event came before its exec event: reversed, the same
	evtparse "$C/number.log" | tac | merge --profile ex | cmp - "$T/m"
	# null-complain: one label for every child, the pid tells them apart
	model complain > "$T/c"
	run children "$T/c"
	assert_output '[["/bin/cat"],["/srv/index.html"],[]]
[["/bin/ls"],["/srv/"],[]]'
	# AppArmor 2's bare null-complain-profile: the parent is the exec event's
	sed 's/target="ex\/\/null-complain"/target="null-complain-profile"/; s/profile="ex\/\/null-complain"/profile="null-complain-profile"/' \
	    "$C/complain.log" > "$T/old.log"
	run children <(evtparse "$T/old.log" | merge)
	assert_output '[["/bin/cat"],["/srv/index.html"],[]]
[["/bin/ls"],["/srv/"],[]]'
}

@test "a child whose exec event is missing is reported and folded, never dropped" {
	run --separate-stderr merge --profile ex --stats <(evtparse "$C/missing.log")
	assert_success
	[[ $stderr == *"ex//null-7f: no exec event names the program; its events are folded into the workload"* ]] ||
	    fail "$stderr"
	[[ $stderr == *"1 event of a null- profile no exec event named"* ]] || fail "$stderr"
	run jq -c '[.data.dynamicResult.appArmor.files[].path, .data.dynamicResult.appArmor.children]' <<< "$output"
	assert_output '["/etc/ex.conf","/var/lib/orphan",null]'
	# a nested child whose own exec is missing goes to the child above it
	{ grep -v 'null-2d//null-2e' "$C/number.log"
	  printf '%s\n' 'type=AVC msg=audit(1700000100.700:36): apparmor="ALLOWED" operation="open" profile="ex//null-2d//null-2f" name="/tmp/lost" pid=203 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0'
	} > "$T/nested.log"
	run --separate-stderr merge --profile ex <(evtparse "$T/nested.log")
	[[ $stderr == *"ex//null-2d//null-2f: no exec event names the program; its events are folded into the child that ran it"* ]] ||
	    fail "$stderr"
	run children <(printf '%s\n' "$output")
	assert_output '[["/usr/bin/curl"],["/etc/ssl/certs/ca-certificates.crt","/tmp/lost"],["net_raw"]]'
}

@test "ix folds every child into the profile that ran it, as the folded model gives" {
	for f in exe number complain missing; do
		model "$f" > "$T/$f.m" 2>/dev/null
		build "$T/$f.ix" --fine-network "$T/$f.m"
		# the same model with each child's sections moved into the workload's
		jq -c '., (.data.dynamicResult.appArmor.children[]? |
		    {kind: "ArmorProfileModel", data: {dynamicResult: {appArmor: del(.exec)}}})' \
		    "$T/$f.m" | jq -c 'del(.data.dynamicResult.appArmor.children)' |
		    merge --name ex > "$T/$f.folded"
		[ "$(jq '.data.dynamicResult.appArmor | has("children")' "$T/$f.folded")" = false ]
		profile --fine-network "$T/$f.folded" | cmp - "$T/$f.ix"
		profile --fine-network --exec ix "$T/$f.m" | cmp - "$T/$f.ix"
		run grep -c '^profile ' "$T/$f.ix"
		assert_output 1
	done
	run where "$T/exe.ix" 'file /etc/ssl/certs/ca-certificates.crt'
	assert_output ex
	run where "$T/exe.ix" 'capability net_raw'
	assert_output ex
}

@test "cx: each child a profile inside the one that ran it, with cx -> its name" {
	model exe > "$T/m"
	build "$T/cx" --fine-network --exec cx "$T/m"
	grep -qxF '  /bin/sh mrcx -> /bin/sh,' "$T/cx"
	grep -qxF '    /usr/bin/curl mrcx -> /usr/bin/curl,' "$T/cx"
	run where "$T/cx" 'file /etc/ssl/certs/ca-certificates.crt'
	assert_output 'ex///bin/sh///usr/bin/curl'
	run where "$T/cx" 'capability net_raw'
	assert_output 'ex///bin/sh///usr/bin/curl'
	run where "$T/cx" 'Network: inet { stream }'
	assert_output 'ex///bin/sh///usr/bin/curl'
	run where "$T/cx" 'file /root/.curlrc'
	assert_output 'ex///usr/bin/curl'
	run where "$T/cx" 'file /etc/profile'
	assert_output 'ex///bin/sh'
	run where "$T/cx" 'file /etc/ex.conf'
	assert_output ex
	run where "$T/cx" 'capability chown'
	assert_output ex
	# null-<n>, null-complain: the same, by the programs their exec events name
	model number > "$T/n"
	build "$T/ncx" --exec cx "$T/n"
	run where "$T/ncx" 'file /tmp/out.gz'
	assert_output 'ex///usr/bin/curl///usr/bin/gzip'
	model complain > "$T/c"
	build "$T/ccx" --exec cx "$T/c"
	run where "$T/ccx" 'file /srv/index.html'
	assert_output 'ex///bin/cat'
	run where "$T/ccx" 'file /srv/'
	assert_output 'ex///bin/ls'
}

@test "px: a profile of its own attached to the program, the parent's rule px" {
	model exe > "$T/m"
	build "$T/px" --fine-network --exec px "$T/m"
	grep -qxF '  /usr/bin/curl mrpx,' "$T/px"
	grep -qxF 'profile /usr/bin/curl flags=(attach_disconnected,mediate_deleted) {' "$T/px"
	# curl run by the workload and by sh: one profile, both behaviours
	run where "$T/px" 'file /etc/ssl/certs/ca-certificates.crt'
	assert_output /usr/bin/curl
	run where "$T/px" 'file /root/.curlrc'
	assert_output /usr/bin/curl
	run where "$T/px" 'file /etc/profile'
	assert_output /bin/sh
	run where "$T/px" 'capability net_raw'
	assert_output /usr/bin/curl
	run where "$T/px" 'file /etc/ex.conf'
	assert_output ex
}

@test "--exec PATH=MODE per program; other programs take the default" {
	model exe > "$T/m"
	build "$T/mix" --fine-network --exec /bin/sh=cx --exec /usr/bin/curl=px "$T/m"
	run where "$T/mix" 'file /etc/profile'
	assert_output 'ex///bin/sh'
	run where "$T/mix" 'file /etc/ssl/certs/ca-certificates.crt'
	assert_output /usr/bin/curl
	grep -qxF '    /usr/bin/curl mrpx,' "$T/mix"
	# sh folded, curl a child: curl's profile is the workload's child
	build "$T/mix2" --fine-network --exec cx --exec /bin/sh=ix "$T/m"
	run where "$T/mix2" 'file /etc/profile'
	assert_output ex
	run where "$T/mix2" 'file /etc/ssl/certs/ca-certificates.crt'
	assert_output 'ex///usr/bin/curl'
	run where "$T/mix2" 'file /root/.curlrc'
	assert_output 'ex///usr/bin/curl'
	# a program run with cx that learnt nothing still gets its profile
	jq -c '.data.dynamicResult.appArmor.executions += ["/usr/bin/id"]' "$T/m" > "$T/m2"
	build "$T/id" --exec cx "$T/m2"
	grep -qxF '  profile /usr/bin/id flags=(attach_disconnected,mediate_deleted) {' "$T/id"
	run profile --exec /usr/bin/curl=zx "$T/m"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == *"--exec /usr/bin/curl=zx: zx is not ix"* ]]
	run profile --exec =cx "$T/m"
	[ "$status" -eq 2 ]
}

@test "cx on a file glob names no child profile; on a file path, the one made for it" {
	model exe > "$T/m"
	jq -c '.data.dynamicResult.appArmor.files += [
	    {"path": "/usr/lib/ex/*", "owner": false, "permissions": ["r", "x"], "oldPath": ""},
	    {"path": "/usr/bin/env", "owner": false, "permissions": ["r", "x"], "oldPath": ""}]' \
	    "$T/m" > "$T/g"
	build "$T/gcx" --exec cx "$T/g"
	# a pattern's cx: the child profile the program's own path attaches to
	grep -qxF '  /usr/lib/ex/* rcx,' "$T/gcx"
	! grep -qF -- '-> "/usr/lib/ex' "$T/gcx"
	grep -qxF '  /usr/bin/env rcx -> /usr/bin/env,' "$T/gcx"
	grep -qxF '  profile /usr/bin/env flags=(attach_disconnected,mediate_deleted) {' "$T/gcx"
}

@test "crafted program names stay one name: quoted, never a rule of their own" {
	"$PY" - > "$T/m" <<-'EOF2'
	import json
	names = ["/opt/my app", "/x/a*b", '/x/"q"', "/x/{a,b}", "/x/new\nline",
	         "/x/a b/#c", "/x/,c", "/x/back\\", "/x/} profile y {"]
	kids = [{"exec": [p], "capabilities": ["chown"]} for p in names]
	print(json.dumps({"kind": "ArmorProfileModel", "metadata": {"name": "ex"},
	    "data": {"dynamicResult": {"appArmor": {"executions": names, "children": kids}}}}))
	EOF2
	for mode in cx px; do
		build "$T/$mode" --exec "$mode" "$T/m"
		[ "$(grep -c "	capability chown" "$T/$mode.rules")" -eq 9 ]
		! grep -q '^y	' "$T/$mode.rules"
	done
}

@test "bm-merge(1) and bm-profile(1) document the variants and the modes" {
	for word in null-complain 'null-<n>' 'null-/usr/bin/curl' children exec; do
		grep -qF -- "$word" "$ROOT/man/bm-merge.1" || fail "bm-merge(1) lacks $word"
	done
	mandoc -Tutf8 "$ROOT/man/bm-profile.1" | col -b > "$T/man"
	for word in '--exec [path=]mode' 'mrcx -> /usr/bin/curl' 'mrpx' 'mrix' 'profile /usr/bin/curl'; do
		grep -qF -- "$word" "$T/man" || fail "bm-profile(1) lacks $word"
	done
}

@test "--varmor folds the children, says so, and passes vArmor's CRD" {
	model exe > "$T/m"
	run --separate-stderr profile --varmor --name ex "$T/m"
	assert_success
	[[ $stderr == *"3 children (programs run under null- profiles) folded into ex"* ]] || fail "$stderr"
	printf '%s\n' "$output" > "$T/v"
	run jq -c '.data.dynamicResult.appArmor | [.capabilities, (.files | map(.path))]' "$T/v"
	assert_output '[["chown","net_raw"],["/etc/ex.conf","/etc/profile","/etc/ssl/certs/ca-certificates.crt","/root/.curlrc"]]'
	# every release's CRD takes its export whole
	for r in main:0.9 v0.10.3:0.9 v0.8.2:0.8 v0.7.1:0.7; do
		profile --varmor --varmor-release "${r#*:}" --name ex "$T/m" > "$T/v.${r%%:*}" 2>/dev/null
		run "$PY" "$BATS_TEST_DIRNAME/crdcheck.py" "$CORPUS/varmor/crds/armorprofilemodels-${r%%:*}.yaml" "$T/v.${r%%:*}"
		assert_success
		assert_output ''
	done
	# bm-merge's own model: children is a documented extension, pruned by the CRD
	run "$PY" "$BATS_TEST_DIRNAME/crdcheck.py" --pruned "$CORPUS/varmor/crds/armorprofilemodels-main.yaml" "$T/m"
	assert_output 'data.dynamicResult.appArmor.children'
}

@test "merging models with children is commutative, associative and idempotent" {
	for f in exe number complain missing; do model "$f" 2>/dev/null; done > "$T/in"
	evtparse "$C/exe.log" >> "$T/in"
	[ "$(merge "$T/in" | jq '.data.dynamicResult.appArmor.children | length')" -eq 6 ]
	assert_semilattice "$T/in" 1 2 3 4 5
}

@test "bm-advise judges a rule by the children's behaviour too, as by the folded model" {
	local cat=$CORPUS/varmor/built-in-rules.json
	# curl, run by sh, read /proc/kallsyms: vArmor's disallow-access-kallsyms conflicts
	model exe | jq -c '(.data.dynamicResult.appArmor.children[] | select(.exec == ["/bin/sh","/usr/bin/curl"]) | .files) += [{"path":"/proc/kallsyms","owner":false,"permissions":["r"],"oldPath":""}]' > "$T/m"
	jq -c '., (.data.dynamicResult.appArmor.children[] |
	    {kind: "ArmorProfileModel", data: {dynamicResult: {appArmor: del(.exec)}}})' "$T/m" |
	    jq -c 'del(.data.dynamicResult.appArmor.children)' | merge --name ex > "$T/folded"
	advise -f privileged-container --catalog "$cat" AppArmor,BPF,Seccomp "$T/m" > "$T/a"
	advise -f privileged-container --catalog "$cat" AppArmor,BPF,Seccomp "$T/folded" | cmp - "$T/a"
	run jq -c 'select(.id == "disallow-access-kallsyms") | [.decision, .value]' "$T/a"
	assert_output '["skip","/proc/kallsyms"]'
	# bm-diff: what the child did is covered by the approved model, children and all
	run tool bm-diff "$T/m" "$T/folded"
	assert_success
	assert_output ''
}

# learn-ix.log: the kernel log of t/vm/workload under bm-profile --learn
# --apparmor's profile wl, on Debian's 6.12 (t/kernel.bats): every event
# labelled wl, the programs named only by exec records and pids.
ixmodel() { evtparse "$C/learn-ix.log" | merge "$@"; }

@test "--learn --apparmor: complain mode, every program kept in the profile and its exec logged; it compiles" {
	run profile --learn --apparmor --name wl
	assert_success
	assert_line 'profile wl flags=(complain) {'
	assert_line '  audit /** ix,'
	profile --learn --apparmor --name /opt/app/run > "$T/l.aa"
	grep -q '^profile /opt/app/run flags=(complain) {' "$T/l.aa"
	apparmor_parser -Q -K "$T/l.aa"
}

@test "under one learning profile, children are told apart by exec records and pids, as the kernel will enforce them" {
	ixmodel > "$T/m"
	run jq -c '.data.dynamicResult.appArmor.children[] | [.exec, ([.files[].path] | sort)]' "$T/m"
	assert_output '[["/opt/wl/wlchild"],["/etc/wl/wl.conf","/var/lib/wl/child.[0-9]*"]]
[["/usr/bin/busybox"],["/dev/null","/var/lib/wl/recv.[0-9]*"]]'
	# busybox's mount and sockets are busybox's; the workload keeps what
	# its own process and its forks without exec did (ls, chown, umount)
	run jq -c '.data.dynamicResult.appArmor | [(.mounts | map(.flags[0])),
	    (.networks.sockets // [] | length), .executions,
	    (.children[] | select(.exec == ["/usr/bin/busybox"]) |
	        [.mounts[0].type, (.networks.sockets | map(.domain) | unique)])]' "$T/m"
	assert_output '[["umount"],0,["/opt/wl/wlchild","/usr/bin/busybox"],["tmpfs",["inet","inet6"]]]'
	# the redirections a process opened before its exec are the program's too
	run jq -c '.data.dynamicResult.appArmor.files | map(select(.path == "/var/lib/wl/recv.[0-9]*") | .permissions)' "$T/m"
	assert_output '[["w"]]'
}

@test "children by pid: the same log in any order of files, or reversed, gives byte-identical models" {
	evtparse "$C/learn-ix.log" > "$T/ev"
	merge "$T/ev" > "$T/a"
	head -n 20 "$T/ev" > "$T/1"
	tail -n +21 "$T/ev" > "$T/2"
	merge "$T/2" "$T/1" | cmp - "$T/a"
	tac "$T/ev" | merge | cmp - "$T/a"
	merge "$T/a" "$T/a" | cmp - "$T/a"
}

@test "a name made from a pid of the profile's processes is [0-9]* for every event naming it; other numbers stay" {
	# out.181: made by the workload (pid 181), chown'd by pid 183
	ixmodel > "$T/m"
	run jq -c '[.data.dynamicResult.appArmor.files[] | select(.path | startswith("/var/lib/wl/out")) | [.path, .oldPath, .permissions]]' "$T/m"
	assert_output '[["/var/lib/wl/out.[0-9]*","/var/lib/wl/out.181",["w"]]]'
	# 4242 is no pid of wl; 183 is one, but /etc is the system's
	sed -n '/out.181" pid=181.*mknod\|mknod.*out.181" pid=181/p' "$C/learn-ix.log" |
	    sed 's/out\.181/keep.4242/' > "$T/x.log"
	sed -n '/mknod.*out.181" pid=181/p' "$C/learn-ix.log" |
	    sed 's|/var/lib/wl/out\.181|/etc/wl/conf.183|' >> "$T/x.log"
	evtparse "$C/learn-ix.log" "$T/x.log" | merge > "$T/x"
	run jq -r '.data.dynamicResult.appArmor.files[].path' "$T/x"
	assert_line '/var/lib/wl/keep.4242'
	assert_line '/etc/wl/conf.183'
	refute_line --regexp 'keep\.\[|conf\.\['
	# --no-generalize: every name as seen
	ixmodel --no-generalize | jq -e '[.data.dynamicResult.appArmor.files[].path] | index("/var/lib/wl/out.181") != null'
}

@test "a capability AppArmor logged once in the learning profile goes to each of its programs, counted once" {
	ixmodel --counts > "$T/m"
	run jq -c '.data.dynamicResult.appArmor | [.capabilities, .capabilitiesCounts.chown.count,
	    (.children[] | [.exec[0], .capabilities, .capabilitiesCounts.sys_admin.count])]' "$T/m"
	assert_output '[["chown","sys_admin"],1,["/opt/wl/wlchild",["chown","sys_admin"],0],["/usr/bin/busybox",["chown","sys_admin"],1]]'
	profile --exec cx "$T/m" > "$T/cx.aa"
	apparmor_parser -Q -K "$T/cx.aa"
	grep -q '^    /usr/bin/busybox mr,$' "$T/cx.aa" || grep -q '^    /usr/bin/busybox rm,$' "$T/cx.aa"
}
