"""HTTP request parsing under abuse: garbage gets 400 (or the status RFC
9110/9112 name: 414, 431, 501, 505), big but realistic heads are served,
slow and silent clients time out, every connection is freed, and the
device stays healthy."""
import time

import keelhttp
from keelhttp import metric

GARBAGE = [
    b"\x00\x01\x02garbage\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET /\r\n\r\n",                          # HTTP/0.9 style
    b"GET  / HTTP/1.1\r\n\r\n",                # two spaces
    b"GET index HTTP/1.1\r\n\r\n",             # not origin-form
    b"GET / HTTP/1.1 \r\n\r\n",
    b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
    b"GET / HTTP/1.1\r\n folded: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
    b"\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",                  # HTTP/1.1 without Host (RFC 9112 3.2)
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",      # space before the colon (5.1)
]


def test_garbage_gets_400(dut):
    for req in GARBAGE:
        r = keelhttp.raw(dut, req, deadline=5)
        assert keelhttp.status_of(r["reply"]) == 400, (req, r)
        assert "Connection: close" in r["reply"], r
        assert r["closed"], (req, r)


def test_other_errors_have_their_status(dut):
    for req, code in ((b"GET / HTTP/2.0\r\n\r\n", 505),
                      (b"AVERYVERYVERYLONGMETHODNAME / HTTP/1.1\r\n\r\n", 501),
                      (b"BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501)):
        r = keelhttp.raw(dut, req, deadline=5)
        assert keelhttp.status_of(r["reply"]) == code, (req, r)
        assert r["closed"], (req, r)


def test_big_heads_are_served(dut):
    # 4 KiB of header fields (a desktop browser with cookies): once past the
    # 512-byte stage, now streamed.  And one 4 KiB field line.
    pad = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"c" * 120) for i in range(32))
    req = b"GET /metrics HTTP/1.1\r\nHost: 192.0.2.2\r\nConnection: close\r\n" + pad + b"\r\n"
    assert len(req) > 4096
    r = keelhttp.raw(dut, req, deadline=8)
    assert keelhttp.status_of(r["reply"]) == 200, r["reply"][:200]
    assert "keel_tcp_connections" in r["reply"] and r["closed"], r["reply"][-200:]
    req = (b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: " + b"k=v; " * 800
           + b"\r\n\r\n")
    r = keelhttp.raw(dut, req, deadline=8)
    assert keelhttp.status_of(r["reply"]) == 200, r["reply"][:200]
    assert r["reply"].rstrip().endswith("</html>"), r["reply"][-200:]
    # A long target that is no page of ours: 404.
    r = keelhttp.raw(dut, b"GET /" + b"x" * 700 + b" HTTP/1.1\r\nHost: x\r\n\r\n", deadline=8)
    assert keelhttp.status_of(r["reply"]) == 404, r


def test_oversize_heads_get_431_and_414(dut):
    # One field line past 8 KiB, and a head past 16 KiB in 4 KiB lines.
    for req in (b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 9000 + b"\r\n\r\n",
                b"GET / HTTP/1.1\r\nHost: x\r\n" +
                b"".join(b"X-%d: %s\r\n" % (i, b"a" * 4000) for i in range(5)) + b"\r\n"):
        r = keelhttp.raw(dut, req, deadline=8)
        assert keelhttp.status_of(r["reply"]) == 431, r["reply"][:200]
        assert r["closed"], r
    # A request target past 8 KiB.
    r = keelhttp.raw(dut, b"GET /" + b"x" * 9000 + b" HTTP/1.1\r\n\r\n", deadline=8)
    assert keelhttp.status_of(r["reply"]) == 414, r["reply"][:200]
    samples, _ = keelhttp.metrics(dut)
    assert metric(samples, "keel_http_request_errors_total", code="431") >= 2
    assert metric(samples, "keel_http_request_errors_total", code="414") >= 1


def test_request_in_small_pieces_is_fine(dut):
    # Sent 256 bytes at a time with pauses: the parser waits for the end.
    req = (b"GET /metrics HTTP/1.1\r\nHost: 192.0.2.2\r\nConnection: close\r\n" + b"X-A: "
           + b"b" * 300 + b"\r\n\r\n")
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
