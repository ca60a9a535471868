#!/usr/bin/python3
"""Checks that a bench run produced well-formed results (used by
`make bench-quick`, inside `make test`): every timed row has a value for
each run of both stacks, a ratio inside its interval; the instruction
counts (with the O(1) rows: 0 and N held), the ceiling and the
footprints are there; the chart is a PNG.
No speed threshold: the machine's load must not fail `make test`.
  check_results.py build/bench/quick/results.json"""
import json
import os
import sys


def fail(msg):
    raise SystemExit("check_results: " + msg)


def check(path):
    with open(path) as f:
        doc = json.load(f)
    for key in ("started", "machine", "build", "codegen_flags", "compile_lines", "rows", "reps",
                "boards"):
        if key not in doc:
            fail("no %r in %s" % (key, path))
    reps = doc["reps"]
    rows = doc["rows"]
    for board in doc["boards"]:
        paired = [r for r in rows if r["board"] == board and r["kind"] == "paired"]
        if len(paired) < 7:
            fail("%s: %d timed rows, expected at least 7" % (board, len(paired)))
        for r in paired:
            for s in ("keel", "lwip"):
                vals = r[s]
                if len(vals) != reps or any(not isinstance(v, (int, float)) or v <= 0
                                            for v in vals):
                    fail("%s %s: %s runs %r (want %d positive numbers)" % (
                        board, r["figure"], s, vals, reps))
            if not (r["ratio"] and r["pairs"] == reps):
                fail("%s %s: ratio %r over %r pairs" % (board, r["figure"], r["ratio"], r["pairs"]))
            if reps >= 2 and not r["ratio_low"] <= r["ratio"] <= r["ratio_high"]:
                fail("%s %s: ratio %r outside [%r, %r]" % (
                    board, r["figure"], r["ratio"], r["ratio_low"], r["ratio_high"]))
        figures = [r["figure"] for r in rows if r["board"] == board]
        for want in ("ceiling in", "ceiling out", "discard / ceiling", "image flash",
                     "budget: state+arena", "budget: connections held",
                     "budget: bytes per idle", "budget: conn/s", "budget: echo RTT"):
            if not any(f.startswith(want) for f in figures):
                fail("%s: no %r row" % (board, want))
        held = next(r for r in rows if r["board"] == board
                    and r["figure"].startswith("budget: connections held"))
        if not (held["keel"] > 0 and held["lwip"] > 0 and "goal" in held):
            fail("%s: connections held %r" % (board, held))
    icount = [r for r in rows if r.get("instructions")]
    want = 4 * (1 + len(doc["boards"]))        # the host's four, and four per board
    if len(icount) != want or any(not (r["keel"] > 0 and r["lwip"] > 0) for r in icount):
        fail("instruction rows (%d, want %d): %r" % (len(icount), want, icount))
    for board in doc["boards"]:    # the O(1) rows (icount_arm.held_rows): 3 each, 2 kinds
        o1 = [r for r in rows if r["board"] == board and r.get("o1_icount")]
        if len(o1) != 6 or any(not r["keel"] > 0 for r in o1) or \
                sum(1 for r in o1 if "goal" in r) != 2:
            fail("%s: O(1) instruction rows %r" % (board, o1))
    png = os.path.join(os.path.dirname(path), "ratios.png")
    with open(png, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            fail("%s is not a PNG" % png)
    print("check_results: %s well-formed (%d rows, %d boards, %d reps)" % (
        path, len(rows), len(doc["boards"]), reps))


if __name__ == "__main__":
    check(sys.argv[1] if len(sys.argv) > 1 else "build/bench/results.json")
