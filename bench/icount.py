"""Instruction counts for bench/run: bench/icount/ builds keel and lwIP for
the host with the same flags, each driven by the same scripted Linux-like
peer through a fake MAC, and runs them under callgrind, which counts the
instructions the stack's calls execute (see bench/icount/icount_main.c
for what each phase covers).  Deterministic: the program's clock is its
own and stands still while frames flow, so two runs give the same counts
(checked here), whatever the machine's load.  x86-64 instructions, not
Cortex-M ones: a measure of the work each stack does, not a cycle count
on the board.  The top of callgrind's per-function list for each phase is
kept in build/bench/icount-<stack>-<phase>.txt."""
import glob
import os
import re
import subprocess

import report

STACKS = ("keel", "lwip")
PHASES = (("conn", "instructions per connection (13)", "count"),
          ("rx", "instructions per received segment", "count"),
          ("tx", "instructions per sent segment", "count"),
          ("echo", "instructions per echoed segment", "count"))


def _run(root, out, stack, conns, segs, tag):
    prefix = os.path.join(out, "callgrind-%s-%s.out" % (stack, tag))
    for f in glob.glob(prefix + "*"):
        os.remove(f)
    p = subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                        "--callgrind-out-file=" + prefix,
                        os.path.join(root, "build", "bench", "icount-" + stack),
                        str(conns), str(segs)],
                       cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=600)
    if p.returncode != 0:
        raise RuntimeError("icount-%s failed (%d): %s" % (stack, p.returncode, p.stderr[-2000:]))
    import json
    work = json.loads(p.stdout.strip().splitlines()[-1])
    counts = {}
    for f in glob.glob(prefix + ".*"):
        with open(f) as fh:
            text = fh.read()
        m = re.search(r"^desc: Trigger: Client Request: (\w+)$", text, re.M)
        s = re.search(r"^summary: (\d+)$", text, re.M)
        if m and s:
            counts[m.group(1)] = (int(s.group(1)), f)
    return work, counts


def _top(out, stack, phase, path):
    p = subprocess.run(["callgrind_annotate", "--inclusive=yes", path], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, timeout=60)
    lines, seen = [], set()
    for l in p.stdout.splitlines():
        m = re.match(r"^\s*[\d,]+ \(.*?\)\s+(\S+?):(\S+)", l)
        if m and m.group(2) not in seen:      # callgrind lists some twice (two path forms)
            seen.add(m.group(2))
            lines.append(re.sub(r" \[/.*\]$", "", l))
    with open(os.path.join(out, "icount-%s-%s.txt" % (stack, phase)), "w") as f:
        f.write("\n".join(lines[:40]) + "\n")


def measure(root, out, quick):
    """{stack: {phase: {"instructions", "count", "per"}}}."""
    subprocess.run(["make", "--no-print-directory", "-s", "-f", "bench/icount/icount.mk"],
                   cwd=root, check=True, timeout=600)
    conns, segs = (10, 50) if quick else (100, 1000)
    res = {}
    for stack in STACKS:
        work, counts = _run(root, out, stack, conns, segs, "a")
        work2, counts2 = _run(root, out, stack, conns, segs, "b")
        again = {k: v[0] for k, v in counts2.items()}
        if {k: v[0] for k, v in counts.items()} != again or work != work2:
            raise RuntimeError("icount-%s: two runs differ: %r / %r" % (stack, counts, again))
        res[stack] = {}
        for phase, _, key in PHASES:
            if phase not in counts:
                raise RuntimeError("icount-%s: no %s dump" % (stack, phase))
            n = work[phase][key]
            res[stack][phase] = {"instructions": counts[phase][0], "count": n,
                                 "per": counts[phase][0] / n, "ticks": work[phase]["ticks"]}
            _top(out, stack, phase, counts[phase][1])
    return res


def rows(root, out, quick=False, say=print):
    res = measure(root, out, quick)
    rows_ = []
    for phase, label, _ in PHASES:
        k, l = res["keel"][phase], res["lwip"][phase]
        r = report.fixed_row("host x86-64", label, round(k["per"]), round(l["per"]), unit="instr")
        r.update(instructions=True, detail={"keel": k, "lwip": l})
        rows_.append(r)
        say("   %-36s keel %7.0f lwIP %7.0f  (%d and %d units)" % (label, k["per"], l["per"],
                                                                  k["count"], l["count"]))
    return rows_
