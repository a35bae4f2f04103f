#!/usr/bin/env python3
"""aa-evtparse against libauparse, auditd's own parser, record by record.

auparse_diff.py AA_EVTPARSE AUPARSE_DUMP KNOWN FILE...

Each line of each FILE that holds an audit record with an id is cut to
the record itself ("type=T msg=audit(ID): ..."; libauparse reads no
syslog, journal or dmesg prefix, which t/formats.bats covers), and both
parsers read the same records.  For each AppArmor or seccomp event, each
field of its record, and each field of its SYSCALL, CWD and PROCTITLE
records that the event took, must hold libauparse's value as written
(unquoted) or as libauparse interprets it.

A difference is named by its kind and field: absent (the event lacks a
field of its own record), value (another value), named (aa-evtparse
names a number, which it keeps beside as FIELD_nr or FIELD_raw, and
libauparse does not, or names it otherwise), unread (an event whose
record libauparse did not read).  KNOWN lists each that is
not a fault, with its reason: "KIND FIELD<TAB>REASON".  Exit 1 on a
difference KNOWN does not list, or a listed one that no longer occurs.
"""
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile

# AppArmor's and seccomp's record types, as aa-evtparse makes events of.
EVENT_TYPES = {1107, 1326, 1400} | set(range(1501, 1509))
CONTEXT_TYPES = {1300, 1307, 1327}	# SYSCALL, CWD, PROCTITLE
RECORD = re.compile(rb'(node=\S+ )?type=(\S+) (?:msg=)?audit\((\d+\.\d+:\d+)\):?(.*)')


def records(path):
    """The file's audit records with an id, cut to their own text."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    out = []
    for line in data.split(b'\n'):
        if b'\0' in line:
            continue	# binary: neither parser takes a record from it
        m = RECORD.search(line)
        if m:
            node, typ, rid, body = m.groups()
            out.append((node or b'') + b'type=' + typ + b' msg=audit(' +
                       rid + b'):' + body)
    return out


def run(argv):
    return subprocess.run(argv, capture_output=True).stdout.decode(
        'utf-8', 'surrogateescape')


def unquote(s):
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] == '"' else s


def same(value, raw, interp):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        try:
            return int(raw, 0 if raw.startswith('0x') else 10) == value
        except ValueError:
            return False
    return value in (unquote(raw), interp) or (
        interp is not None and value == unquote(interp))


counts = {'events': 0, 'fields': 0}


def compare(path, aa, dump, found):
    with tempfile.NamedTemporaryFile('wb', suffix='.log') as t:
        t.write(b'\n'.join(records(path)) + b'\n')
        t.flush()
        events = [json.loads(l) for l in run([aa, t.name]).splitlines()]
        recs = [json.loads(l) for l in run([dump, t.name]).splitlines()]
    by_id = {}
    for r in recs:
        by_id.setdefault((r['time'], r['serial']), []).append(r)
    taken = {}
    for ev in events:
        if ev.get('event') == 'lost' or 'serial' not in ev:
            continue
        rid = ('%.3f' % ev['time'], ev['serial'])
        group = by_id.get(rid, [])
        own = [r for r in group if r['type'] in EVENT_TYPES]
        k = taken.get(rid, 0)
        taken[rid] = k + 1
        if k >= len(own):
            found.setdefault(('unread', 'record'), []).append(
                '%s: %s:%s' % (path, *rid))
            continue
        counts['events'] += 1
        check(path, ev, own[k], True, found)
        for r in group:
            if r['type'] in CONTEXT_TYPES:
                check(path, ev, r, False, found)


def check(path, ev, rec, own, found):
    where = '%s: audit(%s:%s) type=%s' % (path, rec['time'], rec['serial'],
                                          rec['type'])
    for name, raw, interp in rec['fields']:
        if name in ('type', 'msg'):
            continue
        counts['fields'] += 1
        if name not in ev:
            if own:
                found.setdefault(('absent', name), []).append(where)
            continue
        if same(ev[name], raw, interp):
            continue
        kind = 'value'
        if any(name + c in ev and same(ev[name + c], raw, None)
               for c in ('_nr', '_raw')):
            kind = 'named'	# the number kept beside a name of ours
        found.setdefault((kind, name), []).append(
                '%s: %s=%s, libauparse %s (%s)' % (
                    where, name, json.dumps(ev[name]), raw, interp))


def main():
    aa, dump, known_path = sys.argv[1:4]
    known = {}
    with open(known_path) as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                key, reason = line.rstrip('\n').split('\t', 1)
                known[tuple(key.split(' ', 1))] = reason
    found = {}
    for path in sys.argv[4:]:
        compare(path, aa, dump, found)
    bad = 0
    for key in sorted(found):
        if key not in known:
            bad = 1
            print('not listed: %s %s (%d), e.g. %s' % (
                *key, len(found[key]), found[key][0]))
    for key in sorted(known):
        if key not in found:
            bad = 1
            print('listed, no longer found: %s %s' % key)
    print('%d files, %d events, %d fields; %d kinds of difference%s' % (
        len(sys.argv) - 4, counts['events'], counts['fields'], len(found),
        ', all listed' if not bad else ''))
    sys.exit(bad)


if __name__ == '__main__':
    main()
