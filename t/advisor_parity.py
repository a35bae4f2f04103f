#!/usr/bin/env python3
"""Parity of `bm-advise --policy` with vArmor's policy advisor.

The advisor's decision procedure, as its README and source describe it,
is restated here in a few lines, and both are run on the same catalog
(vArmor's own built-in-rules.json) over every combination of enforcers
and a spread of features, capabilities and models without mounts.  The
policy templates must be equal.  Models given as files (bm-merge's own
output) join the hand-written ones, so the advisor reads what the suite
writes, not only what the test wrote.  Such a model may hold mounts,
which vArmor's advisor cannot see: bm-advise(1) documents that they
imply the mount-sth and umount-sth features, so the advisor is given
those features for it, as its user would.

usage: advisor_parity.py BINDIR CATALOG [MODEL ...]
"""
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile

BIN, CATALOG, GIVEN = sys.argv[1], sys.argv[2], sys.argv[3:]


def common(a, b):
    """vArmor's has_common_item: a '*' in the first list matches."""
    return any(x == "*" or x in b for x in a)


def context_skip(rule, enf, feats, caps):
    if not common(enf, rule["enforcers"]):
        return True
    c = rule.get("conflicts", {})
    if common(c.get("features", []), feats):
        return True
    if common(c.get("capabilities", []), caps):
        return True
    if "applicable" in rule:
        a = rule["applicable"]
        return not (common(a.get("features", []), feats) or
                    common(a.get("capabilities", []), caps))
    return False


def model_skip(rule, enf, model):
    """Only the first kind of conflict the rule lists is looked at."""
    if not common(enf, rule["enforcers"]):
        return True
    dr = model.get("data", {}).get("dynamicResult", {})
    aa, bpf = dr.get("appArmor", {}), dr.get("bpf", {})
    c = rule.get("conflicts", {})
    if "capabilities" in c:
        return common(c["capabilities"],
                      aa.get("capabilities", []) + bpf.get("capabilities", []))
    if "syscalls" in c:
        return common(c["syscalls"], dr.get("seccomp", {}).get("syscalls", []))
    if "executions" in c:
        execs = [os.path.basename(e) for e in
                 aa.get("executions", []) + bpf.get("executions", [])]
        return common(c["executions"], execs)
    if "files" in c:
        for f in aa.get("files", []) + bpf.get("files", []):
            path = f["oldPath"] if f["oldPath"] else f["path"]
            for fr in c["files"]:
                if re.search(fr["path_regex"], path) and \
                   common(fr["permissions"], f["permissions"]):
                    return True
    return False


MOUNTING = {"mount", "move_mount", "fsmount", "fsopen", "fspick", "fsconfig",
            "open_tree", "mount_setattr", "pivot_root"}


def implied(model):
    """The features bm-advise(1) says a model's mounts imply."""
    dr = model.get("data", {}).get("dynamicResult", {})
    mounts = dr.get("appArmor", {}).get("mounts", []) + \
        dr.get("bpf", {}).get("mounts", [])
    calls = set(dr.get("seccomp", {}).get("syscalls", []))
    feats = []
    if calls & MOUNTING or any("umount" not in m.get("flags", [])
                               for m in mounts):
        feats.append("mount-sth")
    if calls & {"umount", "umount2"} or any("umount" in m.get("flags", [])
                                            for m in mounts):
        feats.append("umount-sth")
    return feats


def advisor(rules, enf, feats, caps, model):
    feats = feats + implied(model)
    pol = {"enforcer": "", "mode": "EnhanceProtect", "enhanceProtect": {
        "privileged": "privileged-container" in feats, "hardeningRules": [],
        "attackProtectionRules": [{"rules": [], "targets": []}],
        "vulMitigationRules": []}}
    ep = pol["enhanceProtect"]

    def ok(rule):
        return not context_skip(rule, enf, feats, caps) and \
            not model_skip(rule, enf, model)

    def take(rule, where):
        for low, name in (("apparmor", "AppArmor"), ("bpf", "BPF"),
                          ("seccomp", "Seccomp")):
            if name not in pol["enforcer"] and low in enf:
                pol["enforcer"] += name
        where.append(rule["id"])

    for r in rules["escape_pattern"]:
        if ok(r):
            take(r, ep["hardeningRules"])
    if not common(["privileged-container", "dind"], feats):
        chosen = [r for r in rules["capability_set"] if ok(r)][:1]
        for r in chosen:
            take(r, ep["hardeningRules"])
        if not chosen:
            for r in rules["capability"]:
                if ok(r):
                    take(r, ep["hardeningRules"])
    for r in rules["blocking_exploit_vectors"]:
        if ok(r):
            take(r, ep["hardeningRules"])
    for r in rules["information_leak"]:
        if ok(r):
            take(r, ep["attackProtectionRules"][0]["rules"])
    if model:
        for r in rules["sensitive_operations"]:
            if ok(r):
                take(r, ep["attackProtectionRules"][0]["rules"])
    for r in rules["vulnerability_mitigation"]:
        if ok(r):
            take(r, ep["vulMitigationRules"])
    return pol


def model(caps=(), syscalls=(), execs=(), files=()):
    return {"apiVersion": "crd.varmor.org/v1beta1", "kind":
            "ArmorProfileModel", "metadata": {"name": "m"},
            "data": {"dynamicResult": {
                "appArmor": {"capabilities": list(caps),
                             "executions": list(execs),
                             "files": [{"path": p, "oldPath": o, "owner": True,
                                        "permissions": list(ps)}
                                       for p, o, ps in files]},
                "seccomp": {"syscalls": list(syscalls)}}}}


MODELS = [
    None,
    model(),
    model(caps=["net_bind_service"]),
    model(caps=["sys_admin", "bpf", "syslog"], syscalls=["bpf", "unshare"]),
    model(caps=["chown", "kill"], execs=["/bin/bash", "/usr/bin/curl"]),
    model(syscalls=["splice", "setsockopt", "chmod", "userfaultfd"],
          execs=["/bin/busybox", "/usr/bin/sudo"]),
    model(files=[("/etc/passwd", "", "rw"),
                 ("/proc/*/mountinfo", "/proc/1/mountinfo", "r"),
                 ("/run/secrets/kubernetes.io/serviceaccount/token", "", "r"),
                 ("/proc/sys/kernel/core_pattern", "", "w"),
                 ("/run/containerd/containerd.sock", "", "w"),
                 ("/usr/bin/runc", "", "w")]),
    model(caps=["dac_override"], files=[("/proc/kallsyms", "", "r"),
                                        ("/proc/*/root/etc", "/proc/1/root/etc",
                                         "r")]),
]
FEATURES = [[], ["privileged-container"], ["dind"], ["require-sa"],
            ["share-containers-pid-ns"], ["share-host-pid-ns", "load-bpf"],
            ["bind-privileged-socket-port"], ["mount-sth"], ["umount-sth"],
            ["privileged-container", "require-sa"]]
CAPS = [[], ["sys_admin"], ["net_admin", "kill"], ["sys_module", "syslog"],
        ["bpf"], ["net_bind_service"]]
ENFORCERS = [list(c) for n in (1, 2, 3) for c in
             itertools.combinations(["apparmor", "bpf", "seccomp"], n)]

rules = json.load(open(CATALOG))
runs = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    paths = []
    for given in GIVEN:
        MODELS.append(json.load(open(given)))
    for i, m in enumerate(MODELS):
        if m is None:
            paths.append(None)
            continue
        paths.append(os.path.join(tmp, "m%d.json" % i))
        with open(paths[-1], "w") as f:
            json.dump(m, f)
    for enf, feats, caps, (m, path) in itertools.product(
            ENFORCERS, FEATURES, CAPS, zip(MODELS, paths)):
        args = [os.path.join(BIN, "bm-advise"), "--catalog", CATALOG,
                "--policy"]
        if feats:
            args += ["-f", ",".join(feats)]
        if caps:
            args += ["-c", ",".join(caps)]
        args.append(",".join(e.title() for e in enf))
        if path:
            args.append(path)
        runs += 1
        if m == model():    # nothing learnt: refused, where vArmor advises
            if subprocess.run(args, capture_output=True).returncode != 2:
                failed += 1
                print("an empty model was not refused: %s" % " ".join(args[4:]))
            continue
        got = json.loads(subprocess.run(args, capture_output=True,
                                        check=True).stdout)
        want = advisor(rules, enf, feats, caps, m or {})
        if got != want:
            failed += 1
            if failed <= 5:
                print("differs: %s\n  bm-advise: %s\n  advisor:   %s" %
                      (" ".join(args[4:]), json.dumps(got), json.dumps(want)))

print("%d runs, %d differ" % (runs, failed))
sys.exit(1 if failed else 0)
