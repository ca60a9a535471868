"""HTTP/1.1 persistent connections (RFC 9112 §9.3) with chunked bodies
(§7.1): pipelined requests on one connection, "Connection: close" and
HTTP/1.0 honoured, idle connections closed, the TCB pool kept free for the
other services -- and the status page left open in a browser no longer
leaves a TIME_WAIT entry on the device for every refresh."""
import json
import os
import re
import shutil
import tempfile
import time

import pytest

import keelhttp
import nssock
from keelhttp import metric
from keelqemu import DEV_ADDR

CHROMIUM = "/usr/bin/chromium"


def read_all(s, timeout=8.0):
    """Everything until the device closes (or the deadline): (bytes, closed)."""
    buf, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            d = s.recv(65536)
        except OSError:
            break
        if not d:
            return buf, True
        buf += d
    return buf, False


def dechunk(data):
    """A chunked body -> (body, rest after the last chunk)."""
    body = b""
    while True:
        line, _, data = data.partition(b"\r\n")
        size = int(line, 16)
        if size == 0:
            assert data.startswith(b"\r\n"), data[:20]
            return body, data[2:]
        body, data = body + data[:size], data[size:]
        assert data.startswith(b"\r\n"), data[:20]
        data = data[2:]


def response(data):
    """One response off the front of data -> (status, headers, body, rest)."""
    head, _, data = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
    if headers.get("transfer-encoding") == "chunked":
        body, data = dechunk(data)
    else:
        body, data = data, b""
    return status, headers, body, data


def test_pipelined_requests_on_one_connection(dut):
    s = nssock.connect(dut.ns.name, DEV_ADDR, 80)
    try:
        s.sendall(b"GET /history.json?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /connections HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data, closed = read_all(s)
    finally:
        s.close()
    assert closed, "the device did not close after Connection: close"
    st, h, body, data = response(data)
    assert st == 200 and h["transfer-encoding"] == "chunked" and "connection" not in h
    assert len(json.loads(body)["samples"]) <= 2
    head, _, data = data.partition(b"\r\n\r\n")           # HEAD: no body, no chunks
    assert head.startswith(b"HTTP/1.1 200 OK") and b"chunked" in head, head
    st, h, body, data = response(data)
    rows = json.loads(body)
    assert any(r["kind"] == "tcb" and r["local"].endswith(":80") for r in rows), rows
    st, h, body, data = response(data)
    assert st == 200 and h["connection"] == "close" and "transfer-encoding" not in h
    samples, _ = keelhttp.parse_metrics(body.decode())
    assert metric(samples, "keel_http_rows_too_long_total") == 0


def test_http10_and_errors_close(dut):
    for req in (b"GET /metrics HTTP/1.0\r\n\r\n", b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n",
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"):
        s = nssock.connect(dut.ns.name, DEV_ADDR, 80)
        try:
            s.sendall(req)
            data, closed = read_all(s)
        finally:
            s.close()
        assert closed and b"Connection: close" in data.split(b"\r\n\r\n")[0], (req, data[:300])


def test_curl_reuses_the_connection(dut):
    before, _ = keelhttp.metrics(dut)
    urls = ["http://%s%s" % (DEV_ADDR, p) for p in ("/metrics", "/", "/history.csv")]
    argv = ["curl", "-sv", "-m", "10"]
    for u in urls:
        argv += ["-o", "/dev/null", u]
    p = dut.ns.run(argv, timeout=30, check=False)
    assert p.returncode == 0, p.stderr
    assert p.stderr.count("Re-using existing connection") == 2, p.stderr
    after, _ = keelhttp.metrics(dut)
    d_req = metric(after, "keel_http_requests_total") - metric(before, "keel_http_requests_total")
    d_conn = (metric(after, "keel_netstat_Tcp_PassiveOpens")
              - metric(before, "keel_netstat_Tcp_PassiveOpens"))
    assert d_req == 4 and d_conn == 2, (d_req, d_conn)   # curl's 3 on one + this scrape


def test_idle_connection_is_closed(dut):
    s = nssock.connect(dut.ns.name, DEV_ADDR, 80)
    try:
        s.sendall(b"GET /history.csv?n=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        t0 = time.monotonic()
        data, closed = read_all(s, timeout=25)
    finally:
        s.close()
    assert closed and b"chunked" in data, data[:300]
    assert 12 <= time.monotonic() - t0 <= 22          # KEEL_HTTP_IDLE_MS = 15 s


def test_not_kept_open_when_tcbs_run_short(dut):
    # size - 3 echo connections: with this request's own, fewer than
    # KEEL_HTTP_KEEP_FREE_TCBS (3) TCBs would stay free.
    samples, _ = keelhttp.metrics(dut)
    size = int(metric(samples, "keel_pool_size", pool="tcb"))
    if size > 16:
        pytest.skip("%d TCBs: too many connections to hold from a test" % size)
    held = [nssock.connect(dut.ns.name, DEV_ADDR, 7) for _ in range(size - 3)]
    try:
        time.sleep(0.3)
        s = nssock.connect(dut.ns.name, DEV_ADDR, 80)
        try:
            s.sendall(b"GET /history.json?n=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            data, closed = read_all(s)
        finally:
            s.close()
    finally:
        for h in held:
            h.close()
    assert closed and b"Connection: close" in data.split(b"\r\n\r\n")[0], data[:300]


def test_open_status_page_leaves_no_time_wait_per_refresh(dut):
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium not installed: scripts/deps.sh test", pytrace=False)
    # Wait for earlier tests' TIME_WAIT entries to go (tcp_msl=1: 2 s).
    dut.cmd("sysctl net.ipv4.tcp_msl=1")
    time.sleep(3)
    dut.cmd("sysctl net.ipv4.tcp_msl=30")
    before, _ = keelhttp.metrics(dut)
    profile = tempfile.mkdtemp(prefix="keel-chromium-")
    try:
        # 12 s of the page's time: it refreshes (two requests) every 2 s.
        p = dut.ns.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--virtual-time-budget=12000", "--user-data-dir=" + profile,
                        "--dump-dom", "http://%s/" % DEV_ADDR], timeout=90, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert p.returncode == 0, p.stderr[-2000:]
    after, _ = keelhttp.metrics(dut)
    d_req = metric(after, "keel_http_requests_total") - metric(before, "keel_http_requests_total")
    d_conn = (metric(after, "keel_netstat_Tcp_PassiveOpens")
              - metric(before, "keel_netstat_Tcp_PassiveOpens"))
    tw = metric(after, "keel_tcp_connections", state="TIME_WAIT")
    print("\n[keepalive %s] Chromium: %d requests on %d connections; device TIME_WAIT %d"
          % (dut.board, d_req - 1, d_conn - 1, tw))
    assert d_req - 1 >= 8, "the page did not refresh: %d requests" % (d_req - 1)
    assert d_conn - 1 <= 3, (d_req, d_conn)
    # Chromium closed its connections when it quit: the client holds those
    # TIME_WAITs; the scrape above is the device's only own close.
    assert tw <= 1, tw
    assert re.search(r'id="cs"', p.stdout)
