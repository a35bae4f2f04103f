#!/usr/bin/env python3
"""Check Kubernetes custom resources against a CRD's structural schema.

Usage: crdcheck.py [--pruned] CRD.yaml [FILE ...]   (no FILE or "-": stdin)

Each FILE holds one JSON object per line (NDJSON; blank lines ignored).
Every object is checked against the openAPIV3Schema of the CRD's version
(the single entry of spec.versions, or the one with storage: true) roughly
the way an apiextensions.k8s.io/v1 API server does it:
  * apiVersion must be GROUP/VERSION and kind spec.names.kind;
  * metadata: name (DNS-1123 subdomain) required, namespace a DNS-1123
    label, labels/annotations maps of strings; unknown ObjectMeta keys pruned;
  * pruning: keys not declared in `properties` are dropped (an object schema
    without properties, additionalProperties or
    x-kubernetes-preserve-unknown-fields drops all keys); non-nullable
    nulls in objects are dropped;
  * types, format int32/int64/date-time, enum, minimum/maximum,
    minLength/maxLength, pattern, minItems/maxItems, required, items.
Findings are printed as `FILE:LINE: PATH: MESSAGE` (PATH `(root)` for the
object itself).  With --pruned, pruned fields are instead listed per object
as sorted unique paths with indices written `[]`, and do not count for the
exit status.  Exit: 0 no finding, 1 findings, 2 usage/input error.
"""
import argparse
import json
import re
import sys

import yaml

SUBDOMAIN = re.compile(r'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
LABEL = re.compile(r'[a-z0-9]([-a-z0-9]*[a-z0-9])?')
QNAME = re.compile(r'[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?')
LABEL_VALUE = re.compile(r'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
DATE_TIME = re.compile(r'\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)')
INT_RANGE = {'int32': (-2**31, 2**31 - 1), 'int64': (-2**63, 2**63 - 1)}
META_TYPES = {'name': 'string', 'namespace': 'string', 'generateName': 'string',
              'uid': 'string', 'resourceVersion': 'string', 'generation': 'integer',
              'creationTimestamp': 'string', 'labels': 'object', 'annotations': 'object',
              'finalizers': 'array', 'ownerReferences': 'array', 'managedFields': 'array'}
PRUNED, NULL_PRUNED = 'pruned (not in the schema)', 'null (pruned)'


def jtype(v):
    """JSON type name of a decoded value."""
    if v is None:
        return 'null'
    for t, name in ((bool, 'boolean'), (int, 'integer'), (float, 'number'),
                    (str, 'string'), (list, 'array'), (dict, 'object')):
        if isinstance(v, t):
            return name
    return type(v).__name__


def has_type(v, t):
    j = jtype(v)
    if t == 'integer':
        return j == 'integer' or (j == 'number' and v.is_integer())
    if t == 'number':
        return j in ('integer', 'number')
    return j == t


def join(path, key):
    if re.fullmatch(r'[A-Za-z_$][\w$-]*', key):
        return f'{path}.{key}' if path else key
    return f'{path}[{json.dumps(key)}]'


def check_meta(meta, out):
    """ObjectMeta as the API server sees it (path `metadata`)."""
    if not isinstance(meta, dict):
        return out.append(('metadata', f'expected object, got {jtype(meta)}'))
    for k, v in meta.items():
        p = join('metadata', k)
        if k not in META_TYPES:
            out.append((p, PRUNED))
        elif v is not None and not has_type(v, META_TYPES[k]):
            out.append((p, f'expected {META_TYPES[k]}, got {jtype(v)}'))
        elif k in ('labels', 'annotations') and v:
            for lk, lv in v.items():
                pre, _, name = lk.rpartition('/')
                if not (QNAME.fullmatch(name) and len(name) <= 63 and
                        (not pre and '/' not in lk or SUBDOMAIN.fullmatch(pre) and len(pre) <= 253)):
                    out.append((join(p, lk), 'invalid key (must be a qualified name)'))
                if not isinstance(lv, str):
                    out.append((join(p, lk), f'expected string, got {jtype(lv)}'))
                elif k == 'labels' and not (LABEL_VALUE.fullmatch(lv) and len(lv) <= 63):
                    out.append((join(p, lk), f'invalid label value {json.dumps(lv)}'))
    name, ns = meta.get('name'), meta.get('namespace')
    if name is None:
        out.append(('metadata', 'required field name missing'))
    elif isinstance(name, str) and not (SUBDOMAIN.fullmatch(name) and len(name) <= 253):
        out.append(('metadata.name', f'{json.dumps(name)} is not a DNS-1123 subdomain'))
    if isinstance(ns, str) and not (LABEL.fullmatch(ns) and len(ns) <= 63):
        out.append(('metadata.namespace', f'{json.dumps(ns)} is not a DNS-1123 label'))


def check(v, s, path, out, top=False):
    """Validate value v against schema s; append (path, message) to out."""
    p = path or '(root)'
    t = s.get('type')
    if v is None:
        if not s.get('nullable'):
            out.append((p, f'expected {t or "a value"}, got null'))
        return
    if t and not has_type(v, t):
        return out.append((p, f'expected {t}, got {jtype(v)}'))
    if 'enum' in s and json.dumps(v, sort_keys=True) not in [json.dumps(e, sort_keys=True) for e in s['enum']]:
        out.append((p, f'{json.dumps(v)} not one of {json.dumps(s["enum"])}'))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        lo, hi = INT_RANGE.get(s.get('format'), (None, None))
        if lo is not None and not lo <= v <= hi:
            out.append((p, f'{v} out of range for {s["format"]}'))
        if 'minimum' in s and (v < s['minimum'] or s.get('exclusiveMinimum') and v == s['minimum']):
            out.append((p, f'{v} below minimum {s["minimum"]}'))
        if 'maximum' in s and (v > s['maximum'] or s.get('exclusiveMaximum') and v == s['maximum']):
            out.append((p, f'{v} above maximum {s["maximum"]}'))
    elif isinstance(v, str):
        if len(v) < s.get('minLength', 0) or len(v) > s.get('maxLength', len(v)):
            out.append((p, f'length {len(v)} outside [{s.get("minLength", 0)}, {s.get("maxLength", "inf")}]'))
        if isinstance(s.get('pattern'), str) and not re.search(s['pattern'], v):
            out.append((p, f'{json.dumps(v)} does not match pattern {s["pattern"]!r}'))
        if s.get('format') == 'date-time' and not DATE_TIME.fullmatch(v):
            out.append((p, f'{json.dumps(v)} is not a date-time'))
    elif isinstance(v, list):
        if len(v) < s.get('minItems', 0) or len(v) > s.get('maxItems', len(v)):
            out.append((p, f'{len(v)} items outside [{s.get("minItems", 0)}, {s.get("maxItems", "inf")}]'))
        for i, e in enumerate(v):
            check(e, s.get('items', {}), f'{path}[{i}]', out)
    elif isinstance(v, dict):
        props, addl = s.get('properties') or {}, s.get('additionalProperties')
        keep = s.get('x-kubernetes-preserve-unknown-fields') is True or addl is True
        embedded = top or s.get('x-kubernetes-embedded-resource')
        for k, val in v.items():
            kp = join(path, k)
            if embedded and k in ('apiVersion', 'kind', 'metadata'):
                if k == 'metadata':
                    check_meta(val, out)
                continue
            sub = props.get(k, addl if isinstance(addl, dict) else None)
            if sub is None:
                if not keep:
                    out.append((kp, PRUNED))
            elif val is None and not sub.get('nullable'):
                out.append((kp, NULL_PRUNED))
            else:
                check(val, sub, kp, out)
        for k in s.get('required', []):
            if v.get(k) is None and not (k in v and props.get(k, {}).get('nullable')):
                out.append((p, f'required field {k} missing'))


def load_schema(path):
    with open(path) as f:
        crd = next(d for d in yaml.safe_load_all(f) if d)
    spec = crd['spec']
    versions = spec['versions']
    ver = versions[0] if len(versions) == 1 else next(v for v in versions if v.get('storage'))
    return f'{spec["group"]}/{ver["name"]}', spec['names']['kind'], ver['schema']['openAPIV3Schema']


def check_object(obj, api, kind, schema):
    out = []
    if not isinstance(obj, dict):
        return [('(root)', f'expected object, got {jtype(obj)}')]
    for key, want in (('apiVersion', api), ('kind', kind), ('metadata', None)):
        if key not in obj:
            out.append(('(root)', f'required field {key} missing'))
        elif want is not None and obj[key] != want:
            out.append((key, f'must be {json.dumps(want)}, got {json.dumps(obj[key])}'))
    check(obj, schema, '', out, top=True)
    return out


def main():
    ap = argparse.ArgumentParser(description='Check NDJSON custom resources against a CRD schema.')
    ap.add_argument('--pruned', action='store_true', help='list pruned paths instead of pruning findings')
    ap.add_argument('crd')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()
    try:
        api, kind, schema = load_schema(args.crd)
    except Exception as e:  # noqa: BLE001 - any CRD problem is an input error
        sys.exit(print(f'crdcheck: {args.crd}: cannot load CRD: {e}', file=sys.stderr) or 2)
    rc = 0
    for name in args.files or ['-']:
        try:
            lines = (sys.stdin if name == '-' else open(name)).read().splitlines()
        except OSError as e:
            print(f'crdcheck: {name}: {e.strerror}', file=sys.stderr)
            rc = 2
            continue
        label = '<stdin>' if name == '-' else name
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                print(f'crdcheck: {label}:{n}: invalid JSON: {e}', file=sys.stderr)
                rc = 2
                continue
            pruned = set()
            for path, msg in check_object(obj, api, kind, schema):
                if args.pruned and msg in (PRUNED, NULL_PRUNED):
                    pruned.add(re.sub(r'\[\d+\]', '[]', path))
                    continue
                print(f'{label}:{n}: {path}: {msg}')
                rc = rc or 1
            for path in sorted(pruned):
                print(path)
    return rc


if __name__ == '__main__':
    sys.exit(main())
