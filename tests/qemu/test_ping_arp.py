"""ICMP echo and ARP against the Linux kernel and scapy, over the TAP."""
from scapy.all import ARP, Ether

from keelqemu import DEV_ADDR, HOST_ADDR


def _ping_ok(dut, **kw):
    sent, recv, out = dut.ns.ping(**kw)
    assert sent == kw.get("count", 20) and recv == sent, "lost echoes:\n" + out


def test_ping_20_no_loss(dut):
    _ping_ok(dut, count=20, interval=0.05)


def test_ping_1400_byte_payload_no_loss(dut):
    _ping_ok(dut, count=20, interval=0.05, size=1400)


def test_ping_largest_unfragmented(dut):
    # 1472 bytes of payload + 8 ICMP + 20 IP = 1500, the MTU.
    _ping_ok(dut, count=5, interval=0.05, size=1472)


def test_ping_flood_bounded_no_loss(dut):
    # Back-to-back echoes (bounded: 300 requests, a deadline): the driver's
    # receive path and the console must both survive it.
    before = dut.counters()
    _ping_ok(dut, count=300, flood=True, size=1000)
    after = dut.counters()
    key = dut.counter(after, "Icmp", "OutEchoReps", "icmp.out_echo_reps")
    assert after[key] - before[key] == 300
    assert dut.board in dut.cmd("version")


def test_kernel_learns_device_mac(dut):
    _ping_ok(dut, count=2, interval=0.05)
    lladdr, line = dut.ns.neigh(DEV_ADDR)
    assert lladdr == dut.mac, "ip neigh: %r, expected %s" % (line, dut.mac)


def _arp_request(dut, pdst):
    req = Ether(src=dut.ns.mac, dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=dut.ns.mac, psrc=HOST_ADDR, hwdst="00:00:00:00:00:00", pdst=pdst)
    r = dut.ns.scapy("sendrecv", frames=[bytes(req).hex()], src=dut.mac,
                     timeout=2.0, count=1)
    return [Ether(bytes.fromhex(h)) for h in r["frames"]]


def test_scapy_arp_request_gets_correct_reply(dut):
    got = [p for p in _arp_request(dut, DEV_ADDR) if p.haslayer(ARP)]
    assert got, "no ARP reply from the device"
    p = got[0]
    a = p[ARP]
    assert a.op == 2, p.show(dump=True)
    assert p[Ether].dst == dut.ns.mac and p[Ether].src == dut.mac, p.show(dump=True)
    assert (a.hwsrc, a.psrc) == (dut.mac, DEV_ADDR), p.show(dump=True)
    assert (a.hwdst, a.pdst) == (dut.ns.mac, HOST_ADDR), p.show(dump=True)
    assert (a.hwtype, a.ptype, a.hwlen, a.plen) == (1, 0x0800, 6, 4), p.show(dump=True)


def test_arp_request_for_other_address_is_ignored(dut):
    got = [p for p in _arp_request(dut, "192.0.2.77") if p.haslayer(ARP) and p[ARP].op == 2]
    assert not got, "device answered ARP for an address it does not own:\n" + \
        got[0].show(dump=True)
