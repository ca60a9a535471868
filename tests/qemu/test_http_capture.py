"""HTTP /capture.pcap: the last frames in and out as a classic pcap file;
tshark reads it and finds the test's own handshake.  The ring is frozen
while a reader streams it, so the response never captures itself."""
import os
import shutil
import struct
import subprocess

import pytest

import keelhttp
import keelqemu
from keelhttp import ARTIFACTS


@pytest.fixture(scope="module", autouse=True)
def need_tshark():
    if shutil.which("tshark") is None:
        pytest.fail("tshark not installed: scripts/deps.sh test", pytrace=False)


def fetch_pcap(dut, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, "capture-%s-%s.pcap" % (dut.board, name))
    status, headers, body = keelhttp.get(dut, "/capture.pcap", out=path)
    assert status == 200, status
    assert headers["content-type"] == "application/vnd.tcpdump.pcap"
    return path, body


def tshark(path, *args):
    p = subprocess.run(["tshark", "-n", "-r", path] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_pcap_header_and_records(dut):
    path, body = fetch_pcap(dut, "header")
    magic, vmaj, vmin, _, _, snaplen, linktype = struct.unpack("<IHHiIII", body[:24])
    assert (magic, vmaj, vmin, linktype) == (0xa1b2c3d4, 2, 4, 1)
    assert 64 <= snaplen <= 255
    # Walk the records: lengths consistent, none over snaplen, ends exactly.
    off, n, last_ts = 24, 0, -1
    while off < len(body):
        sec, usec, incl, orig = struct.unpack("<IIII", body[off:off + 16])
        assert incl <= snaplen and incl <= orig and usec < 1000000
        ts = sec * 1000000 + usec
        assert ts >= last_ts, "timestamps go backwards"
        last_ts = ts
        off += 16 + incl
        n += 1
    assert off == len(body) and n >= 4


def test_pcap_shows_our_own_handshake(dut):
    sport = 40123
    p = dut.ns.run(["curl", "-sS", "-m", "10", "--local-port", str(sport), "-o", "/dev/null",
                    "http://%s/connections" % dut.addr], timeout=20, check=False)
    assert p.returncode == 0, p.stderr
    path, _ = fetch_pcap(dut, "handshake")
    # The SYN of the connection just made ...
    out = tshark(path, "-Y", "ip.src==%s && tcp.dstport==80 && tcp.srcport==%d && "
                 "tcp.flags.syn==1 && tcp.flags.ack==0" % (keelqemu.HOST_ADDR, sport))
    assert out.strip(), tshark(path)
    # ... its SYN-ACK from the device, and the request.
    assert tshark(path, "-Y", "ip.src==%s && tcp.srcport==80 && tcp.dstport==%d && "
                  "tcp.flags.syn==1 && tcp.flags.ack==1" % (dut.addr, sport)).strip()
    # And the pcap request's own SYN (the ring froze after it arrived) but
    # not the frames of the pcap response: no segment from port 80 carries
    # the pcap's magic.
    allout = tshark(path, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport",
                    "-e", "tcp.payload")
    assert "d4c3b2a1" not in allout.replace(":", ""), "the pcap captured itself"


def test_pcap_frozen_while_read_missed_counted(dut):
    s1, _ = keelhttp.metrics(dut)
    fetch_pcap(dut, "frozen")
    s2, _ = keelhttp.metrics(dut)
    # The response's own frames were seen while frozen: counted as missed.
    assert keelhttp.metric(s2, "keel_capture_missed_total") > \
        keelhttp.metric(s1, "keel_capture_missed_total")
    assert keelhttp.metric(s2, "keel_capture_bytes") > 0
    assert keelhttp.metric(s2, "keel_capture_frames") >= 4
    # Thawed again: the scrape after the pcap was captured.
    assert keelhttp.metric(s2, "keel_pool_in_use", pool="tcb") >= 1
