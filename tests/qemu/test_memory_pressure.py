"""The shared chunk pool against Linux peers (stack/tcp/tcp_mem.c): echo
clients that do not read drive the pool into memory pressure and past
tcp_mem high; the device drops what finds no chunk and counts it, the
console shows it, and once the clients read, every byte comes back in
order and the pool returns to idle."""
import re
import socket
import threading
import time

import nssock
from keelqemu import DEV_ADDR

ECHO = 7
N_CLIENTS = 4
PER_CLIENT = 16 * 1024
TCP_MEM = (8, 12, 16)          # chunks: pressure at 3 KiB, nothing beyond 4 KiB


def chunk_pool(dut):
    out = dut.cmd("mem")
    m = re.search(r"^chunks\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s*$", out, re.M)
    assert m, out
    p = re.search(r"^chunk_pool\s+chunk \d+ bytes, pressure (yes|no)", out, re.M)
    assert p, out
    size, in_use, peak, _ = map(int, m.groups())
    return size, in_use, peak, p.group(1) == "yes"


def tcpext(dut):
    c = dut.counters(("netstat -s TcpExt",))
    return {k.split(".", 1)[1]: v for k, v in c.items() if k.startswith("TcpExt.")}


def wait_for(cond, secs, what):
    deadline = time.time() + secs
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def client(dut, i):
    s = nssock.socket_in(dut.ns.name)
    # A small receive buffer: the echo backs up into the device's queues.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * PER_CLIENT)
    s.settimeout(5.0)
    s.connect((DEV_ADDR, ECHO))
    data = bytes((i * 37 + j * 7 + (j >> 8)) & 0xff for j in range(PER_CLIENT))
    return s, data


def test_echo_clients_that_do_not_read_drive_the_pool_into_pressure(dut):
    old = dut.cmd("sysctl net.ipv4.tcp_mem")
    before = tcpext(dut)
    size, in_use, _, pressure = chunk_pool(dut)
    assert in_use == 0 and not pressure and size >= TCP_MEM[2]
    assert dut.cmd("sysctl -w net.ipv4.tcp_mem=%d %d %d" % TCP_MEM) == \
        "net.ipv4.tcp_mem = %d\t%d\t%d" % TCP_MEM
    socks = []
    try:
        for i in range(N_CLIENTS):
            socks.append(client(dut, i))
        for s, data in socks:
            s.sendall(data)            # into Linux's send buffer; the device backs up
        wait_for(lambda: tcpext(dut)["TCPMemoryPressures"] > before["TCPMemoryPressures"], 15,
                 "TCPMemoryPressures to count")
        _, in_use, peak, _ = chunk_pool(dut)
        assert in_use <= TCP_MEM[2] and peak >= TCP_MEM[1], (in_use, peak)
        wait_for(lambda: tcpext(dut)["TCPRcvQDrop"] + tcpext(dut)["TCPOFODrop"] >
                 before["TCPRcvQDrop"] + before["TCPOFODrop"], 15, "a drop for want of memory")
        ss = dut.cmd("ss -m state established")
        drops = [int(d) for d in re.findall(r"skmem:\(r\d+,rb\d+,t0,tb\d+,f0,w\d+,o0,bl0,d(\d+)\)", ss)]
        assert len(drops) >= N_CLIENTS and sum(drops) >= 1, ss

        # Now the clients read: every byte comes back, in order.
        got = [None] * N_CLIENTS
        errors = []

        def reader(i, s, n):
            try:
                s.settimeout(60.0)
                got[i] = nssock.recv_exact(s, n)
            except Exception as e:     # reported below
                errors.append("client %d: %r" % (i, e))

        threads = [threading.Thread(target=reader, args=(i, s, len(d)))
                   for i, (s, d) in enumerate(socks)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        assert not errors, errors
        for i, (s, data) in enumerate(socks):
            assert got[i] == data, "client %d: echo differs" % i
    finally:
        for s, _ in socks:
            s.close()
        dut.cmd("sysctl -w net.ipv4.tcp_mem=%s" % " ".join(old.split("=")[1].split()))
    wait_for(lambda: chunk_pool(dut)[1] == 0, 15, "the pool to return to idle")
    assert dut.cmd("sysctl net.ipv4.tcp_mem") == old
    wait_for(lambda: not chunk_pool(dut)[3], 5, "pressure to end")
