"""Whole-firmware instructions per echo round and per port-13 connection
(keel's firmware image as shipped, not the icount harness): boots the ELF
under qemu-system-arm with `-d in_asm,exec,nochain`, runs the C echo and
connection clients against it, and counts from the trace (a TB's size
from its in_asm listing, times its executions).

The trace is cut at every entry to keel_input: one frame in, one cut.
"To tx" counts from there to the driver's tx call (the reply's latency
on the CPU); "whole pass" up to the next frame, leaving out the sleep
loop and SysTick's handler but not the main loop's spins while busy, so
it varies with timing.  Echo rounds: cuts with a keel_tcp_splice before
the tx.  Per connection: the port-13 phase's "to tx", summed over its
frames, over the connections.  Medians; deterministic up to timer ticks
landing inside a round.  The main loop's enet_rx and capture of the frame
come before keel_input and are not in "to tx".

  /usr/bin/python3 bench/fwtrace.py [BOARD] [ELF] [--funcs] [--debug]
"""
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
sys.path.insert(0, HERE)
import keelqemu as kq  # noqa: E402
import clients  # noqa: E402

ROUNDS = 100
CONNS = 50
TX = {"lm3s6965evb": "enet_tx", "mps2-an385": "lan9118_tx"}
IDLE = ("board_sleep_until", "SysTick_Handler")

TB_INSN = re.compile(rb"^0x[0-9a-f]+:\s")
TRACE = re.compile(rb"^Trace \d+: (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/[0-9a-f]+\] ?(\S*)")


def passes(data):
    """[(instructions, {function: instructions}, n_in, n_tx, to_tx, offset)]
    from the whole trace (a TB's size is logged once, at translation), one
    per cut; offset is where the pass starts in the log."""
    size = {}
    pos = 0
    pending = None
    out = []
    cur = None
    for line in data.split(b"\n"):
        at = pos
        pos += len(line) + 1
        if line.startswith(b"IN:"):
            pending = 0
            continue
        if pending is not None and TB_INSN.match(line):
            pending += 1
            continue
        m = TRACE.match(line)
        if not m:
            continue
        host, sym = m.group(1), m.group(3).decode()
        if pending is not None:
            size[host] = pending
            pending = None
        n = size.get(host, 0)
        if sym == "keel_input" and int(m.group(2), 16) == INPUT_PC[0]:
            if cur is not None:
                out.append(cur)
            cur = [0, {}, 1, 0, None, at, {}]
        if cur is None:
            continue
        if sym in IDLE:
            continue
        if sym == TX_SYM[0] and int(m.group(2), 16) == TX_PC[0]:
            if cur[3] == 0:
                cur[4] = cur[0]
            cur[3] += 1
        cur[0] += n
        cur[1][sym] = cur[1].get(sym, 0) + n
        if cur[3] == 0:
            cur[6][sym] = cur[6].get(sym, 0) + n
    return out


INPUT_PC, TX_PC, TX_SYM = [0], [0], [""]


def symbols(elf):
    nm = subprocess.run(["arm-none-eabi-nm", elf], capture_output=True, text=True, check=True)
    return {l.split()[2]: int(l.split()[0], 16) & ~1 for l in nm.stdout.splitlines()
            if len(l.split()) == 3}


def by_function(title, rounds, per):
    """The 40 functions with the most instructions over rounds, per unit."""
    tot = {}
    for p in rounds:
        for f, n in p[6].items():
            tot[f] = tot.get(f, 0) + n
    print("%s, by function:" % title)
    for f, n in sorted(tot.items(), key=lambda x: -x[1])[:40]:
        print("  %7.1f %s" % (n / per, f))


def main():
    board = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "lm3s6965evb"
    elf = (sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("-")
           else os.path.join(ROOT, "build", board, "keel.elf"))
    syms = symbols(elf)
    INPUT_PC[0] = syms["keel_input"]
    TX_SYM[0] = TX[board]
    TX_PC[0] = syms[TX[board]]
    log = "/tmp/fwtrace-%d.log" % os.getpid()
    ns = kq.Netns()
    q = None
    try:
        q = kq.Qemu(board, ns, elf=elf, log_name="fwtrace-" + board,
                    extra=["-d", "in_asm,exec,nochain", "-D", log])
        q.wait_boot(60)
        q.console.cmd("ifconfig %s/%d" % (kq.DEV_ADDR, kq.PREFIX))
        ns.ping(count=3, interval=0.1)
        clients.echo_rtt_us(ns, ROUNDS)
        time.sleep(0.5)
        clients.conn_rate(ns, CONNS, 1)
        time.sleep(1.0)
        q.proc.terminate()      # SIGTERM: QEMU exits cleanly and flushes its log
        q.proc.wait(30)
    finally:
        if q:
            q.close()
        ns.close()
    with open(log, "rb") as f:
        data = f.read()
    if "--debug" not in sys.argv:
        os.unlink(log)
    # QEMU's log lags: the phases are told apart by what ran, not by the
    # offsets.  Echo: a splice with one frame in and one out.  Port 13: from
    # the first daytime accept on, every pass with a frame in.
    every = passes(data)
    if "--debug" in sys.argv:
        print(len(data), len(every), sum(1 for p in every if p[2]), sum(1 for p in every if "keel_tcp_splice" in p[1]))
    echo = [p for p in every if "keel_tcp_splice" in p[6] and p[3] >= 1]
    first = next((i for i, p in enumerate(every) if "daytime_accept" in p[1]), len(every))
    conn = [p for p in every[first:] if p[2] >= 1]
    print("%s %s" % (board, elf))
    print("echo rounds %d: median %d instr per round (whole pass), %d to tx"
          % (len(echo), statistics.median(p[0] for p in echo),
             statistics.median(p[4] for p in echo)))
    print("port 13: %d instr per connection, frame in to first tx summed (%d frames in, %d connections)"
          % (sum(p[4] or 0 for p in conn) / CONNS if conn else 0, len(conn), CONNS))
    if "--funcs" in sys.argv:
        by_function("per echo round (keel_input to tx)", echo, len(echo))
        by_function("per connection (frame in to tx)", conn, CONNS)


if __name__ == "__main__":
    main()
