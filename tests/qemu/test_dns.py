"""DNS stub resolver (RFC 1035) against dnsmasq in the test's namespace:
the server DHCP gave answers `host NAME` on the console, the answer is
cached for its TTL, an unknown name is NXDOMAIN, `nc` takes a name, and a
server set on the console (`dns ADDR`) serves a static configuration."""
import re
import socket
import threading

import pytest

import keelqemu
import nssock
from dnsmasq import STATIC_NAMES, Dnsmasq
from keelqemu import HOST_ADDR


@pytest.fixture(scope="module")
def dns_dut(request, board):
    servers = []

    def start_server(ns):
        servers.append(Dnsmasq(ns, keelqemu.MACS[board], 3600))

    try:
        dut = keelqemu.Dut(board, log_name="%s-test_dns" % board, before_qemu=start_server,
                           dhcp=True)
    except keelqemu.RigError as e:
        pytest.fail("qemu rig: %s" % e, pytrace=False)
    request.addfinalizer(dut.close)
    request.addfinalizer(lambda: [s.close() for s in servers])
    dut.server = servers[0]
    dut.console.expect(r"dhcp: leased ip ", timeout=30)
    dut.console.expect(re.escape(keelqemu.Console.PROMPT), timeout=5)
    return dut


def test_host_resolves_and_caches(dns_dut):
    dut = dns_dut
    assert "nameserver %s" % HOST_ADDR in dut.cmd("dns")
    before = dut.counters("netstat -s Dns")
    out = dut.cmd("host keel.test", timeout=15)
    assert out.strip() == "keel.test has address %s" % STATIC_NAMES["keel.test"], out
    out = dut.cmd("host KEEL.test", timeout=15)
    assert "has address %s" % STATIC_NAMES["keel.test"] in out, out
    after = dut.counters("netstat -s Dns")
    assert after["Dns.OutQueries"] == before["Dns.OutQueries"] + 1, after
    assert after["Dns.CacheHits"] == before["Dns.CacheHits"] + 1, after
    assert dut.server.log().count("query[A] keel.test") == 1


def test_unknown_name_nxdomain(dns_dut):
    out = dns_dut.cmd("host nope.test", timeout=15)
    assert out.strip() == "Host nope.test not found: 3(NXDOMAIN)", out


def test_nc_connects_to_a_name(dns_dut):
    dut = dns_dut
    lst = nssock.socket_in(dut.ns.name, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((HOST_ADDR, 7777))
    lst.listen(1)
    lst.settimeout(15)

    def serve():
        try:
            c, _ = lst.accept()
            c.sendall(b"hello by name\n")
            c.close()
        except OSError:
            pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        out = dut.cmd("nc router.test 7777", timeout=20)
    finally:
        t.join(5)
        lst.close()
    assert "hello by name" in out, out


def test_server_set_on_console(dns_dut):
    dut = dns_dut
    try:
        out = dut.cmd("dns 192.0.2.99")           # nobody there
        assert "nameserver 192.0.2.99" in out
        out = dut.cmd("host keel.test", timeout=30)
        assert "connection timed out" in out, out
        out = dut.cmd("dns %s" % HOST_ADDR)
        out = dut.cmd("host router.test", timeout=15)
        assert "router.test has address %s" % HOST_ADDR in out, out
    finally:
        dut.cmd("dns dhcp")
