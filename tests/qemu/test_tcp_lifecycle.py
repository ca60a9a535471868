"""TCP connection lifecycle against Linux as the peer: echo (port 7), the
one-line-then-close service (port 13, the device closes first and holds
TIME_WAIT), a closed port refused, many sequential connections leaving no
connection state behind, and the console's state counts agreeing."""
import os
import re
import select
import socket
import subprocess
import time

import pytest

import nssock
import xfer
from keelqemu import DEV_ADDR

STATES = ("LISTEN", "SYN_RECV", "SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
          "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT")


def state_counts(dut):
    """The console's `netstat`: {state: count} for the ten states."""
    out = dut.cmd("netstat")
    counts = {}
    for st in STATES:
        m = re.search(r"^\s*%s\b\s*:?\s+(\d+)" % st, out, re.M)
        assert m, "netstat lacks %s:\n%s" % (st, out)
        counts[st] = int(m.group(1))
    return counts


def wait_counts(dut, pred, timeout=10.0):
    """Polls netstat until pred(counts) holds; returns the last counts."""
    deadline = time.monotonic() + timeout
    while True:
        c = state_counts(dut)
        if pred(c) or time.monotonic() > deadline:
            return c
        time.sleep(0.2)


def linux_states(dut, port):
    """Linux's own view (ss in the namespace) of connections to port."""
    p = dut.ns.run(["ss", "-tanH", "dst", "%s:%d" % (DEV_ADDR, port)], check=False)
    return [line.split()[0] for line in p.stdout.splitlines() if line.strip()]


def test_echo_round_trip_and_peer_closes_first(dut):
    s = nssock.connect(dut.ns.name, DEV_ADDR, 7)
    payload = os.urandom(3000)
    for i in range(0, len(payload), 1000):
        s.sendall(payload[i:i + 1000])
    assert nssock.recv_exact(s, len(payload)) == payload
    s.shutdown(socket.SHUT_WR)
    # The device answers our FIN with its own once everything is echoed.
    assert nssock.recv_until_eof(s) == b""
    s.close()
    # Linux closed first: it holds TIME_WAIT, the device nothing.
    assert "TIME-WAIT" in linux_states(dut, 7)
    c = wait_counts(dut, lambda c: c["LAST_ACK"] == 0 and c["ESTABLISHED"] == 0)
    assert c["ESTABLISHED"] == 0 and c["LAST_ACK"] == 0 and c["CLOSE_WAIT"] == 0, c


def test_one_line_service_device_closes_first(dut):
    before = state_counts(dut)["TIME_WAIT"]
    s = nssock.connect(dut.ns.name, DEV_ADDR, 13)
    data = nssock.recv_until_eof(s)
    assert re.match(rb"keel uptime \d+\.\d{3} s\r\n$", data), data
    s.close()
    # The device sent the first FIN: it holds TIME_WAIT, Linux does not.
    c = wait_counts(dut, lambda c: c["TIME_WAIT"] >= before + 1)
    assert c["TIME_WAIT"] >= before + 1, c
    assert "TIME-WAIT" not in linux_states(dut, 13), linux_states(dut, 13)


def test_one_line_service_data_and_fin_in_one_segment(dut):
    """The line and the FIN leave in one segment (the service writes with
    keel_tcp_send_more, then closes: Linux's tcp_send_fin puts the FIN on
    the unsent tail; after MSG_MORE, as Linux, without PSH), and no bare
    FIN follows."""
    cap = xfer.log_path("daytime-fin-%s.pcap" % dut.board)
    p = subprocess.Popen(dut.ns.cmd(["tshark", "-q", "-i", dut.ns.tap, "-a", "duration:6",
                                     "-f", "tcp port 13", "-w", cap]),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:      # "Capturing on ..." once it runs
        r, _, _ = select.select([p.stderr], [], [], 0.5)
        if r:
            line = p.stderr.readline()
            if b"Capturing on" in line or not line:
                break
    time.sleep(1.0)                         # the line comes before the first packet is taken
    s = nssock.connect(dut.ns.name, DEV_ADDR, 13)
    data = nssock.recv_until_eof(s)
    s.close()
    p.wait(timeout=30)
    out = subprocess.run(["tshark", "-r", cap, "-Y", "ip.src==%s && tcp.srcport==13" % DEV_ADDR,
                          "-T", "fields", "-e", "tcp.flags.syn", "-e", "tcp.flags.fin",
                          "-e", "tcp.flags.push", "-e", "tcp.len"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    segs = [tuple(int(v == "1" or v == "True") if i < 3 else int(v)
                  for i, v in enumerate(l.split("\t")))
            for l in out.stdout.splitlines() if l.strip()]
    with_data = [x for x in segs if x[3] > 0]
    fins = [x for x in segs if x[1]]
    assert len(with_data) == 1 and with_data[0][3] == len(data), (segs, cap)
    assert with_data[0][1] and not with_data[0][2], ("line without FIN, or PSH", segs, cap)
    assert fins == with_data, ("a separate FIN", segs, cap)


def test_closed_port_is_refused(dut):
    with pytest.raises(ConnectionRefusedError):
        nssock.connect(dut.ns.name, DEV_ADDR, 12)


def test_connections_held_open_show_in_state_counts(dut):
    socks = [nssock.connect(dut.ns.name, DEV_ADDR, 7) for _ in range(5)]
    try:
        c = wait_counts(dut, lambda c: c["ESTABLISHED"] == 5)
        assert c["ESTABLISHED"] == 5, c
        assert c["LISTEN"] >= 4, c
    finally:
        for s in socks:
            s.close()
    c = wait_counts(dut, lambda c: c["ESTABLISHED"] == 0 and c["LAST_ACK"] == 0)
    assert c["ESTABLISHED"] == 0 and c["LAST_ACK"] == 0, c


def test_200_sequential_connections_leave_no_connection_state(dut):
    for i in range(200):
        s = nssock.connect(dut.ns.name, DEV_ADDR, 7)
        msg = b"conn %d\n" % i
        s.sendall(msg)
        assert nssock.recv_exact(s, len(msg)) == msg
        s.close()
    c = wait_counts(dut, lambda c: all(c[st] == 0 for st in STATES
                                       if st not in ("LISTEN", "TIME_WAIT")))
    busy = {st: n for st, n in c.items() if st not in ("LISTEN", "TIME_WAIT") and n}
    assert not busy, c
