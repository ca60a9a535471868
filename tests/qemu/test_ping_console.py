"""`ping` on the device's console (RFC 792 echo requests to Linux), with
Linux ping's output shape and RTT summary."""
import re

from keelqemu import HOST_ADDR


def test_ping_linux_host(dut):
    out = dut.cmd("ping -c 3 %s" % HOST_ADDR, timeout=15)
    lines = out.splitlines()
    assert lines[0] == "PING %s (%s) 56(84) bytes of data." % (HOST_ADDR, HOST_ADDR), out
    replies = [l for l in lines if "bytes from" in l]
    assert len(replies) == 3, out
    for i, l in enumerate(replies, 1):
        assert re.fullmatch(r"64 bytes from %s: icmp_seq=%d ttl=64 time=\d+(\.\d+)? ms"
                            % (re.escape(HOST_ADDR), i), l), l
    assert "--- %s ping statistics ---" % HOST_ADDR in out
    assert re.search(r"^3 packets transmitted, 3 received, 0% packet loss, time \d+ms$", out, re.M), out
    assert re.search(r"^rtt min/avg/max/mdev = [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms$", out, re.M), out
    c = dut.counters("netstat -s Icmp")
    assert c["Icmp.OutEchos"] >= 3 and c["Icmp.InEchoReps"] >= 3, c


def test_ping_size_and_loss(dut):
    out = dut.cmd("ping -c 2 -s 1000 %s" % HOST_ADDR, timeout=15)
    assert "PING %s (%s) 1000(1028) bytes of data." % (HOST_ADDR, HOST_ADDR) in out, out
    assert out.count("1008 bytes from %s" % HOST_ADDR) == 2, out
    # Nobody at .99: no replies, 100% loss, and no rtt line.
    out = dut.cmd("ping -c 2 192.0.2.99", timeout=15)
    assert "2 packets transmitted, 0 received, 100% packet loss" in out, out
    assert "rtt" not in out
    out = dut.cmd("ping -s 5000 %s" % HOST_ADDR)
    assert "invalid -s value" in out, out
