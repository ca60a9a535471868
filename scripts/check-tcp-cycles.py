#!/usr/bin/python3
"""Fails when the TCP object files form a dependency cycle that is not in
the recorded baseline (scripts/tcp-cycles.baseline).

A file depends on another when it calls (or reads) a symbol the other
defines, as `nm` shows them.  tcp_input.o is left out: input dispatch is
meant to call every piece.  Each strongly connected component of two or
more files is a cycle; a cycle passes when all its files lie inside one
baseline cycle, so the baseline may only shrink.  It is empty: modules
that do not own a TCB return verdicts that tcp_input acts on, so any
cycle is new (break it the same way; --record only after a cycle is
removed, never to admit one).

usage: check-tcp-cycles.py NM OBJDIR [--record]"""
import os
import subprocess
import sys

EXCLUDED = {"tcp_input"}
BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tcp-cycles.baseline")


def symbols(nm, path):
    out = subprocess.run([nm, path], check=True, capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBR":
            defined.add(parts[2])
    return defined, used


def cycles(graph):
    """Tarjan's strongly connected components, those of two or more nodes."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
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
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    nm, objdir = sys.argv[1], sys.argv[2]
    names = sorted(f[:-2] for f in os.listdir(objdir)
                   if f.startswith("tcp") and f.endswith(".o") and f[:-2] not in EXCLUDED)
    syms = {n: symbols(nm, os.path.join(objdir, n + ".o")) for n in names}
    owner = {}
    for n in names:
        for s in syms[n][0]:
            owner[s] = n
    graph = {n: {owner[s] for s in syms[n][1] if s in owner and owner[s] != n} for n in names}
    found = cycles(graph)
    if "--record" in sys.argv:
        with open(BASELINE, "w") as f:
            f.write("# TCP object-file cycles (scripts/check-tcp-cycles.py --record), one per line.\n")
            f.write("# A cycle may only shrink; none is left (docs/DESIGN.md, modules that report).\n")
            for c in found:
                f.write(" ".join(c) + "\n")
        print("check-tcp-cycles: recorded %d cycle(s)" % len(found))
        return
    baseline = []
    with open(BASELINE) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                baseline.append(set(line.split()))
    bad = [c for c in found if not any(set(c) <= b for b in baseline)]
    for c in bad:
        # Show the edges inside the new cycle, so the reader sees the calls.
        edges = ["%s->%s" % (a, b) for a in c for b in sorted(graph[a]) if b in c]
        print("check-tcp-cycles: new cycle: %s (%s)" % (" ".join(c), ", ".join(edges)), file=sys.stderr)
    if bad:
        sys.exit(1)
    print("check-tcp-cycles: %d cycle(s), all within the baseline (largest %d files)"
          % (len(found), max((len(c) for c in found), default=0)))


if __name__ == "__main__":
    main()
