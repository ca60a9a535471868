"""HTTP status page (rendered in headless Chromium, screenshot kept under
build/artifacts/), /connections as JSON, and the status codes of the
request parser (404, 405, HEAD)."""
import json
import os
import shutil
import tempfile
import time

import pytest

import keelhttp
from keelhttp import ARTIFACTS

CHROMIUM = "/usr/bin/chromium"


def test_connections_json(dut):
    status, headers, body = keelhttp.get(dut, "/connections")
    assert status == 200
    assert headers["content-type"] == "application/json"
    # curl asks HTTP/1.1 and does not ask to close: kept open, chunked
    assert headers["transfer-encoding"] == "chunked" and "connection" not in headers
    rows = json.loads(body)
    assert isinstance(rows, list)
    listeners = {r["local"] for r in rows if r["kind"] == "listener"}
    for port in (7, 9, 13, 19, 80, 5001):
        assert "%s:%d" % (dut.addr, port) in listeners, listeners
    for r in rows:
        assert set(r) >= {"state", "local", "remote", "recv_q", "send_q", "timer", "timer_ms"}, r
        assert r["state"] in ("LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
                              "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"), r
        assert r["recv_q"] >= 0 and r["send_q"] >= 0
    # Our own request: established, from the namespace's address to port 80.
    mine = [r for r in rows if r["kind"] == "tcb" and r["local"] == "%s:80" % dut.addr
            and r["remote"].startswith("192.0.2.1:") and r["state"] == "ESTABLISHED"]
    assert mine, rows
    lst80 = [r for r in rows if r["kind"] == "listener" and r["local"].endswith(":80")][0]
    assert lst80["remote"] == "0.0.0.0:*" and lst80["send_q"] >= 1   # backlog


def test_status_page_html(dut):
    status, headers, body = keelhttp.get(dut, "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    html = body.decode()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    # Live without reloading (the script), a reload without script, a phone's width.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in html
    for cid in ('id=cs', 'id=pl', 'id=rt', 'id=live'):
        assert cid in html, cid
    assert "<script>" in html and "fetch(" in html and "/history.json" in html
    assert "http://" not in html and "https://" not in html   # no external resources
    for word in ("ESTABLISHED", "TIME_WAIT", "Pools", "SYN q", "accept q", "PassiveOpens",
                 dut.board):
        assert word in html, word


def test_status_page_renders_in_chromium(dut):
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium not installed: scripts/deps.sh test", pytrace=False)
    os.makedirs(ARTIFACTS, exist_ok=True)
    shot = os.path.join(ARTIFACTS, "status-%s.png" % dut.board)
    if os.path.exists(shot):
        os.unlink(shot)
    # Some traffic first, so the page has something to show.
    for _ in range(3):
        keelhttp.get(dut, "/metrics")
    profile = tempfile.mkdtemp(prefix="keel-chromium-")
    try:
        p = dut.ns.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + profile, "--screenshot=" + shot,
                        "--window-size=1024,768", "http://%s/" % dut.addr],
                       timeout=90, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert p.returncode == 0, p.stderr[-2000:]
    assert os.path.exists(shot), p.stderr[-2000:]
    with open(shot, "rb") as f:
        png = f.read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 20000, "screenshot suspiciously small (blank page?)"
    # The device is fine afterwards: Chromium's connections all went away.
    samples, _ = keelhttp.metrics(dut)
    assert keelhttp.metric(samples, "keel_pool_in_use", pool="tcb") <= 3


def test_history_endpoints(dut):
    deadline = time.monotonic() + 6           # the first sample comes a period after boot
    while True:
        status, headers, body = keelhttp.get(dut, "/history.json?n=3")
        assert status == 200 and headers["content-type"] == "application/json"
        h = json.loads(body)
        if h["samples"] or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert h["period_ms"] == 1000 and 1 <= len(h["samples"]) <= 3, body
    assert h["states"][0] == "LISTEN" and h["states"][-1] == "TIME_WAIT"
    s = h["samples"][-1]
    assert s["s"][0] == 6 and len(s["p"]) == len(h["pools"]) and len(s["r"]) == len(h["rates"])
    r = keelhttp.raw(dut, "HEAD /history.csv HTTP/1.0\r\n\r\n")
    head, _, body = r["reply"].partition("\r\n\r\n")
    assert keelhttp.status_of(head) == 200 and "Content-Type: text/csv" in head and body == "", r


def test_unknown_path_404(dut):
    status, headers, body = keelhttp.get(dut, "/no/such/page?x=1")
    assert status == 404 and headers["connection"] == "close"
    assert b"404" in body


def test_query_string_is_ignored(dut):
    status, _, body = keelhttp.get(dut, "/metrics?name=x")
    assert status == 200 and b"keel_tcp_connections" in body


def test_post_is_405(dut):
    status, headers, _ = keelhttp.get(dut, "/metrics", method="POST")
    assert status == 405
    assert "GET" in headers.get("allow", ""), headers


def test_head_has_no_body(dut):
    r = keelhttp.raw(dut, "HEAD /metrics HTTP/1.0\r\n\r\n")
    assert keelhttp.status_of(r["reply"]) == 200, r
    assert r["closed"], r
    head, _, body = r["reply"].partition("\r\n\r\n")
    assert "Content-Type: text/plain" in head and body == "", r


def test_http10_and_bare_lf(dut):
    r = keelhttp.raw(dut, "GET /connections HTTP/1.0\nUser-Agent: t\n\n")
    assert keelhttp.status_of(r["reply"]) == 200 and r["closed"], r
    json.loads(r["reply"].partition("\n\n")[2] or r["reply"].partition("\r\n\r\n")[2])


def test_every_row_fit_the_stage(dut):
    # Every page once (and its HEAD), then no generator row was ever dropped.
    for path in ("/", "/metrics", "/connections", "/capture.pcap", "/history.json",
                 "/history.csv", "/nope"):
        keelhttp.get(dut, path)
        keelhttp.get(dut, path, method="HEAD")
    samples, _ = keelhttp.metrics(dut)
    assert keelhttp.metric(samples, "keel_http_rows_too_long_total") == 0
