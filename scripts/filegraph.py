#!/usr/bin/python3
"""Which file of a tool calls (or reads a variable of) which other file,
from the symbols of its objects (nm): each tool's files must form a
one-way graph.  And which file includes which header: no cycle through
headers.  common/ is in layers (the Makefile's LAYERS, lowest first),
each of which may use and include only itself and those below it.
Prints each fault, and exits 1 then.

    scripts/filegraph.py [-v] [OBJDIR]     (OBJDIR: build, as make leaves it)

-v prints every edge "tool: a.c -> b.c (symbols)" too.  The files of a tool
are those of cmd/TOOL/*.c; common/'s layers are checked as one more unit."""
import glob, os, re, subprocess, sys


def layers():
    """common/'s layers, lowest first, as the Makefile names them."""
    with open("Makefile") as f:
        for line in f:
            m = re.match(r"LAYERS\s*=\s*(.*)", line)
            if m:
                return m.group(1).split()
    sys.exit("filegraph: no LAYERS in the Makefile")


def layer_of(path, lays):
    d = os.path.dirname(path)
    return lays.index(d) if d in lays else None


def symbols(obj):
    """Defined and undefined global symbols of an object file."""
    out = subprocess.run(["nm", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "TDBRC":
            defined.add(f[2])
        elif len(f) == 2 and f[0] == "U":
            used.add(f[1])
    return defined, used


def cycles(edges):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, found, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges[v]:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def unit(objdir, srcdirs, name, verbose, lays):
    """The unit's cycles, and the calls from a layer to one above it."""
    info = {}
    for srcdir in srcdirs:
        for src in sorted(glob.glob(os.path.join(srcdir, "*.c"))):
            if src.endswith(".bpf.c"):
                continue
            obj = os.path.join(objdir, src[:-2] + ".o")
            if not os.path.exists(obj):
                sys.exit(f"filegraph: {obj}: not built (make first)")
            info[src] = symbols(obj)
    short = {a: os.path.basename(a) if len(srcdirs) == 1 else a
             for a in info}
    edges, faults = {}, []
    for a, (_, used) in info.items():
        edges[short[a]] = set()
        for b, (defined, _) in info.items():
            shared = used & defined
            if b == a or not shared:
                continue
            edges[short[a]].add(short[b])
            if verbose:
                print(f"{name}: {short[a]} -> {short[b]} "
                      f"({' '.join(sorted(shared))})")
            la, lb = layer_of(a, lays), layer_of(b, lays)
            if la is not None and lb is not None and lb > la:
                faults.append(f"{a} uses {b}, a layer above it "
                              f"({' '.join(sorted(shared))})")
    return [f"{name}: cycle between {', '.join(c)}"
            for c in cycles(edges)] + faults


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(lays):
    """Header cycles, and includes from a layer to one above it."""
    files = []
    for d in lays + sorted(glob.glob("cmd/*")) + ["bpf"]:
        files += sorted(glob.glob(os.path.join(d, "*.[ch]")))
    where = {}              # a header's name -> its path, as -I finds it
    for d in lays + ["bpf"]:
        for h in sorted(glob.glob(os.path.join(d, "*.h"))):
            where.setdefault(os.path.basename(h), h)
    edges, faults = {}, []
    for f in files:
        with open(f, errors="replace") as fp:
            names = INCLUDE.findall(fp.read())
        edges.setdefault(f, set())
        for n in names:
            own = os.path.join(os.path.dirname(f), n)
            h = own if os.path.exists(own) else where.get(n)
            if h is None:
                continue    # generated (a skeleton, vmlinux.h)
            edges[f].add(h)
            edges.setdefault(h, set())
            la, lh = layer_of(f, lays), layer_of(h, lays)
            if la is not None and lh is not None and lh > la:
                faults.append(f"{f} includes {h}, from a layer above it")
    heads = {h: {g for g in e if g.endswith(".h")}
             for h, e in edges.items() if h.endswith(".h")}
    return [f"headers: an include cycle between {', '.join(c)}"
            for c in cycles(heads)] + faults


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    objdir = args[0] if args else "build"
    lays = layers()
    faults = []
    for srcdir in sorted(glob.glob("cmd/*")):
        faults += unit(objdir, [srcdir], srcdir, verbose, lays)
    faults += unit(objdir, lays, "common", verbose, lays)
    faults += includes(lays)
    for f in faults:
        print(f)
    sys.exit(1 if faults else 0)


main()
