#!/usr/bin/env python3
"""Each case of the AppArmor project's apparmor-test_multi corpus through
`aa-evtparse | bm-merge | bm-profile`: the profile must contain the rule
the case's .profile expects (whitespace aside), and, where the rule is
one ABI 3.0 can express, compile with `apparmor_parser -Q -K`.  Rules only
ABI 4.0 can express (network permissions and addresses, userns, io_uring,
mqueue) are checked in a --abi 4.0 profile, which Debian 12's parser
cannot compile.

usage: corpus_profile.py BINDIR CORPUSDIR
Prints one line per failure and a summary; exits 1 if any failed.
"""
import os
import re
import subprocess
import sys
import tempfile

from corpuslib import cases, events, rules

BIN, CORPUS = sys.argv[1], sys.argv[2]

# Where a behaviour model differs from aa-logprof on purpose, the rule
# bm-profile writes instead, and why.
INSTEAD = {
    # the requested mask is kept (send receive accept), not the denied one
    "unix (accept, send) type=stream addr=@test_abstract_socket":
        "unix (accept, receive, send) type=stream addr=@test_abstract_socket",
    # the model keeps what was done, not the audit qualifier of the event
    "audit userns create": "userns create",
    # an AUDIT event has no denied mask, from which AppArmor's tools take
    # owner; bm-merge takes it from fsuid == ouid (122 here), as vArmor does
    "/etc/mosquitto/pwfile r": "owner /etc/mosquitto/pwfile r",
}


def run(args, data=None):
    return subprocess.run(args, input=data, capture_output=True, check=True
                          ).stdout


def profile(case, abi):
    """The case's profile; None when nothing was learnt (no model, and
    bm-profile writes no profile of an empty one)."""
    ev = events(BIN, case)
    p = subprocess.run([os.path.join(BIN, "bm-merge"), "--no-generalize",
                        "--mode", "ALLOWED,DENIED,AUDIT"], input=ev,
                       capture_output=True)
    if p.returncode == 1 and not p.stdout:
        return None
    p.check_returncode()
    return run([os.path.join(BIN, "bm-profile"), "--fine-network",
                "--abi", abi], p.stdout).decode()


def needs_abi4(rule):
    return re.match(r"(audit )?(userns|io_uring|mqueue) ", rule) or \
        re.match(r"network (\(|.*(ip|port)=)", rule)


def squash(s):
    return re.sub(r"\s+", "", s)


def compiles(text):
    with tempfile.NamedTemporaryFile("w", suffix=".aa") as f:
        f.write(text)
        f.flush()
        p = subprocess.run(["apparmor_parser", "-Q", "-K", f.name],
                           capture_output=True, text=True)
        return p.returncode == 0, p.stderr


failed = checked = compiled = abi4 = 0
for name, case in cases(CORPUS):
    p3 = profile(case, "3.0")
    if p3 is None:
        checked += len(rules(case))
        failed += len(rules(case))
        for r in rules(case):
            print("%s: nothing learnt, no profile for %s" % (name, r))
        continue
    ok, err = compiles(p3)
    compiled += ok
    if not ok:
        failed += 1
        print("%s: the profile does not compile: %s" % (name, err.strip()))
    p4 = None
    for r in rules(case):
        checked += 1
        want = INSTEAD.get(r, r)
        if needs_abi4(r):
            abi4 += 1
            p4 = p4 or profile(case, "4.0")
            text = p4
        else:
            text = p3
        # a rule's comment (denials only, counts) after its comma aside
        lines = {squash(re.sub(r",  # .*$", ",", line)).rstrip(",")
                 for line in text.splitlines()}
        if squash(want) not in lines:
            failed += 1
            print("%s: rule %r not in the profile:\n%s" % (name, want, text))

print("checked %d rules (%d with --abi 4.0), %d profiles compiled, "
      "%d failed" % (checked, abi4, compiled, failed))
sys.exit(1 if failed or checked < 60 else 0)
