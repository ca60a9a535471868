"""The status page the way the README tells a user to open it: `make run`'s
QEMU user networking with its forwarded ports, and a browser at
http://localhost:8080/.

The device's network here is `make run`'s own -nic (read from `make -n run`,
so the test follows the Makefile), inside the test's namespace: its
localhost:8080 is that namespace's, nothing on the host is touched.
Chromium treats localhost as a secure context and sends client hints and
Sec-Fetch-* headers: a 644-byte request that the 512-byte request buffer
of old answered with 400."""
import os
import re
import shlex
import shutil
import subprocess
import tempfile

import pytest

import keelhttp
import keelqemu
from keelqemu import PY, ROOT

CHROMIUM = "/usr/bin/chromium"
PORT = 8080


def run_nic(board):
    """The -nic argument `make run` gives QEMU for this board."""
    p = subprocess.run(["make", "-s", "-n", "-C", ROOT, "BOARD=" + board, "run"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    text = p.stdout.replace("\\\n", " ")
    line = next((ln for ln in text.splitlines() if ln.lstrip().startswith("qemu-system-arm")), None)
    assert line, "no qemu-system-arm command in `make -n run`:\n" + p.stdout + p.stderr
    argv = shlex.split(line)
    nic = argv[argv.index("-nic") + 1]
    assert nic.startswith("user,") and "hostfwd=tcp:127.0.0.1:%d-192.0.2.2:80" % PORT in nic, nic
    return nic


@pytest.fixture(scope="module")
def run_dut(request, board):
    nic = run_nic(board)
    try:
        dut = keelqemu.Dut(board, log_name="%s-browser" % board,
                           nic=lambda model, mac: ["-nic", "%s,mac=%s" % (nic, mac)])
    except keelqemu.RigError as e:
        pytest.fail("qemu rig: %s" % e, pytrace=False)
    request.addfinalizer(dut.close)
    return dut


def chromium(dut, url, *args, timeout=90):
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium not installed: scripts/deps.sh test", pytrace=False)
    profile = tempfile.mkdtemp(prefix="keel-chromium-")
    try:
        return dut.ns.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-quic", "--no-first-run", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync",
                           "--user-data-dir=" + profile] + list(args) + [url],
                          timeout=timeout, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# A client in the namespace: sends argv[1] (hex) to localhost:PORT, prints
# the reply (latin-1).  Bounded by its socket timeouts.
_LOCAL = r"""
import socket, sys
s = socket.create_connection(("127.0.0.1", %d), timeout=10)
s.sendall(bytes.fromhex(sys.argv[1]))
buf = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    buf += d
sys.stdout.write(buf.decode("latin-1"))
""" % PORT


def local_request(dut, data):
    p = dut.ns.run([PY, "-c", _LOCAL, data.hex()], timeout=40, check=False)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_chromium_at_localhost_gets_the_status_page(run_dut):
    p = chromium(run_dut, "http://localhost:%d/" % PORT, "--dump-dom")
    assert p.returncode == 0, p.stderr[-2000:]
    dom = p.stdout
    assert "Bad Request" not in dom, dom[:500]
    assert "<h1>keel on %s</h1>" % run_dut.board in dom, dom[:500]
    assert "Connections by state" in dom


def test_four_kib_head_through_the_forwarded_port(run_dut):
    pad = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"d" * 120) for i in range(32))
    req = (b"GET /metrics HTTP/1.1\r\nHost: localhost:%d\r\nConnection: close\r\n" % PORT
           + pad + b"\r\n")
    assert len(req) > 4096
    reply = local_request(run_dut, req)
    assert keelhttp.status_of(reply) == 200, reply[:300]
    # (text mode: CRLF arrives as LF)
    samples = keelhttp.parse_metrics(reply.partition("\n\n")[2])[0]
    # Nothing answered with 400 so far: Chromium's request above was served.
    assert keelhttp.metric(samples, "keel_http_request_errors_total", code="400") == 0
    assert keelhttp.metric(samples, "keel_http_request_errors_total", code="431") == 0
