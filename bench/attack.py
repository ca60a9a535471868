"""The attack rows of bench/run, each on a freshly booted device:

  SYN burst: BURST_SYNS spoofed SYNs, then the time until echo accepts
    a connection again;
  SYN flood: spoofed SYNs from 192.0.2.100-250 (nobody answers ARP for
    them) at FLOOD_RATE/s for FLOOD_SECONDS (tests/qemu/synflood.py, which
    stops by itself) while FLOOD_CLIENTS echo clients connect, one every
    FLOOD_SECONDS/FLOOD_CLIENTS s, CLIENT_TIMEOUT each; then the time
    until echo works again;
  SYN-flood goodput: the same flood while the C client (bench/client/
    connrate.c) makes sequential port-13 connections for the flood's
    duration: connections completed per second under attack."""
import json
import os
import select
import socket
import subprocess
import threading
import time

import clients
import keelqemu as kq

ROOT = clients.ROOT
FLOOD_RATE, FLOOD_SECONDS, FLOOD_CLIENTS = 1000, 10.0, 50
CLIENT_TIMEOUT = 3.0
BURST_SYNS = 20
RECOVERY_CAP = 45.0           # seconds a recovery probe loop may run


def echo_once(timeout):
    """One echo connection: connect, 5 bytes there and back, close."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        deadline = time.monotonic() + timeout
        s.connect((clients.DEV_ADDR, 7))
        s.sendall(b"ping\n")
        buf = b""
        while len(buf) < 5:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            b = s.recv(16)
            if not b:
                return False
            buf += b
        return buf == b"ping\n"
    except OSError:
        return False
    finally:
        s.close()


def first_success(ns, start):
    """Probes echo every 0.5 s (1 s timeout) until one succeeds; returns
    (seconds since start, failed probes), or (None, n) after RECOVERY_CAP."""
    def go():
        fails = 0
        while time.monotonic() - start < RECOVERY_CAP:
            t = time.monotonic()
            if echo_once(1.0):
                return time.monotonic() - start, fails
            fails += 1
            time.sleep(max(0.0, 0.5 - (time.monotonic() - t)))
        return None, fails
    return clients.run_in_ns(ns.name, go, RECOVERY_CAP + 15)


def flood(box, rate, duration):
    """Starts tests/qemu/synflood.py in the box's namespace; returns the
    process once its frames are built ("ready")."""
    args = {"dst_mac": box.mac, "dst": clients.DEV_ADDR, "dport": 7, "src_first": 100,
            "src_last": 250, "rate": rate, "duration": duration, "seed": 1}
    p = subprocess.Popen(box.ns.cmd([kq.PY, os.path.join(ROOT, "tests", "qemu", "synflood.py"),
                                     "--iface", box.ns.tap, json.dumps(args)]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        r, _, _ = select.select([p.stdout], [], [], 1.0)
        if r:
            line = p.stdout.readline()
            if line.startswith("ready") or not line:
                break
    if not line.startswith("ready"):
        p.kill()
        raise RuntimeError("synflood did not start: %r %s" % (line, p.stderr.read()))
    return p


def flood_result(p):
    try:
        out, err = p.communicate(timeout=FLOOD_SECONDS + 40)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    lines = [l for l in out.splitlines() if l.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": err[-500:]}


def syn_flood(box):
    """FLOOD_CLIENTS echo connections paced over the flood, each its own
    thread, CLIENT_TIMEOUT each; then the time until echo works again."""
    p = flood(box, FLOOD_RATE, FLOOD_SECONDS)
    t0 = time.monotonic()
    results = [None] * FLOOD_CLIENTS
    gap = FLOOD_SECONDS / FLOOD_CLIENTS

    def client(i):
        results[i] = echo_once(CLIENT_TIMEOUT)

    def go():
        ts = []
        for i in range(FLOOD_CLIENTS):
            time.sleep(max(0.0, t0 + i * gap - time.monotonic()))
            t = threading.Thread(target=client, args=(i,), daemon=True)
            t.start()
            ts.append(t)
        for t in ts:
            t.join(CLIENT_TIMEOUT + 5)
        return sum(1 for r in results if r)
    ok = clients.run_in_ns(box.ns.name, go, FLOOD_SECONDS + CLIENT_TIMEOUT + 30)
    fr = flood_result(p)
    end = time.monotonic()
    rec, _ = first_success(box.ns, end)
    return {"ok": ok, "flood": fr, "recovery_s": rec}


def syn_burst(box):
    """BURST_SYNS spoofed SYNs, then how long until echo accepts again."""
    p = flood(box, BURST_SYNS * 10, 0.1)   # synflood.py's shortest run is 0.1 s
    fr = flood_result(p)          # the tool waits 0.5 s for answers
    start = time.monotonic()
    sec, fails = first_success(box.ns, start)
    return {"first_ok_s": sec, "failed_probes": fails, "flood": fr}


def flood_goodput(box):
    """Sequential port-13 connections (1 s timeout each) during the flood:
    completed per second, and how many failed."""
    p = flood(box, FLOOD_RATE, FLOOD_SECONDS)
    r = clients.conn_rate(box.ns, 100000, 1, budget=FLOOD_SECONDS, timeout_ms=1000)
    fr = flood_result(p)
    return {"rate": r["rate"], "ok": r["ok"], "fail": r["fail"], "flood": fr}
