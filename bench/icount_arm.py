"""Cortex-M instruction counts for bench/run, beside the host's callgrind
ones (icount.py): the same phases, scripted peer and fake MAC
(bench/icount/), built for the board with the firmware's flags
(icount_target.mk) and run under QEMU with `-icount shift=7,sleep=off`:
the virtual clock advances 2^7 ns per instruction executed, so SysTick
(free-running from the core clock, read at the start and end of each
counted interval by bench/icount/target.c) counts instructions.  A
calibration loop of known length (2 x 100000 instructions) gives ticks
per instruction (3.2 on mps2-an385: 25 MHz x 128 ns; 1.6 on lm3s6965evb)
and 1000 empty intervals the cost of one (the reads themselves),
subtracted once per interval, so the counts are the
stack's calls (frame in + services, timer + services), not the peer's
or the fake MAC's copies.  Nothing depends on the host: two runs must
give the same ticks (checked).  Deterministic figures for the board's
own instruction set (Thumb-2), not cycles: QEMU does not model the
core's pipeline or wait states.

The held rows (the O(1) check, issue 15): icount-arm-fw-<board>.elf is
keel with the board's own pools and the firmware's services
(firmware/apps.c, bench/icount/fw_side.c).  It opens HELD[board] echo
connections from 192.0.2.10..249 (each echoes its bytes, then stays
open) and counts per connection (13) and per idle millisecond (timer +
services, nothing arriving) with them held, against the same image with
none held.  keel's goal: N-held / 0-held >= 0.9 for both, as the
wall-clock rows of bench/budget.py.  A millisecond's work is what the
wall-clock rows pay between connections (one connection per ~0.5 ms at
~2000 conn/s), so it counts as much as the connection's own."""
import json
import os
import re
import subprocess
import time

import report

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
STACKS = ("keel", "lwip")
SHIFT = 7
MACHINES = {"lm3s6965evb": "lm3s6965evb", "mps2-an385": "mps2-an385"}
PHASES = (("conn", "Cortex-M instr per connection (13)"),
          ("rx", "Cortex-M instr per received segment"),
          ("tx", "Cortex-M instr per sent segment"),
          ("echo", "Cortex-M instr per echoed segment"))
MAX_MEAN_TICKS = 1 << 22       # an interval must stay far below SysTick's 2^24 wrap
# Connections held for the held rows: the TCB pool less a margin (the
# connections counted need TCBs of their own), as bench/budget.py holds.
HELD = {"lm3s6965evb": 120, "mps2-an385": 10000}
HELD_CONNS, HELD_SEGS = 100, 10


def build(board):
    subprocess.run(["make", "--no-print-directory", "-s", "-j2", "-f",
                    "bench/icount/icount_target.mk", "BOARD=" + board], cwd=ROOT, check=True,
                   timeout=900)
    return {s: os.path.join(ROOT, "build", "bench", "icount-arm-%s-%s.elf" % (s, board))
            for s in STACKS + ("fw",)}


def run_once(board, elf, conns, segs, timeout=300, held=None):
    """Boots elf under -icount, gives it the arguments, returns the
    calibration and the phases' JSON (with held: the tick phase too)."""
    argv = ["qemu-system-arm", "-M", MACHINES[board], "-nographic", "-monitor", "none",
            "-serial", "stdio", "-nic", "none", "-icount", "shift=%d,sleep=off" % SHIFT,
            "-kernel", elf]
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b""
    try:
        t0 = time.monotonic()
        sent = False
        os.set_blocking(p.stdout.fileno(), False)
        while time.monotonic() - t0 < timeout:
            chunk = p.stdout.read() or b""
            out += chunk
            if not sent and b"icount args?" in out:
                p.stdin.write((b"%d %d\r" % (conns, segs)) if held is None
                              else (b"%d %d %d\r" % (conns, segs, held)))
                p.stdin.flush()
                sent = True
            if re.search(rb"icount-exit -?\d+", out):
                break
            if p.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        p.kill()
        p.wait()
    text = out.decode(errors="replace")
    m = re.search(r"icount-exit (-?\d+)", text)
    if not m or m.group(1) != "0":
        raise RuntimeError("%s on %s: no clean exit:\n%s" % (elf, board, text[-1500:]))
    calib = json.loads(re.search(r"^(\{\"calib\".*\})\s*$", text, re.M).group(1))["calib"]
    work = json.loads(re.search(r"^(\{\"conn\".*\})\s*$", text, re.M).group(1))
    if held is not None:
        work.update(json.loads(re.search(r"^(\{\"tick\".*\})\s*$", text, re.M).group(1)))
    return calib, work


def instructions(calib, phase):
    empty = calib["empty_ticks"] / calib["empty_n"]       # an interval's own cost, ticks
    per_tick = (calib["loop_ticks"] - empty) / calib["instr"]   # ticks per instruction
    ticks = phase["sys_hi"] * 2 ** 32 + phase["sys_lo"]
    if phase["intervals"] and ticks / phase["intervals"] > MAX_MEAN_TICKS:
        raise RuntimeError("intervals too long for SysTick: %r" % phase)
    return (ticks - phase["intervals"] * empty) / per_tick


def measure(board, quick):
    elfs = build(board)
    conns, segs = (10, 50) if quick else (100, 1000)
    res = {"fw_elf": elfs["fw"]}
    for s in STACKS:
        a = run_once(board, elfs[s], conns, segs)
        b = run_once(board, elfs[s], conns, segs)
        if a != b:
            raise RuntimeError("icount-arm-%s on %s: two runs differ: %r / %r" % (s, board, a, b))
        calib, work = a
        res[s] = {"calib": calib}
        for phase, _ in PHASES:
            n = instructions(calib, work[phase])
            res[s][phase] = {"instructions": round(n), "count": work[phase]["count"],
                             "per": n / work[phase]["count"], "raw": work[phase]}
    return res


def measure_held(board, elf, held):
    """{"conn", "tick"}: instructions per connection and per idle
    millisecond of the firmware's image with held connections open (two
    runs, which must agree)."""
    a = run_once(board, elf, HELD_CONNS, HELD_SEGS, held=held)
    b = run_once(board, elf, HELD_CONNS, HELD_SEGS, held=held)
    if a != b:
        raise RuntimeError("icount-arm-fw on %s, %d held: two runs differ: %r / %r"
                           % (board, held, a, b))
    calib, work = a
    return {p: {"instructions": round(instructions(calib, work[p])), "count": work[p]["count"],
                "per": instructions(calib, work[p]) / work[p]["count"], "raw": work[p]}
            for p in ("conn", "tick")}


def held_rows(board, elf, say=print):
    """The O(1) rows: keel's instructions per connection and per idle
    millisecond with 0 and HELD[board] connections held, and the ratios
    (lwIP's column empty: its counted image has lwIP's default pools)."""
    n = HELD[board]
    zero, full = measure_held(board, elf, 0), measure_held(board, elf, n)
    out = []
    for phase, label in (("conn", "Cortex-M instr/conn"), ("tick", "Cortex-M instr/idle ms")):
        z, f = zero[phase]["per"], full[phase]["per"]
        for held, v in ((0, z), (n, f)):
            r = report.fixed_row(board, "O(1): %s, %s held" % (label, "0" if held == 0 else "N"),
                                 round(v), None, unit="instr")
            r.update(o1_icount=True, cortex_m=True, held_n=held,
                     detail=zero[phase] if held == 0 else full[phase])
            out.append(r)
        r = report.fixed_row(board, "O(1): %s N-held / 0-held" % label.replace("Cortex-M ", ""),
                             round(z / f, 3), None, better="higher")
        r.update(ratio=None, held_n=n, o1_icount=True, cortex_m=True,
                 goal="keel >=0.9", goal_met=z / f >= 0.9)
        out.append(r)
        say("   %s O(1) %-24s keel %7.0f with 0 held, %7.0f with %d held: %.3f  "
            "(two runs agree)" % (board, label, z, f, n, z / f))
    return out


def rows(board, quick=False, say=print):
    res = measure(board, quick)
    out = []
    for phase, label in PHASES:
        k, l = res["keel"][phase], res["lwip"][phase]
        r = report.fixed_row(board, label, round(k["per"]), round(l["per"]), unit="instr")
        r.update(instructions=True, cortex_m=True, detail={"keel": k, "lwip": l,
                                                           "calib": {s: res[s]["calib"]
                                                                     for s in STACKS}})
        out.append(r)
        say("   %s %-36s keel %7.0f lwIP %7.0f  (%d and %d units; two runs agree)"
            % (board, label, k["per"], l["per"], k["count"], l["count"]))
    out.extend(held_rows(board, res["fw_elf"], say))
    return out
