#!/usr/bin/python3
"""Which file of a tool calls (or reads a variable of) which other file,
from the symbols of its objects (nm): each tool's files must form a
one-way graph.  Prints the cycles, if any, and exits 1 then.

    scripts/filegraph.py [-v] [OBJDIR]     (OBJDIR: build, as make leaves it)

-v prints every edge "tool: a.c -> b.c (symbols)" too.  The files of a tool
are those of cmd/TOOL/*.c; common/ is checked as one more unit."""
import glob, os, subprocess, sys


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


def unit(objdir, srcdir, verbose):
    info = {}
    for src in sorted(glob.glob(os.path.join(srcdir, "*.c"))):
        if src.endswith(".bpf.c"):
            continue
        obj = os.path.join(objdir, src[:-2] + ".o")
        if not os.path.exists(obj):
            sys.exit(f"filegraph: {obj}: not built (make first)")
        info[os.path.basename(src)] = symbols(obj)
    edges = {}
    for a, (_, used) in info.items():
        edges[a] = set()
        for b, (defined, _) in info.items():
            shared = used & defined
            if b != a and shared:
                edges[a].add(b)
                if verbose:
                    print(f"{srcdir}: {a} -> {b} ({' '.join(sorted(shared))})")
    return cycles(edges)


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    objdir = args[0] if args else "build"
    bad = 0
    for srcdir in sorted(glob.glob("cmd/*")) + ["common"]:
        for comp in unit(objdir, srcdir, verbose):
            print(f"{srcdir}: cycle between {', '.join(comp)}")
            bad = 1
    sys.exit(bad)


main()
