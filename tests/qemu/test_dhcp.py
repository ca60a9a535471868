"""DHCP client (RFC 2131) against a real server: dnsmasq in the test's
namespace leases 192.0.2.2 for 40 s with T1 10 s and T2 20 s, so
renewal, rebinding and expiry all happen within the test; and QEMU's own
DHCP server (user networking, as `make run` uses it).  The device's clock
may run slower than the host's on a loaded machine (QEMU), so waits for
its timers allow half as much again."""
import re
import time

import pytest

import keelqemu
from dnsmasq import Dnsmasq
from keelqemu import DEV_ADDR, HOST_ADDR

LEASE_S, T1_S, T2_S = 40, 10, 20
SLACK = 1.5   # host seconds per device second, at worst


@pytest.fixture
def leased(request, board):
    servers = []

    def start_server(ns):
        servers.append(Dnsmasq(ns, keelqemu.MACS[board], LEASE_S, T1_S, T2_S))

    name = "%s-%s" % (board, request.node.name.replace("/", "_"))
    try:
        dut = keelqemu.Dut(board, log_name=name, before_qemu=start_server, dhcp=True)
    except keelqemu.RigError as e:
        pytest.fail("qemu rig: %s" % e, pytrace=False)
    request.addfinalizer(dut.close)
    request.addfinalizer(lambda: [s.close() for s in servers])
    dut.server = servers[0]
    # The lease arrives as a console notice; nothing is typed before it.
    dut.console.expect(r"dhcp: leased ip %s/24 gw %s from %s for %d s"
                       % (re.escape(DEV_ADDR), re.escape(HOST_ADDR), re.escape(HOST_ADDR), LEASE_S),
                       timeout=30)
    dut.console.expect(re.escape(keelqemu.Console.PROMPT), timeout=5)
    return dut


def lease_info(dut):
    out = dut.cmd("ifconfig")
    return out, {m.group(1): m.group(2) for m in re.finditer(r"^(dhcp[.\w]*) (\S+)$", out, re.M)}


def test_lease_taken_and_renewed(leased):
    dut = leased
    out, info = lease_info(dut)
    assert "addr %s/24" % DEV_ADDR in out, out
    assert info["dhcp"] in ("bound", "renewing"), out
    assert info["dhcp.server"] == HOST_ADDR and info["dhcp.lease_s"] == str(LEASE_S), out
    assert info["dhcp.dns"] == HOST_ADDR, out
    assert int(info["dhcp.t1_in"]) <= T1_S and int(info["dhcp.t2_in"]) <= T2_S, out
    sent, got, _ = dut.ns.ping(count=3, interval=0.2)
    assert got == 3
    # T1 passes: the renewal is ACKed by the server, the address stays.
    time.sleep(T1_S * SLACK + 2)
    c = dut.counters("netstat -s Dhcp")
    assert c["Dhcp.InAcks"] >= 2 and c["Dhcp.InNaks"] == 0, c
    out, info = lease_info(dut)
    assert info["dhcp"] == "bound" and "addr %s/24" % DEV_ADDR in out, out
    assert int(info["dhcp.expires_in"]) > LEASE_S - T1_S - 5, out
    assert "DHCPACK(keeltap0) %s" % DEV_ADDR in dut.server.log()


def test_server_gone_rebinding_then_expiry_then_back(leased):
    dut = leased
    dut.server.stop()
    # Renewal unanswered (unicast), then at T2 rebinding (broadcast), then
    # at the end of the lease the address goes and discovery restarts.
    t0 = time.monotonic()
    dut.console.expect(r"dhcp: address dropped", timeout=LEASE_S * SLACK + 15)
    took = time.monotonic() - t0
    assert took > LEASE_S - T1_S - 15, "dropped after %.0f s, before the lease ran out" % took
    dut.console.expect(re.escape(keelqemu.Console.PROMPT), timeout=5)
    out, info = lease_info(dut)
    assert info["dhcp"] == "selecting" and "addr 0.0.0.0/" in out, out
    c = dut.counters("netstat -s Dhcp")
    assert c["Dhcp.Expiries"] == 1, c
    assert c["Dhcp.OutRequests"] >= 3, c   # REQUEST, renewal, rebinding
    # The server returns: discovery (retrying every 4-8 s) finds it.
    dut.server.start()
    dut.console.expect(r"dhcp: leased ip %s/24" % re.escape(DEV_ADDR), timeout=30)
    dut.console.expect(re.escape(keelqemu.Console.PROMPT), timeout=5)
    sent, got, _ = dut.ns.ping(count=3, interval=0.2)
    assert got == 3


def test_make_run_user_networking_leases_dev_addr(request, board):
    """`make run`'s QEMU user networking (its built-in DHCP server handing
    out 192.0.2.2): the device comes up on it by itself."""
    import subprocess
    make = subprocess.run(["make", "-s", "-n", "run"], cwd=keelqemu.ROOT, capture_output=True,
                          text=True, timeout=30)
    m = re.search(r"-nic (user,\S+?),model=", make.stdout)
    assert m, make.stdout
    user = m.group(1).replace("127.0.0.1:", "127.0.0.1:1")   # other host ports than make run's
    assert "dhcpstart=%s" % DEV_ADDR in user

    def nic(model, mac):
        return ["-nic", "%s,model=%s,mac=%s" % (user, model, mac)]

    name = "%s-%s" % (board, request.node.name.replace("/", "_"))
    dut = keelqemu.Dut(board, log_name=name, nic=nic, dhcp=True)
    request.addfinalizer(dut.close)
    # restrict=on: QEMU offers no router, so the gateway may be 0.0.0.0
    dut.console.expect(r"dhcp: leased ip %s/24 gw \S+ from 192.0.2.1" % re.escape(DEV_ADDR),
                       timeout=30)


def test_ifconfig_switches_static_and_dhcp(request, board):
    """`ifconfig dhcp` leases from a static start; `ifconfig ADDR` goes back
    to static and stops the client (no more DHCP traffic)."""
    servers = []
    name = "%s-%s" % (board, request.node.name.replace("/", "_"))
    dut = keelqemu.Dut(board, log_name=name, dhcp=False,
                       before_qemu=lambda ns: servers.append(
                           Dnsmasq(ns, keelqemu.MACS[board], LEASE_S, T1_S, T2_S)))
    request.addfinalizer(dut.close)
    request.addfinalizer(lambda: [s.close() for s in servers])
    out, info = lease_info(dut)
    assert info["dhcp"] == "static", out
    dut.console.sendline("ifconfig dhcp")
    dut.console.expect(r"dhcp: leased ip %s/24" % re.escape(DEV_ADDR), timeout=30)
    dut.console.expect(re.escape(keelqemu.Console.PROMPT), timeout=5)
    out, info = lease_info(dut)
    assert info["dhcp"] == "bound", out
    out = dut.cmd("ifconfig 192.0.2.9/24")
    assert "addr 192.0.2.9/24" in out, out
    before = dut.counters("netstat -s Dhcp")["Dhcp.OutRequests"]
    time.sleep(T1_S * SLACK + 1)     # past T1: a running client would renew now
    out, info = lease_info(dut)
    assert info["dhcp"] == "static" and "addr 192.0.2.9/24" in out, out
    assert dut.counters("netstat -s Dhcp")["Dhcp.OutRequests"] == before
