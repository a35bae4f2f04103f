#!/usr/bin/env bats
# deploy/kubernetes on the engines operators run: the manifests checked
# against the Kubernetes API schema of their kind, offline; the image
# built with podman from the tree; the DaemonSet's pod template played as
# three nodes under podman kube play, one log rotated on the way, and the
# merge job's pod after them.  Its model must be the one a direct merge of
# the three logs gives, and pass vArmor's CRD.

load helpers

K=$ROOT/deploy/kubernetes
PROFILE=varmor-demo-web

# One name for this run's image, the same in setup_file and the tests.
image_name() {
	echo "localhost/bm-tools-test:$(basename "$BATS_RUN_TMPDIR" | tr -cd 'A-Za-z0-9')"
}

setup_file() {
	[ "$(id -u)" -eq 0 ] && command -v podman >/dev/null || return 0
	IMAGE=$(image_name)
	export IMAGE
	BIN=$BIN "$ROOT/deploy/kubernetes/image.sh" > "$BATS_FILE_TMPDIR/image.id"
	# runc, as t/runtimes.bats: crun 1.8 refuses this host's cgroups
	cat > "$BATS_FILE_TMPDIR/containers.conf" <<-'EOF2'
	[containers]
	default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
	[engine]
	runtime = "runc"
	EOF2
}

teardown_file() {
	command -v podman >/dev/null || return 0
	podman pod rm -f bmtest-node1 bmtest-node2 bmtest-node3 bmtest-merge >/dev/null 2>&1
	podman rmi -f "$(image_name)" >/dev/null 2>&1
	podman volume rm -f "bm-test-models-$(image_name | tr -cd 'a-z0-9')" >/dev/null 2>&1
	return 0
}

setup() {
	T=$BATS_TEST_TMPDIR
	IMAGE=$(image_name)
	export CONTAINERS_CONF=$BATS_FILE_TMPDIR/containers.conf
	PY=python3
	[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
}

needs_podman() {
	[ "$(id -u)" -eq 0 ] || skip "podman kube play here needs root"
	command -v podman >/dev/null || fail "podman is missing: make deps installs it"
	[ -s "$BATS_FILE_TMPDIR/image.id" ] || fail "the image did not build"
}

validator() {
	[ -d "$K/validate/node_modules/kubernetes-models" ] ||
	    fail "deploy/kubernetes/validate has no node_modules: make deps runs npm ci there"
	node "$K/validate/validate.mjs" "$@"
}

# AppArmor lines of the workload (and one of another) for node $1, files $2..
node_log() {
	local n=$1 i
	shift
	for i in "$@"; do
		printf 'type=AVC msg=audit(17000000%02d.%03d:%d%02d): apparmor="ALLOWED" operation="open" profile="%s" name="/srv/node%d/f%d" pid=%d comm="web" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' \
		    "$n" "$i" "$n" "$i" "$PROFILE" "$n" "$i" "$n$i"
	done
	printf 'type=AVC msg=audit(17000000%02d.999:%d99): apparmor="DENIED" operation="open" profile="other" name="/etc/other%d" pid=9 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' \
	    "$n" "$n" "$n"
}

@test "every manifest passes the Kubernetes API schema of its kind, offline" {
	run validator "$K"/*.yaml
	assert_success
	assert_output ''
	# kinds: the DaemonSet, its PVC and account; the CronJob and its RBAC
	run "$PY" -c 'import sys, yaml
for f in sys.argv[1:]:
    for d in yaml.safe_load_all(open(f)):
        print(d["kind"])' "$K"/*.yaml
	assert_output "$(printf '%s\n' Namespace ServiceAccount PersistentVolumeClaim DaemonSet ServiceAccount Role RoleBinding CronJob)"
	# the check can fail: a wrong type, a missing field, an unknown one
	"$PY" - "$K" > "$T/bad.yaml" <<-'EOF2'
	import sys, yaml
	k = sys.argv[1]
	ds = [d for d in yaml.safe_load_all(open(k + "/daemonset.yaml")) if d["kind"] == "DaemonSet"][0]
	c = ds["spec"]["template"]["spec"]["containers"][0]
	c["resoures"] = c.pop("resources")
	c["volumeMounts"][0]["readOnly"] = "yes"
	del ds["spec"]["selector"]
	cj = [d for d in yaml.safe_load_all(open(k + "/merge-cronjob.yaml")) if d["kind"] == "CronJob"][0]
	cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "Sometimes"
	print(yaml.safe_dump_all([ds, cj]))
	EOF2
	run validator "$T/bad.yaml"
	assert_failure
	assert_line --partial 'DaemonSet/bm-node-model: /spec must have required property selector'
	assert_line --partial 'volumeMounts/0/readOnly must be boolean'
	assert_line --partial 'spec.template.spec.containers[0]: unknown field "resoures"'
	assert_line --partial 'CronJob/bm-merge-varmor-demo-web: /spec/jobTemplate/spec/template/spec/restartPolicy must be equal to one of the allowed values'
}

@test "the workload is named as vArmor names it, and resources are set" {
	run grep -h -A1 'name: PROFILE' "$K"/*.yaml
	assert_line --partial 'value: varmor-demo-web'
	# every container asks for CPU and memory and is limited
	run "$PY" -c 'import sys, yaml
for f in sys.argv[1:]:
    for d in yaml.safe_load_all(open(f)):
        spec = d.get("spec", {})
        spec = spec.get("jobTemplate", {}).get("spec", spec).get("template", {}).get("spec")
        for c in (spec or {}).get("initContainers", []) + (spec or {}).get("containers", []):
            r = c["resources"]
            print(c["name"], sorted(r["requests"]), sorted(r["limits"]))' "$K"/*.yaml
	assert_output "node-model ['cpu', 'memory'] ['cpu', 'memory']
merge ['cpu', 'memory'] ['cpu', 'memory']
apply ['cpu', 'memory'] ['cpu', 'memory']"
}

@test "the image is built FROM scratch by podman from the tree; its tools run" {
	needs_podman
	grep -qx 'FROM scratch' "$K/Containerfile"
	run podman run --rm --network none "$IMAGE" -c 'for t in aa-evtparse bm-merge bm-profile bm-advise bm-diff bpf-mountwatch; do $t --version || exit 1; done; ls /usr/local/bin'
	assert_success
	assert_line 'node-model.sh'
	assert_line 'merge-models.sh'
	[ "$(podman image inspect "$IMAGE" --format '{{len .RootFS.Layers}}')" -eq 1 ]
}

# The merge job's pod (its merge container, the models, /out on the
# host) played once; its exit status on stdout, its log in $T/merge.log.
merge_pod() {
	local models=$1
	"$PY" - "$K" "$T" "$IMAGE" "$models" > "$T/merge.yaml" <<-'EOF2'
	import copy, sys, yaml
	k, t, image, models = sys.argv[1:]
	cj = [d for d in yaml.safe_load_all(open(k + "/merge-cronjob.yaml")) if d["kind"] == "CronJob"][0]
	spec = copy.deepcopy(cj["spec"]["jobTemplate"]["spec"]["template"]["spec"])
	spec["containers"] = spec.pop("initContainers")    # kubectl apply: no cluster here
	spec["containers"][0]["image"] = image
	for v in spec["volumes"]:
	    if "persistentVolumeClaim" in v:
	        v["persistentVolumeClaim"]["claimName"] = models
	    if v["name"] == "out":
	        del v["emptyDir"]
	        v["hostPath"] = {"path": t + "/out", "type": "Directory"}
	print(yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bmtest-merge"}, "spec": spec}))
	EOF2
	podman kube play --network none "$T/merge.yaml" > /dev/null
	podman wait bmtest-merge-merge
	podman logs bmtest-merge-merge > "$T/merge.log" 2>&1
	podman kube down "$T/merge.yaml" > /dev/null
}

@test "three nodes under podman kube play, one log rotated: the merge job's model is the direct merge's; a planted model is refused" {
	needs_podman
	local n v models=bm-test-models-$(image_name | tr -cd 'a-z0-9')
	for n in 1 2 3; do
		mkdir -p "$T/node$n/log/audit" "$T/node$n/state"
		node_log "$n" 1 2 3 > "$T/node$n/log/audit/audit.log"
	done
	mkdir -m 777 "$T/out"
	podman pod rm -f bmtest-node1 bmtest-node2 bmtest-node3 bmtest-merge >/dev/null 2>&1 || true
	podman volume rm -f "$models" >/dev/null 2>&1 || true
	podman volume create "$models" >/dev/null
	v=$(podman volume inspect "$models" --format '{{.Mountpoint}}')
	# the DaemonSet's pod template as three pods: its own log and state
	# each, and of the models volume its own directory alone, as the
	# kubelet mounts subPathExpr $(NODE_NAME) (podman kube play does not)
	"$PY" - "$K" "$T" "$IMAGE" "$v" > "$T/nodes.yaml" <<-'EOF2'
	import copy, sys, yaml
	k, t, image, vol = sys.argv[1:]
	ds = [d for d in yaml.safe_load_all(open(k + "/daemonset.yaml")) if d["kind"] == "DaemonSet"][0]
	pods = []
	for n in (1, 2, 3):
	    spec = copy.deepcopy(ds["spec"]["template"]["spec"])
	    c = spec["containers"][0]
	    c["image"] = image
	    for e in c["env"]:
	        if e["name"] == "NODE_NAME":   # spec.nodeName: no node here
	            del e["valueFrom"]
	            e["value"] = "node%d" % n
	        if e["name"] == "INTERVAL":
	            e["value"] = "1"
	    for m in c["volumeMounts"]:
	        assert m.pop("subPathExpr", "$(NODE_NAME)") == "$(NODE_NAME)"
	    for v in spec["volumes"]:
	        if "hostPath" in v:
	            v["hostPath"]["path"] = "%s/node%d/%s" % (t, n, "log/audit" if v["name"] == "host-audit" else "state")
	        if "persistentVolumeClaim" in v:
	            del v["persistentVolumeClaim"]
	            v["hostPath"] = {"path": "%s/node%d" % (vol, n), "type": "DirectoryOrCreate"}
	    pods.append({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bmtest-node%d" % n,
	        "labels": ds["spec"]["template"]["metadata"]["labels"]}, "spec": spec})
	print(yaml.safe_dump_all(pods))
	EOF2
	podman kube play --network none "$T/nodes.yaml" > /dev/null
	for i in $(seq 100); do
		[ -s "$v/node1/$PROFILE.json" ] && [ -s "$v/node2/$PROFILE.json" ] &&
		    [ -s "$v/node3/$PROFILE.json" ] && break
		sleep 0.2
	done
	# node2's log rotated as auditd does: renamed, a new one begun
	mv "$T/node2/log/audit/audit.log" "$T/node2/log/audit/audit.log.1"
	node_log 2 4 5 > "$T/node2/log/audit/audit.log"
	for i in $(seq 100); do
		jq -e '.data.dynamicResult.appArmor.files | map(.path) | index("/srv/node2/f5")' \
		    "$v/node2/$PROFILE.json" >/dev/null 2>&1 && break
		sleep 0.2
	done
	podman kube down "$T/nodes.yaml" > /dev/null
	run jq -c '[.data.dynamicResult.appArmor.files[].path]' "$v/node2/$PROFILE.json"
	assert_output '["/srv/node2/f1","/srv/node2/f2","/srv/node2/f3","/srv/node2/f4","/srv/node2/f5"]'
	# each node wrote its own directory, nothing else
	run ls "$v"
	assert_output "$(printf 'node1\nnode2\nnode3')"
	# a node taken over plants a model that grants everything: the merge
	# job fails, naming it, and writes nothing to apply
	mkdir "$v/node4"
	jq -c --arg p "$PROFILE" '.metadata.name = $p |
	    .data.dynamicResult.appArmor.files += [{path: "/**", owner: false, permissions: ["r", "w", "l", "k", "m"], oldPath: ""}] |
	    .data.dynamicResult.appArmor.capabilities += ["sys_module"] |
	    .data.dynamicResult.seccomp.syscalls = ["init_module"]' \
	    "$v/node1/$PROFILE.json" > "$v/node4/$PROFILE.json"
	run merge_pod "$models"
	[ "$output" != 0 ] || fail "the merge job took a planted model: $(cat "$T/merge.log")"
	grep -q "node4/$PROFILE.json:1: data.dynamicResult.appArmor.files\[.*\]: broad: a \*\* glob" "$T/merge.log" ||
	    fail "$(cat "$T/merge.log")"
	grep -q "sys_module\|capabilities\[" "$T/merge.log" || fail "$(cat "$T/merge.log")"
	[ ! -e "$T/out/$PROFILE.json" ] || fail "the merge job wrote $(cat "$T/out/$PROFILE.json")"
	rm -r "$v/node4"
	run merge_pod "$models"
	assert_output 0
	grep -q "3 node models of $PROFILE" "$T/merge.log"
	# the same logs merged directly, in one process
	evtparse "$T/node1/log/audit/audit.log" "$T/node2/log/audit/audit.log.1" \
	    "$T/node2/log/audit/audit.log" "$T/node3/log/audit/audit.log" |
	    merge --profile "$PROFILE" --name "$PROFILE" |
	    tool bm-profile --varmor --namespace demo --name "$PROFILE" > "$T/direct.json"
	cmp "$T/direct.json" "$T/out/$PROFILE.json"
	[ "$(jq '.data.dynamicResult.appArmor.files | length' "$T/direct.json")" -eq 11 ]
	run "$PY" "$BATS_TEST_DIRNAME/crdcheck.py" "$CORPUS/varmor/crds/armorprofilemodels-main.yaml" "$T/out/$PROFILE.json"
	assert_success
	assert_output ''
}

@test "GNU parallel over shards, on one host and through ssh, gives the single run's model" {
	command -v parallel >/dev/null || fail "GNU parallel is missing: make deps installs it"
	local i
	for i in 1 2 3 4 5 6; do
		node_log "$i" 1 2 3 4 > "$T/audit.log.$i"
	done
	cat "$DATA/sample.log" >> "$T/audit.log.3"
	gzip "$T/audit.log.5"
	evtparse "$T"/audit.log.* | merge --all-profiles > "$T/single.json"
	parallel -j2 "'$BIN/aa-evtparse' {} | '$BIN/bm-merge' --all-profiles" ::: "$T"/audit.log.* |
	    merge > "$T/par.json"
	cmp "$T/single.json" "$T/par.json"
	# --sshlogin: two "hosts" through an ssh that runs the command here.
	# sshd sets SHELL to the login shell, and parallel's remote worker
	# runs the job with $SHELL: CI may start with none.
	printf '#!/bin/sh\nwhile [ "${1#-}" != "$1" ]; do shift; done\nshift\n[ "$1" = -- ] && shift\nexport SHELL="$(getent passwd "$(id -u)" | cut -d: -f7)"\nexec sh -c "$*"\n' > "$T/ssh"
	chmod +x "$T/ssh"
	parallel --ssh "$T/ssh" -S 1/hosta,1/hostb "'$BIN/aa-evtparse' {} | '$BIN/bm-merge' --all-profiles" ::: "$T"/audit.log.* |
	    merge > "$T/ssh.json"
	cmp "$T/single.json" "$T/ssh.json"
	[ "$(jq '.data.dynamicResult.appArmor.files | length' "$T/single.json")" -gt 20 ]
}

# The README's recipe, the shards in "$@", the model to model.json.
sharded() {
	(cd "$T" && PATH=$BIN:$PATH bash -c 'set -o pipefail
	parallel --halt now,fail=1 "set -o pipefail; aa-evtparse {} | bm-merge --all-profiles" \
	    "$@" | bm-merge -o model.new && mv model.new model.json' _ "$@")
}

@test "a shard that fails fails the sharded run: no smaller model, no status 0" {
	command -v parallel >/dev/null || fail "GNU parallel is missing: make deps installs it"
	local i
	for i in 1 2 3; do
		node_log "$i" 1 2 3 4 > "$T/audit.log.$i"
	done
	run sharded ::: "$T"/audit.log.*
	assert_success
	[ "$(jq '.data.dynamicResult.appArmor.files | length' "$T/model.json")" -eq 12 ]
	rm "$T/model.json"
	# a rotated log cut short: events before the cut, then an error
	gzip -c "$T/audit.log.2" > "$T/whole.gz"
	head -c $(($(stat -c %s "$T/whole.gz") - 12)) "$T/whole.gz" \
	    > "$T/audit.log.2.gz"
	rm "$T/audit.log.2" "$T/whole.gz"
	run sharded ::: "$T"/audit.log.*
	assert_failure
	assert_output --partial 'compressed data cut short'
	[ ! -e "$T/model.json" ]
	# whole shards, through a host ssh cannot reach
	printf '#!/bin/sh\nexit 255\n' > "$T/nossh"
	chmod +x "$T/nossh"
	run sharded --ssh "$T/nossh" -S 1/down ::: "$T/audit.log.1" "$T/audit.log.3"
	assert_failure
	[ ! -e "$T/model.json" ]
	# and without the recipe's guards, the cut shard goes unnoticed
	run bash -c "parallel '$BIN/aa-evtparse {} | $BIN/bm-merge --all-profiles' ::: '$T'/audit.log.* |
	    '$BIN/bm-merge' > '$T/unguarded.json'"
	assert_success
}
