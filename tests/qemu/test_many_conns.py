"""Many concurrent connections from many on-link hosts: the device holds
N echo connections at once, opened from addresses spread over
192.0.2.0/24 (added to the namespace's TAP), so every client is a
neighbour of its own in the device's ARP table.  Each connection echoes
its own bytes while all are open; then one of them moves 4 MiB each way
(checked byte for byte) while the others stay open, and they still echo
after it; then all close and every pool returns to idle.

N is the board's target (lm3s6965evb 128, mps2-an385 1,000): the default
image must hold it.  KEEL_MANY_CONNS overrides it (e.g. 10000 for the
C10K run), bounded by the TCB pool the image has (`mem`).  The number
reached and the phases' times are printed and written to
build/test-logs/many-conns-<board>.json."""
import json
import os
import re
import socket
import threading
import time

import nssock
from keelqemu import DEV_ADDR, LOG_DIR

TARGET = {"lm3s6965evb": 128, "mps2-an385": 1000}
FIRST_HOST = 10                # clients at 192.0.2.10 ...
HOSTS = 240                    # ... up to 192.0.2.249
PAYLOAD = 24                   # bytes each connection sends and gets back
BATCH = 100                    # echoes in flight at once; closes between two 50 ms pauses
BUDGET_S = 100.0               # wall clock for the connections (more for a KEEL_MANY_CONNS run)
BULK = 4 << 20                 # bytes one connection moves each way while the others wait
BULK_BUDGET_S = 300.0          # wall clock for them (QEMU under load)


def mem_pools(dut):
    out = dut.cmd("mem")
    res = {}
    for m in re.finditer(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+\d+\s+\d+\s*$", out, re.M):
        res[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return res, out


def established(dut):
    m = re.search(r"^\s*ESTABLISHED\s+(\d+)", dut.cmd("netstat"), re.M)
    return int(m.group(1)) if m else -1


def payload(i):
    return ("%06d:" % i).encode() + bytes((i * 7 + j) % 251 for j in range(PAYLOAD - 7))


def bulk_block(k):
    """Block k (4 KiB) of the bulk stream: no two blocks alike, so a byte
    echoed out of place shows."""
    return bytes(((k * 131 + j * 7) ^ (j >> 8)) & 0xff for j in range(4096))


def bulk_echo(s, nbytes, deadline):
    """Sends nbytes through the echo connection s from a thread while
    this one reads them back; returns (seconds, first bad offset or -1)."""
    s.settimeout(30.0)
    err = []

    def send():
        try:
            for k in range(nbytes // 4096):
                s.sendall(bulk_block(k))
        except OSError as e:          # noted; the reader then times out
            err.append(e)
    t0 = time.monotonic()
    th = threading.Thread(target=send, daemon=True)
    th.start()
    got, bad, k, buf = 0, -1, 0, b""
    while got < nbytes and time.monotonic() < deadline:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
        got += len(chunk)
        while len(buf) >= 4096:
            if bad < 0 and buf[:4096] != bulk_block(k):
                bad = k * 4096
            buf = buf[4096:]
            k += 1
    th.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not err, err
    assert got == nbytes, "bulk: %d of %d bytes echoed" % (got, nbytes)
    return time.monotonic() - t0, bad


def test_many_concurrent_echo_connections_from_many_hosts(fresh_dut, board):
    dut = fresh_dut
    pools, _ = mem_pools(dut)
    tcb_size = pools["tcb"][0]
    want = int(os.environ.get("KEEL_MANY_CONNS", TARGET[board]))
    if "KEEL_MANY_CONNS" not in os.environ:
        assert tcb_size >= want, "the default image holds %d TCBs, the target is %d" % (tcb_size, want)
    n = min(want, tcb_size)
    t_end = time.monotonic() + max(BUDGET_S, 0.05 * n)
    hosts = min(HOSTS, n)
    for h in range(hosts):
        dut.ns.run(["ip", "addr", "add", "192.0.2.%d/24" % (FIRST_HOST + h), "dev", dut.ns.tap])
    socks = []
    times = {}
    t0 = time.monotonic()
    try:
        # Open all, each from the next host in turn; a connection's first
        # bytes go at once, so they cross the wire while others open.
        for i in range(n):
            assert time.monotonic() < t_end, "budget spent after %d connections" % i
            s = nssock.socket_in(dut.ns.name)
            s.settimeout(10.0)
            s.bind(("192.0.2.%d" % (FIRST_HOST + i % hosts), 0))
            s.connect((DEV_ADDR, 7))
            s.sendall(payload(i))
            socks.append(s)
        # All open at once: each echoes its own bytes.
        for i, s in enumerate(socks):
            assert nssock.recv_exact(s, PAYLOAD) == payload(i), "connection %d" % i
        times["open_and_echo_s"] = round(time.monotonic() - t0, 2)
        held = established(dut)
        pools_open, mem_open = mem_pools(dut)
        assert held == n, "netstat ESTABLISHED %d, expected %d" % (held, n)
        # Every client a neighbour: the ARP table holds all the hosts.
        assert pools_open["arp_cache"][1] >= hosts, mem_open
        # One connection moves 4 MiB each way while the others stay open.
        secs, bad = bulk_echo(socks[n // 2], BULK, time.monotonic() + BULK_BUDGET_S)
        assert bad < 0, "bulk: echoed bytes differ at offset %d" % bad
        times["bulk_s"] = round(secs, 2)
        times["bulk_kib_s"] = round(2 * BULK / 1024 / secs, 1)
        socks[n // 2].settimeout(10.0)
        assert established(dut) == n, "a connection was lost during the bulk transfer"
        # ... and every one of them still echoes its own bytes, a batch
        # at a time as many clients would send: 10,000 segments in one
        # burst overrun the MAC's receive FIFO (RxFifoFull), and Linux's
        # retransmissions back off beyond the socket timeout.
        t1 = time.monotonic()
        for b in range(0, n, BATCH):
            batch = range(b, min(n, b + BATCH))
            for i in batch:
                socks[i].sendall(payload(i))
            for i in batch:
                try:
                    got = nssock.recv_exact(socks[i], PAYLOAD)
                except OSError as e:
                    raise AssertionError("connection %d after the bulk: %s\n%s%s" % (
                        i, e, dut.cmd("netstat -s"), dut.cmd("mem")))
                assert got == payload(i), "connection %d after the bulk" % i
        times["echo_again_s"] = round(time.monotonic() - t1, 2)
    finally:
        # Paced, as many clients would be: thousands of FINs in one burst
        # overrun the MAC's receive FIFO, and Linux gives up on orphans
        # whose FINs go unanswered (tcp_max_orphans, tcp_orphan_retries).
        t_close = time.monotonic()
        for i, s in enumerate(socks):
            s.close()
            if i % BATCH == BATCH - 1:
                time.sleep(0.05)
    # The device is left in LAST_ACK by each close; the final ACKs free all.
    deadline = time.monotonic() + max(30.0, 0.01 * n)   # 100 s for C10K
    while time.monotonic() < deadline:
        p, mem_end = mem_pools(dut)
        if p["tcb"][1] == 0 and p["syn_queue"][1] == 0 and p.get("chunks", (0, 0))[1] == 0 and \
                p.get("tcb_ext", (0, 0))[1] == 0 and p.get("tcb_flight", (0, 0))[1] == 0:
            break
        time.sleep(0.5)
    p, mem_end = mem_pools(dut)
    times["close_to_idle_s"] = round(time.monotonic() - t_close, 2)
    result = {"board": board, "target": want, "tcb_pool": tcb_size, "held": held,
              "hosts": hosts, "pools_open": pools_open, "pools_end": p, "times": times}
    os.makedirs(LOG_DIR, exist_ok=True)
    with open(os.path.join(LOG_DIR, "many-conns-%s.json" % board), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    print("\n%s: %d concurrent echo connections from %d hosts (target %d, TCB pool %d); %s"
          % (board, held, hosts, want, tcb_size, times))
    assert p["tcb"][1] == 0 and p["syn_queue"][1] == 0, mem_end + dut.cmd("netstat") + \
        dut.cmd("netstat -s TcpExt")
    assert p.get("chunks", (0, 0))[1] == 0, mem_end
    assert p.get("tcb_ext", (0, 0))[1] == 0, mem_end          # no cold state left behind
    assert p.get("tcb_flight", (0, 0))[1] == 0, mem_end       # nor in-flight state
