"""Malformed and unwanted frames from scapy: each kind is dropped, counted
under its own drop counter (read back through the console's `ifconfig`),
never answered, and the device still answers ping afterwards."""
import pytest
from scapy.all import ICMP, IP, IPOption, IPOption_NOP, Ether, Raw

from keelqemu import DEV_ADDR, HOST_ADDR

N = 3   # frames sent of each kind
PAYLOAD = b"keel-malformed-test-payload"


def _echo(dut, i, eth=None, icmp=None, **ip):
    e = dict(src=dut.ns.mac, dst=dut.mac)
    e.update(eth or {})
    ip.setdefault("src", HOST_ADDR)
    ip.setdefault("dst", DEV_ADDR)
    return bytes(Ether(**e) / IP(**ip) /
                 ICMP(type=8, id=0x4b00 + i, seq=1, **(icmp or {})) / Raw(PAYLOAD))


def _bad_ip_checksum(dut, i):
    good = bytes(_echo(dut, i))
    bad = bytearray(good)
    bad[14 + 10] ^= 0x5a          # IP header checksum
    return bytes(bad)


def _truncated_header(dut, i):
    # IHL 15 claims a 60-byte header; the frame (even padded to 60 bytes by
    # QEMU) holds at most 46 bytes of IP.
    hdr = bytes(IP(src=HOST_ADDR, dst=DEV_ADDR, proto=1, ihl=15, len=60))[:20]
    return bytes(Ether(src=dut.ns.mac, dst=dut.mac, type=0x0800) / Raw(hdr + b"\x01" * 8))


def _bad_icmp_checksum(dut, i):
    good = _echo(dut, i)
    bad = bytearray(good)
    bad[14 + 20 + 2] ^= 0x5a      # ICMP checksum
    return bytes(bad)


# kind -> (frame builder, counter that must rise by N, answered?).  A
# counter is (Linux's group, Linux's netstat -s name, the stack's name as
# `ifconfig` prints it: "<layer>.<field>", fields of struct *_stats in
# stack/*/*.h); firmware/counters.c maps one to the other.  Well-formed
# IP options are skipped and the datagram delivered (RFC 1122 3.2.1.8, see
# stack/ip/ipv4.c); source routes are dropped, as Linux does.
IP_CSUM = ("Ip", "InCsumErrors", "ip.in_csum_errors")
IP_HDR = ("Ip", "InHdrErrors", "ip.in_hdr_errors")
IP_TRUNC = ("Ip", "InTruncatedPkts", "ip.in_truncated")
IP_FRAG = ("Ip", "ReasmFails", "ip.in_fragments")
IP_MARTIAN = ("Ip", "InMartians", "ip.in_martians")
IP_SRCROUTE = ("Ip", "InSrcRouteDrops", "ip.in_srcroute")
IP_OPTIONS = ("Ip", "InOptions", "ip.in_options")
IP_ADDR = ("Ip", "InAddrErrors", "ip.in_addr_errors")
IP_PROTO = ("Ip", "InUnknownProtos", "ip.in_unknown_protos")
ICMP_CSUM = ("Icmp", "InCsumErrors", "icmp.in_csum_errors")
ETH_TYPE = ("Eth", "InUnknownType", "eth.in_unknown_type")

KINDS = {
    "ip_bad_checksum": (_bad_ip_checksum, IP_CSUM, False),
    "ip_truncated_header": (_truncated_header, IP_HDR, False),
    "ip_ihl_below_5": (lambda d, i: _echo(d, i, ihl=4), IP_HDR, False),
    "ip_length_beyond_frame": (lambda d, i: _echo(d, i, len=1000), IP_TRUNC, False),
    "ip_fragment_first": (lambda d, i: _echo(d, i, flags="MF", frag=0, id=0x1000 + i),
                          IP_FRAG, False),
    "ip_fragment_later": (lambda d, i: _echo(d, i, flags=0, frag=8, id=0x2000 + i),
                          IP_FRAG, False),
    "ip_martian_source": (lambda d, i: _echo(d, i, src="127.0.0.1"), IP_MARTIAN, False),
    # LSRR (131) through 192.0.2.1, then EOL.
    "ip_source_route_option": (
        lambda d, i: _echo(d, i, options=[IPOption(b"\x83\x07\x04\xc0\x00\x02\x01\x00")]),
        IP_SRCROUTE, False),
    # A timestamp option whose length runs past the header.
    "ip_malformed_option": (
        lambda d, i: _echo(d, i, options=[IPOption(b"\x44\x20\x05\x00")]), IP_HDR, False),
    "ip_nop_options": (lambda d, i: _echo(d, i, options=[IPOption_NOP()] * 4),
                       IP_OPTIONS, True),
    "ip_other_address": (lambda d, i: _echo(d, i, dst="192.0.2.77"), IP_ADDR, False),
    "ip_unknown_protocol": (lambda d, i: _echo(d, i, proto=253), IP_PROTO, False),
    "icmp_bad_checksum": (_bad_icmp_checksum, ICMP_CSUM, False),
    "eth_unknown_type": (lambda d, i: bytes(Ether(src=d.ns.mac, dst=d.mac, type=0x88b5) /
                                            Raw(PAYLOAD)), ETH_TYPE, False),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_malformed_dropped_and_counted(dut, kind):
    build, counter, answered_ok = KINDS[kind]
    before = dut.counters()
    key = dut.counter(before, *counter)
    frames = [build(dut, i) for i in range(N)]
    r = dut.ns.scapy("sendrecv", frames=[f.hex() for f in frames], src=dut.mac,
                     timeout=1.0, gap=0.02, count=N if answered_ok else 0)
    assert r["sent"] == N
    replies = [Ether(bytes.fromhex(h)) for h in r["frames"]]
    answered = [p for p in replies if p.haslayer(ICMP) and p[ICMP].type == 0]
    if answered_ok:
        assert len(answered) == N, "%s: %d of %d answered" % (kind, len(answered), N)
    else:
        assert not answered, "device answered a %s frame:\n%s" % (kind, answered[0].show(dump=True))
    after = dut.counters()
    assert after[key] - before[key] == N, "%s: %s went %d -> %d, expected +%d" % (
        kind, key, before[key], after[key], N)
    sent, recv, out = dut.ns.ping(count=3, interval=0.05)
    assert recv == sent == 3, "no ping after %s frames:\n%s" % (kind, out)


def test_valid_echo_from_scapy_is_answered(dut):
    # The control for the tests above: the same frame, well formed, gets a reply.
    p = _echo(dut, 0xff)
    r = dut.ns.scapy("sendrecv", frames=[p.hex()], src=dut.mac, timeout=2.0, count=1)
    replies = [Ether(bytes.fromhex(h)) for h in r["frames"]]
    ok = [q for q in replies if q.haslayer(ICMP) and q[ICMP].type == 0 and q[ICMP].id == 0x4bff]
    assert ok, "no echo reply to a valid scapy echo request"
    q = ok[0]
    assert q[IP].src == DEV_ADDR and q[IP].dst == HOST_ADDR
    assert bytes(q[Raw]) == b"keel-malformed-test-payload"
    # The reply's checksums are right.
    assert IP(bytes(q[IP])).chksum == q[IP].chksum
    q2 = IP(bytes(q[IP]))
    del q2[IP].chksum
    del q2[ICMP].chksum
    q2 = IP(bytes(q2))
    assert (q2[IP].chksum, q2[ICMP].chksum) == (q[IP].chksum, q[ICMP].chksum)


# Stellaris MAC: no destination filter in QEMU, so the stack sees and counts
# the frame.  LAN9118: the driver clears PRMS, so the chip drops it first.
NOT_FOR_US_SEEN = {"lm3s6965evb": N, "mps2-an385": 0}


def test_unicast_to_other_mac_ignored(dut):
    other = "02:00:00:4b:45:99"
    frames = [_echo(dut, i, eth={"dst": other}) for i in range(N)]
    before = dut.counters()
    key = dut.counter(before, "Eth", "InNotForUs", "eth.in_not_for_us")
    r = dut.ns.scapy("sendrecv", frames=[f.hex() for f in frames], src=dut.mac,
                     timeout=1.0, gap=0.02)
    answered = [p for p in map(lambda h: Ether(bytes.fromhex(h)), r["frames"])
                if p.haslayer(ICMP) and p[ICMP].type == 0]
    assert not answered, "device answered a frame sent to another MAC"
    after = dut.counters()
    assert after[key] - before[key] == NOT_FOR_US_SEEN[dut.board], (before[key], after[key])
