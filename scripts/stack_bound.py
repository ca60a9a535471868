#!/usr/bin/env python3
"""Worst-case stack depth of the main loop and of each interrupt handler,
from GCC's -fcallgraph-info=su graphs (one .ci per object: each function's
own frame from -fstack-usage, and its calls), checked against the stack
the board's linker script reserves.

    stack_bound.py ANNOTATIONS RESERVE_BYTES CI_FILE...

A function's depth is its frame plus the deepest of its callees.  The main
loop runs from Reset_Handler (start-up, then main).  Every handler
(a function named *_Handler, *_isr or *_irq but Reset_Handler) preempts it
with an exception frame of 32 bytes (Cortex-M3, no FPU), and handlers may
nest, so the bound is main + every handler + its frame, summed: no
priority grouping is assumed.

Fails (exit 1) on recursion, an indirect call, a callee with no known
frame, or a frame GCC could not bound (dynamic) -- unless ANNOTATIONS says
what to do about it:
    extern NAME BYTES          a library function's own depth
    indirect CALLER GLOB...    what CALLER's indirect calls may reach: every
                               function defined in files matching a GLOB
    calls CALLER CALLEE        a call the graph cannot see (asm tail call)
    recursion FN N             FN calls itself, at most N deep in all
    A glob starting with '!' takes functions out again.
Comments start with '#'.
"""
import fnmatch
import re
import sys

EXC_FRAME = 32

node_re = re.compile(r'node: \{ title: "([^"]*)" label: "([^"]*)"')
edge_re = re.compile(r'edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"')


def parse(files):
    frames, where, edges = {}, {}, {}
    for path in files:
        with open(path) as f:
            for line in f:
                m = node_re.search(line)
                if m:
                    title, label = m.groups()
                    parts = label.split("\\n")
                    if len(parts) >= 3:
                        size, kind = parts[2].split(" bytes ")
                        if "dynamic" in kind and "bounded" not in kind:
                            frames[title] = None
                        else:
                            frames[title] = int(size)
                        where[title] = parts[1].rsplit(":", 2)[0]
                    continue
                m = edge_re.search(line)
                if m:
                    edges.setdefault(m.group(1), []).append(m.group(2))
    return frames, where, edges


def main():
    ann_path, reserve = sys.argv[1], int(sys.argv[2])
    frames, where, edges = parse(sys.argv[3:])
    externs, indirect, extra, recursion = {}, {}, {}, {}
    with open(ann_path) as f:
        for raw in f:
            words = raw.split("#", 1)[0].split()
            if not words:
                continue
            if words[0] == "extern":
                externs[words[1]] = int(words[2])
            elif words[0] == "indirect":
                indirect[words[1]] = words[2:]
            elif words[0] == "recursion":
                recursion[words[1]] = int(words[2])
            elif words[0] == "calls":
                extra.setdefault(words[1], []).append(words[2])
            else:
                sys.exit("stack_bound: bad annotation: " + raw.strip())
    # a callee named plainly resolves to the global definition; static
    # functions are "file:name" and were named so by their callers too
    problems = []
    memo, onstack = {}, set()

    def depth(fn, chain):
        if fn in memo:
            return memo[fn]
        if fn in onstack and fn.split(":")[-1] in recursion:
            return (frames[fn] or 0) * (recursion[fn.split(":")[-1]] - 1)
        if fn in onstack:
            problems.append("recursion: " + " -> ".join(chain + [fn]))
            return 0
        if fn not in frames:
            if fn in externs:
                return externs[fn]
            problems.append("no frame known for %s (called from %s)" % (fn, chain[-1] if chain else "?"))
            return 0
        if frames[fn] is None:
            problems.append("unbounded (dynamic) frame: " + fn)
            return 0
        onstack.add(fn)
        deepest, via = 0, None
        for callee in edges.get(fn, []) + extra.get(fn, []):
            if callee == "__indirect_call":
                globs = indirect.get(fn) or indirect.get(fn.split(":")[-1])
                if not globs:
                    problems.append("indirect call in %s not annotated" % fn)
                    continue
                def match(t, g):
                    return fnmatch.fnmatch(where[t] + ":" + t.split(":")[-1], g)
                targets = [t for t in frames
                           if any(match(t, g) for g in globs if not g.startswith("!")) and
                           not any(match(t, g[1:]) for g in globs if g.startswith("!"))]
                if not targets:
                    problems.append("indirect call in %s: no function matches %s" % (fn, globs))
                for t in targets:
                    d = depth(t, chain + [fn])
                    if d > deepest:
                        deepest, via = d, t
                continue
            d = depth(callee, chain + [fn])
            if d > deepest:
                deepest, via = d, callee
        onstack.discard(fn)
        memo[fn] = (frames[fn] or 0) + deepest
        path[fn] = via
        return memo[fn]

    path = {}

    def worst_path(fn):
        out, seen = [], set()
        while fn is not None and fn not in seen:
            seen.add(fn)
            own = frames.get(fn, externs.get(fn, 0)) or 0
            out.append("%s(%d)" % (fn.split(":")[-1], own))
            fn = path.get(fn)
        return " > ".join(out)

    roots = ["Reset_Handler"] if "Reset_Handler" in frames else ["main"]
    called = {c for cs in edges.values() for c in cs}
    handlers = sorted(t for t in frames
                      if re.search(r"(_Handler|_isr|_irq)$", t.split(":")[-1]) and
                      not t.endswith("Reset_Handler") and t not in called)
    total = 0
    for r in roots + handlers:
        d = depth(r, [])
        cost = d + (EXC_FRAME if r in handlers else 0)
        total += cost
        kind = "main loop" if r in roots else "handler  "
        print("  %s %-28s %5d bytes%s   %s" % (kind, r.split(":")[-1], d,
                                               " +%d frame" % EXC_FRAME if r in handlers else "",
                                               worst_path(r)))
    print("  worst case, every handler nested on the main loop: %d of %d bytes reserved (%d%%)"
          % (total, reserve, 100 * total // reserve))
    if problems:
        for p in sorted(set(problems)):
            print("stack_bound: " + p, file=sys.stderr)
        return 1
    if total > reserve:
        print("stack_bound: the worst case exceeds the reserved stack", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
