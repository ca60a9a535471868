"""iperf2 server on port 5001: Debian's iperf 2.1 client runs a 3-second
TCP test to the end and reports a bandwidth; the device frees the
connection afterwards."""
import re
import shutil
import time

import pytest

import keelhttp
from keelhttp import metric


@pytest.fixture(scope="module", autouse=True)
def need_iperf():
    if shutil.which("iperf") is None:
        pytest.fail("iperf (2.x) not installed: scripts/deps.sh test", pytrace=False)


def test_iperf_3s_reports_bandwidth(dut):
    before, _ = keelhttp.metrics(dut)
    t0 = time.monotonic()
    p = dut.ns.run(["iperf", "-c", dut.addr, "-t", "3", "-f", "k"], timeout=40, check=False)
    took = time.monotonic() - t0
    assert p.returncode == 0, p.stdout + p.stderr
    m = re.search(r"sec\s+(\d+(?:\.\d+)?)\s+KBytes\s+(\d+(?:\.\d+)?)\s+Kbits/sec", p.stdout)
    assert m, "no bandwidth in iperf's report:\n" + p.stdout + p.stderr
    kbytes, kbits = float(m.group(1)), float(m.group(2))
    assert kbytes > 100 and kbits > 100, p.stdout
    assert took < 15, "iperf did not finish on time (%.1fs):\n%s" % (took, p.stdout)
    print("iperf on %s: %.0f Kbit/s" % (dut.board, kbits))
    # The device read everything and the connection is gone.
    deadline = time.monotonic() + 5
    while True:
        after, _ = keelhttp.metrics(dut)
        if metric(after, "keel_pool_in_use", pool="tcb") <= 1 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert metric(after, "keel_pool_in_use", pool="tcb") == 1, "TCB left behind"  # the scrape
    assert metric(after, "keel_netstat_Tcp_PassiveOpens") >= \
        metric(before, "keel_netstat_Tcp_PassiveOpens") + 2
    assert metric(after, "keel_netstat_Tcp_EstabResets") == \
        metric(before, "keel_netstat_Tcp_EstabResets")
    assert metric(after, "keel_netstat_Tcp_InSegs") - \
        metric(before, "keel_netstat_Tcp_InSegs") > kbytes * 1024 / 1460 * 0.9


def test_iperf_twice_in_a_row(dut):
    for _ in range(2):
        p = dut.ns.run(["iperf", "-c", dut.addr, "-t", "1", "-f", "k"], timeout=30, check=False)
        assert p.returncode == 0 and "Kbits/sec" in p.stdout, p.stdout + p.stderr
