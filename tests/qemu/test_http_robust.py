"""HTTP request parsing under abuse: garbage, oversize, slow and silent
clients get 400 or a timeout, every connection is freed, and the device
stays healthy."""
import time

import keelhttp
from keelhttp import metric

GARBAGE = [
    b"\x00\x01\x02garbage\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/2.0\r\n\r\n",
    b"GET /\r\n\r\n",                          # HTTP/0.9 style
    b"GET  / HTTP/1.1\r\n\r\n",                # two spaces
    b"GET index HTTP/1.1\r\n\r\n",             # not origin-form
    b"GET / HTTP/1.1 \r\n\r\n",
    b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
    b"GET / HTTP/1.1\r\n folded: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
    b"\r\n\r\n",
    b"AVERYVERYVERYLONGMETHODNAME / HTTP/1.1\r\n\r\n",
]


def test_garbage_gets_400(dut):
    for req in GARBAGE:
        r = keelhttp.raw(dut, req, deadline=5)
        assert keelhttp.status_of(r["reply"]) == 400, (req, r)
        assert "Connection: close" in r["reply"], r
        assert r["closed"], (req, r)


def test_oversize_request_gets_400(dut):
    # 4 KiB of headers: far past the 512-byte request buffer.
    req = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 4096 + b"\r\n\r\n"
    r = keelhttp.raw(dut, req, deadline=8)
    assert keelhttp.status_of(r["reply"]) == 400, r
    assert r["closed"], r
    # A long request target too.
    r = keelhttp.raw(dut, b"GET /" + b"x" * 700 + b" HTTP/1.1\r\n\r\n", deadline=8)
    assert keelhttp.status_of(r["reply"]) == 400, r


def test_request_in_small_pieces_is_fine(dut):
    # Sent 256 bytes at a time with pauses: the parser waits for the end.
    req = b"GET /metrics HTTP/1.1\r\nHost: 192.0.2.2\r\n" + b"X-A: " + b"b" * 300 + b"\r\n\r\n"
    r = keelhttp.raw(dut, req, deadline=8, delay=0.2)
    assert keelhttp.status_of(r["reply"]) == 200, r["reply"][:200]
    assert "keel_tcp_connections" in r["reply"]


def test_silent_client_is_closed_after_timeout(dut):
    # Connects, says nothing: the device drops it after its 10 s limit.
    r = keelhttp.raw(dut, b"", deadline=20)
    assert r["closed"], r
    assert 8.0 <= r["seconds"] <= 16.0, r
    assert r["reply"] == "", r


def test_slow_client_is_closed_after_timeout(dut):
    # Half a request, then silence.
    r = keelhttp.raw(dut, b"GET /metrics HTTP/1.1\r\nHost:", deadline=20)
    assert r["closed"], r
    assert 8.0 <= r["seconds"] <= 16.0, r


def test_device_healthy_and_tcbs_free_afterwards(dut):
    deadline = time.monotonic() + 5
    while True:
        samples, _ = keelhttp.metrics(dut)
        if metric(samples, "keel_pool_in_use", pool="tcb") == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    # Only the scrape's own TCB is in use; no half-open entries left.
    assert metric(samples, "keel_pool_in_use", pool="tcb") == 1
    assert metric(samples, "keel_pool_in_use", pool="syn_queue") == 0
    assert metric(samples, "keel_tcp_connections", state="ESTABLISHED") == 1
    assert metric(samples, "keel_tcp_connections", state="CLOSE_WAIT") == 0
    sent, recv, out = dut.ns.ping(count=5, interval=0.05)
    assert recv == sent == 5, out
    status, _, _ = keelhttp.get(dut, "/")
    assert status == 200
    out = dut.cmd("netstat")
    assert "ESTABLISHED" in out or "unknown" in out, out
