"""Shared by the corpus checkers: the AppArmor project's apparmor-test_multi
cases, each NAME.in (audit lines) with NAME.profile (the rules expected)."""
import os
import subprocess


def cases(corpus):
    """Each case that has a .profile, as (its .profile's name, its path
    without the suffix), in name order."""
    for name in sorted(os.listdir(corpus)):
        if name.endswith(".profile"):
            yield name, os.path.join(corpus, name[:-len(".profile")])


def rules(case):
    """The rule lines of a .profile: not the profile's braces."""
    out = []
    with open(case + ".profile", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.endswith("{") and line != "}":
                out.append(line.rstrip(","))
    return out


def events(bindir, case):
    """aa-evtparse's events for the case (its exit status aside); some
    cases are lines the dbus daemon wrote to syslog itself."""
    return subprocess.run([os.path.join(bindir, "aa-evtparse"),
                           "--trust", "dbus", case + ".in"],
                          capture_output=True).stdout
