"""The console's connection statistics against what the test did over TCP:
netstat (per-state counts, listener queues, pools), ss and its filters,
TIME_WAIT counting up and draining with tcp_msl, sysctl, netstat -s,
mem, uptime, reset-counters.  Every output is parsed and compared."""
import re
import time

import pytest

import nssock
from keelqemu import DEV_ADDR, HOST_ADDR, parse_counters

ECHO, DAYTIME = 7, 13
N_ECHO, N_TW = 5, 3
STATES = ("LISTEN", "SYN_RECV", "SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
          "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT")
SS_ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+([\d.]+):(\d+)\s+([\d.]+|0\.0\.0\.0):(\d+|\*)\s*$")


def netstat(dut):
    out = dut.cmd("netstat")
    counts = {}
    for name in STATES:
        m = re.search(r"^%s\s+(\d+)\s*$" % name, out, re.M)
        assert m, "netstat has no %s line:\n%s" % (name, out)
        counts[name] = int(m.group(1))
    listeners = {int(m.group(1)): tuple(map(int, m.group(2, 3, 4, 5))) for m in re.finditer(
        r"^[\d.]+:(\d+)\s+(\d+)/(\d+)\s+(\d+)/(\d+)\s*$", out, re.M)}
    pools = {m.group(1): tuple(map(int, m.group(2, 3, 4))) for m in re.finditer(
        r"^(tcb|syn_queue|time_wait|listeners)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", out, re.M)}
    return counts, listeners, pools, out


def ss(dut, args=""):
    out = dut.cmd(("ss " + args).strip(), timeout=15)
    lines = out.splitlines()
    assert lines and lines[0].startswith("State"), out
    rows = []
    for ln in lines[1:]:
        if ln.startswith("\t"):
            continue
        m = SS_ROW.match(ln)
        assert m, "unparsable ss row %r in:\n%s" % (ln, out)
        rows.append((m.group(1), int(m.group(5)), m.group(6), m.group(7)))
    return rows, out


def nstat(dut, *groups):
    """netstat -s -> {"Tcp.ActiveOpens": n, ...}: `Group:` headers, then
    indented `Name value` lines (the rig's parse_counters reads the same)."""
    out = dut.cmd("netstat -s " + " ".join(groups), timeout=15)
    vals, group = {}, None
    for ln in out.splitlines():
        g = re.fullmatch(r"([A-Za-z]+):", ln)
        if g:
            group = g.group(1)
            continue
        m = re.fullmatch(r"    ([A-Za-z]+) +(\d+)", ln)
        assert m and group, "netstat -s line %r is neither a group nor a counter" % ln
        vals["%s.%s" % (group, m.group(1))] = int(m.group(2))
    assert vals, out
    assert parse_counters(out) == vals
    return vals, out


def listeners(dut):
    rows, out = ss(dut, "-l")
    return sorted(r[1] for r in rows)


def wait_for(fn, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.3)


@pytest.fixture
def echo_conns(dut):
    """N_ECHO connections to echo, each checked to echo, held open."""
    socks = []
    try:
        for i in range(N_ECHO):
            s = nssock.connect(dut.ns.name, DEV_ADDR, ECHO)
            socks.append(s)
            s.sendall(b"hello %d\n" % i)
            assert nssock.recv_exact(s, len(b"hello %d\n" % i)) == b"hello %d\n" % i
        yield [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()
        # The device is the passive closer: its side leaves in LAST_ACK -> gone.
        wait_for(lambda: netstat(dut)[0]["ESTABLISHED"] == 0, 10, "echo connections to close")


@pytest.fixture
def msl_restored(dut):
    yield
    dut.cmd("sysctl net.ipv4.tcp_msl=30")


def test_netstat_and_ss_show_held_echo_connections(dut, echo_conns):
    lports = listeners(dut)
    assert set(lports) >= {7, 9, 13, 19}, lports    # echo, discard, daytime, chargen...
    counts, lq, pools, out = netstat(dut)
    assert counts["ESTABLISHED"] == N_ECHO, out
    assert counts["LISTEN"] == len(lports), out
    assert sorted(lq) == lports, out
    synq, synq_max, accq, backlog = lq[7]
    assert synq == 0 and accq == 0 and synq_max >= 1 and backlog >= 1, out
    size, in_use, peak = pools["tcb"]
    assert in_use == N_ECHO and peak >= N_ECHO and size >= N_ECHO, out
    assert pools["listeners"][1] == len(lports), out

    rows, out = ss(dut)
    ours = sorted(r[3] and int(r[3]) for r in rows if r[0] == "ESTAB" and r[1] == ECHO)
    assert ours == sorted(echo_conns), out
    assert all(r[2] == HOST_ADDR for r in rows if r[0] == "ESTAB"), out
    assert not any(r[0] == "LISTEN" for r in rows), "plain ss shows listeners:\n" + out
    assert len(rows) == N_ECHO, out

    rows, out = ss(dut, "sport = :7")
    assert sorted(int(r[3]) for r in rows) == sorted(echo_conns), out
    rows, out = ss(dut, "state established")
    assert len(rows) == N_ECHO and all(r[0] == "ESTAB" for r in rows), out
    rows, out = ss(dut, "dport = :%d" % echo_conns[2])
    assert [(r[0], int(r[3])) for r in rows] == [("ESTAB", echo_conns[2])], out
    rows, out = ss(dut, "sport = :9")
    assert rows == [], out
    rows, out = ss(dut, "-l")
    assert {r[0] for r in rows} == {"LISTEN"} and all(r[2:] == ("0.0.0.0", "*") for r in rows), out
    rows, out = ss(dut, "-a")
    assert len(rows) == N_ECHO + len(lports), out
    # -i: one info line per connection with rto and retrans.
    out = dut.cmd("ss -i sport = :7")
    info = re.findall(r"^\t.* rto:(\d+)\b.* retrans:\d+", out, re.M)
    assert len(info) == N_ECHO and all(int(r) > 0 for r in info), out
    # Linux offers timestamps, SACK and window scaling by default; the
    # device agreed to all three, its own shift the smallest that fits its
    # tcp_rmem max in 16 bits (RFC 7323 §2.3).
    rmem_max = int(re.findall(r"\d+", dut.cmd("sysctl net.ipv4.tcp_rmem"))[-1])
    shift = 0
    while shift < 14 and rmem_max >> shift > 0xffff:
        shift += 1
    assert len(re.findall(r"^\t ts sack wscale:\d+,%d rto:" % shift, out, re.M)) == N_ECHO, out
    if "rtt:" in out:    # the stack reports RTT and window state
        assert len(re.findall(r" rtt:\d+/\d+ mss:\d+ cwnd:[1-9]\d*", out)) == N_ECHO, out


def test_bad_ss_arguments_are_reported(dut):
    assert "unknown state" in dut.cmd("ss state no-such-state")
    assert "bad port" in dut.cmd("ss sport = :notaport")


def test_time_wait_counts_up_then_drains_with_msl(dut, msl_restored):
    dut.cmd("sysctl net.ipv4.tcp_msl=30")
    before, _, _, _ = netstat(dut)
    tw0, _ = nstat(dut, "TcpExt")
    assert set(k.split(".")[0] for k in tw0) == {"TcpExt"}
    for _ in range(N_TW):
        s = nssock.connect(dut.ns.name, DEV_ADDR, DAYTIME)
        data = nssock.recv_until_eof(s)    # the device sends its line and closes first
        s.close()
        assert data.startswith(b"keel"), data
    counts = wait_for(lambda: (lambda c: c if c["TIME_WAIT"] == before["TIME_WAIT"] + N_TW
                               else None)(netstat(dut)[0]), 10, "TIME_WAIT to count up")
    rows, out = ss(dut, "state time-wait")
    assert len(rows) == counts["TIME_WAIT"] and all(r[1] == DAYTIME for r in rows), out
    out = dut.cmd("ss -i state time-wait")
    assert re.search(r"timer:\(timewait,\d+\.\d{3}s,0\)", out), out
    tw1, out = nstat(dut, "TcpExt")
    assert tw1["TcpExt.TW"] - tw0["TcpExt.TW"] == N_TW, out
    assert netstat(dut)[2]["time_wait"][1] == counts["TIME_WAIT"]

    # 2*MSL = 2 s now (tcp_msl is read at every use): the table drains.
    assert dut.cmd("sysctl net.ipv4.tcp_msl=1") == "net.ipv4.tcp_msl = 1"
    wait_for(lambda: netstat(dut)[0]["TIME_WAIT"] == 0, 8, "TIME_WAIT to drain")
    assert ss(dut, "state time-wait")[0] == []


def test_sysctl_list_get_set_and_errors(dut):
    out = dut.cmd("sysctl -a")
    knobs = dict(re.findall(r"^(net\.ipv4\.\w+) = (\d+)$", out, re.M))
    for k in ("tcp_syncookies", "tcp_synack_retries", "tcp_max_syn_backlog", "tcp_abort_on_overflow",
              "tcp_fin_timeout", "tcp_tw_reuse", "tcp_max_tw_buckets", "tcp_msl"):
        assert "net.ipv4." + k in knobs, out
    assert dut.cmd("sysctl") == out
    old = knobs["net.ipv4.tcp_syncookies"]
    try:
        assert dut.cmd("sysctl net.ipv4.tcp_syncookies=2") == "net.ipv4.tcp_syncookies = 2"
        assert dut.cmd("sysctl net.ipv4.tcp_syncookies") == "net.ipv4.tcp_syncookies = 2"
        assert dut.cmd("sysctl -w tcp_syncookies = 0") == "net.ipv4.tcp_syncookies = 0"
        out = dut.cmd("sysctl net.ipv4.tcp_syncookies=3")
        assert out.startswith("sysctl: ") and "must be 0, 1 or 2" in out, out
        out = dut.cmd("sysctl net.ipv4.tcp_syncookies=abc")
        assert out.startswith("sysctl: "), out
        assert dut.cmd("sysctl tcp_syncookies") == "net.ipv4.tcp_syncookies = 0"
        assert "no such key" in dut.cmd("sysctl net.ipv4.no_such_knob")
        assert "no such key" in dut.cmd("sysctl net.ipv4.no_such_knob=1")
    finally:
        dut.cmd("sysctl net.ipv4.tcp_syncookies=%s" % old)


def test_netstat_s_counts_what_was_done(dut):
    before, out = nstat(dut)
    # Grouped like Linux, one nstat-style name per line.
    for g in ("Tcp:", "TcpExt:", "Ip:", "Icmp:", "Arp:", "Eth:", "Link:"):
        assert re.search(r"^%s$" % g, out, re.M), out
    n = 4
    for i in range(n):
        s = nssock.connect(dut.ns.name, DEV_ADDR, ECHO)
        s.sendall(b"x")
        assert nssock.recv_exact(s, 1) == b"x"
        s.close()
    sent, recv, _ = dut.ns.ping(count=3, interval=0.05)
    assert recv == 3
    time.sleep(0.5)
    after, out = nstat(dut)
    assert after["Tcp.PassiveOpens"] - before["Tcp.PassiveOpens"] == n, out
    assert after["Tcp.ActiveOpens"] == before["Tcp.ActiveOpens"], out
    assert after["Tcp.InSegs"] - before["Tcp.InSegs"] >= 4 * n, out
    assert after["Tcp.OutSegs"] - before["Tcp.OutSegs"] >= 3 * n, out
    assert after["Icmp.InEchos"] - before["Icmp.InEchos"] == 3, out
    assert after["Icmp.OutEchoReps"] - before["Icmp.OutEchoReps"] == 3, out
    # The same table behind ifconfig's old names.
    c = dut.counters(("ifconfig",))
    assert c["icmp.out_echo_reps"] == after["Icmp.OutEchoReps"]
    assert c["ip.in_receives"] >= after["Ip.InReceives"]


def test_reset_counters_zeroes_running_counts(dut):
    s = nssock.connect(dut.ns.name, DEV_ADDR, ECHO)
    try:
        s.sendall(b"y")
        assert nssock.recv_exact(s, 1) == b"y"
        assert "counters reset" in dut.cmd("reset-counters")
        vals, out = nstat(dut, "Tcp", "TcpExt")
        assert vals["Tcp.PassiveOpens"] == 0 and vals["Tcp.ActiveOpens"] == 0, out
        assert vals["Tcp.CurrEstab"] == 1, "a gauge is not a running count:\n" + out
        assert vals["Tcp.InSegs"] <= 2, out
        assert {k.split(".")[0] for k in vals} == {"Tcp", "TcpExt"}, out
        assert dut.counters(("ifconfig",))["icmp.in_echos"] == 0
    finally:
        s.close()


def test_mem_lists_pools_and_ram(dut):
    out = dut.cmd("mem")
    rows = {m.group(1): m.groups()[1:] for m in re.finditer(
        r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(\d+)\s+(\d+)\s*$", out, re.M)}
    for name in ("tcb", "syn_queue", "time_wait", "listeners", "arp_cache", "arp_queue",
                 "con_tx_ring", "con_rx_ring"):
        assert name in rows, "mem lacks %s:\n%s" % (name, out)
        size, in_use, peak, entry, total = rows[name]
        assert int(in_use) <= int(size) and int(total) == int(size) * int(entry), out
        assert peak == "-" or int(in_use) <= int(peak) <= int(size), out
    assert int(rows["listeners"][1]) == len(listeners(dut)), out
    m = re.search(r"^ram_static (\d+) of (\d+) \(stack (\d+), free (\d+)\)", out, re.M)
    assert m, out
    ram, total, stack, free = map(int, m.groups())
    assert ram + stack + free == total and ram > 0, out
    assert str(ram) in dut.cmd("version")


def test_uptime_advances(dut):
    def ms():
        out = dut.cmd("uptime")
        assert re.search(r"^up \d+d \d\d:\d\d:\d\d\.\d{3}$", out, re.M), out
        return int(re.search(r"uptime_ms (\d+)", out).group(1))
    # The device's clock counts SysTicks; a loaded host may run the guest
    # late and QEMU then folds missed ticks, so it can fall behind real
    # time but never run ahead of it: bounded by the host's clock around
    # both reads, and at least a fifth of the second slept.
    t0 = time.monotonic()
    a = ms()
    time.sleep(1.0)
    b = ms()
    host_ms = (time.monotonic() - t0) * 1000.0
    assert 200 <= b - a <= host_ms + 20, (a, b, host_ms)


def test_mem_shows_chunk_pool_and_tcb_size(dut):
    out = dut.cmd("mem")
    rows = {m.group(1): tuple(int(v) for v in m.groups()[1:3]) + (m.group(4),) +
            tuple(int(v) for v in m.groups()[4:]) for m in re.finditer(
                r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(\d+)\s+(\d+)\s*$", out, re.M)}
    assert "chunks" in rows, out
    size, in_use, peak, entry, total = rows["chunks"]
    assert in_use <= int(peak) <= size and total == size * entry, out
    m = re.search(r"^chunk_pool\s+chunk (\d+) bytes, pressure (yes|no) \(tcp_mem (\d+) (\d+) (\d+)\), "
                  r"sizeof\(struct tcp_tcb\) (\d+)$", out, re.M)
    assert m, out
    chunk, pressure, low, mid, high, tcb = m.groups()
    assert int(chunk) == entry and pressure == "no", out
    assert int(low) <= int(mid) <= int(high) == size, out
    # no buffers inside, and 16-bit queue fields on both boards (issue 15:
    # at most 128 B on the target)
    assert int(tcb) == rows["tcb"][3] and int(tcb) <= 128, out
    for knob in ("tcp_rmem", "tcp_wmem"):
        v = dut.cmd("sysctl net.ipv4." + knob)
        m = re.match(r"^net\.ipv4\.%s = (\d+)\t(\d+)\t(\d+)$" % knob, v)
        # at most the arena and 64 KiB (KEEL_TCP_BUF_LIMIT)
        assert m and int(m.group(1)) <= int(m.group(2)) <= int(m.group(3)) <= min(total, 65535), v
    assert "net.ipv4.tcp_mem = %s\t%s\t%s" % (low, mid, high) in dut.cmd("sysctl -a")


def test_ss_m_shows_idle_connections_hold_no_chunk(dut, echo_conns):
    rmem = [int(v) for v in re.findall(r"\d+", dut.cmd("sysctl tcp_rmem"))[-3:]]
    wmem = [int(v) for v in re.findall(r"\d+", dut.cmd("sysctl tcp_wmem"))[-3:]]
    pat = re.compile(r"skmem:\(r(\d+),rb(\d+),t0,tb(\d+),f0,w(\d+),o0,bl0,d(\d+)\)")
    deadline = time.time() + 5
    while True:     # the echoes' last ACK may still be on its way
        out = dut.cmd("ss -m state established")
        mems = [tuple(map(int, g)) for g in pat.findall(out)]
        if len(mems) == N_ECHO and all(r == 0 and w == 0 for r, _, _, w, _ in mems) or \
                time.time() > deadline:
            break
        time.sleep(0.2)
    assert len(mems) == N_ECHO, out
    for r, rb, tb, w, d in mems:
        assert r == 0 and w == 0 and d == 0, out
        assert rmem[1] <= rb <= rmem[2] and wmem[1] <= tb <= wmem[2], out
    assert "skmem" not in dut.cmd("ss state established"), "skmem without -m"
