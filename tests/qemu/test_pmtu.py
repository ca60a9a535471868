"""Path MTU discovery (RFC 1191) through a real Linux router: the test's
namespace forwards between the device (192.0.2.0/25 on the TAP) and a
client namespace (192.0.2.128/25) over a veth whose router side has a
1280-byte MTU.  The client's SYN says MSS 1460 (its own side is 1500), so
the device's full segments meet the narrow link, Linux answers ICMP
"fragmentation needed" with MTU 1280, and a 1 MiB chargen transfer must
still complete -- at MSS 1240 on the device's side (1228 with timestamps)."""
import os
import re
import socket

import pytest

import keelqemu
import nssock
from keelqemu import DEV_ADDR
from xfer import chargen_check, read_n

ROUTER_LAN = "192.0.2.1"          # the TAP: the device's gateway
ROUTER_WAN = "192.0.2.129"        # the router's side of the narrow link
CLIENT = "192.0.2.130"
NARROW_MTU = 1280
SIZE = 1 << 20


class ClientNs:
    """A second namespace keel-<pid>-<n> behind the test namespace's router."""

    def __init__(self, router):
        keelqemu._ns_counter[0] += 1
        self.name = "%s%d-%d" % (keelqemu.NS_PREFIX, os.getpid(), keelqemu._ns_counter[0])
        self.router = router
        keelqemu.run(["ip", "netns", "add", self.name])
        keelqemu._register(self)
        self.closed = False
        r = lambda *a: router.run(list(a))
        c = lambda *a: keelqemu.run(["ip", "netns", "exec", self.name] + list(a))
        c("ip", "link", "set", "lo", "up")
        r("ip", "link", "add", "keelr0", "type", "veth", "peer", "name", "keelc0")
        r("ip", "link", "set", "keelc0", "netns", self.name)
        r("ip", "addr", "add", ROUTER_WAN + "/25", "dev", "keelr0")
        r("ip", "link", "set", "keelr0", "mtu", str(NARROW_MTU), "up")
        r("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward")
        c("ip", "addr", "add", CLIENT + "/25", "dev", "keelc0")
        c("ip", "link", "set", "keelc0", "mtu", "1500", "up")
        c("ip", "route", "add", "192.0.2.0/25", "via", ROUTER_WAN)

    def close(self):
        if self.closed:
            return
        self.closed = True
        keelqemu._kill_ns_pids(self.name)
        keelqemu.run(["ip", "netns", "del", self.name], check=False, timeout=10)
        keelqemu._unregister(self)


@pytest.fixture
def routed(fresh_dut, request):
    dut = fresh_dut
    client = ClientNs(dut.ns)
    request.addfinalizer(client.close)
    out = dut.cmd("ifconfig %s/25 gw %s" % (DEV_ADDR, ROUTER_LAN))
    assert "gateway %s" % ROUTER_LAN in out, out
    return dut, client


def test_chargen_1mib_through_1280_link(routed):
    dut, client = routed
    before = dut.counters("netstat -s TcpExt")
    s = nssock.connect(client.name, DEV_ADDR, 19, timeout=10)
    try:
        s.settimeout(10)
        data = read_n(s, SIZE, bound=120)
        chargen_check(data, 0)
        ss = dut.cmd("ss -i state established")
    finally:
        s.close()
    after = dut.counters("netstat -s TcpExt")
    assert after["TcpExt.TCPPmtuUpdates"] >= before["TcpExt.TCPPmtuUpdates"] + 1, after
    m = re.search(r"%s:19\s+%s:\d+\n\s+.*mss:(\d+)" % (re.escape(DEV_ADDR), re.escape(CLIENT)), ss)
    # 1280 - 40, less the 12 bytes of timestamps when Linux agreed to them
    assert m and int(m.group(1)) in (NARROW_MTU - 40, NARROW_MTU - 52), ss
