"""ICMP destination unreachable as Linux sends it: UDP to a port
nobody bound -> port unreachable, which Linux turns into
ECONNREFUSED on a connected UDP socket; an unknown IP protocol -> protocol
unreachable quoting the datagram (RFC 792, RFC 1122 §3.2.2.1, §4.1.3.1)."""
import socket

import pytest
from scapy.all import ICMP, IP, Ether, Raw

import nssock
from keelqemu import DEV_ADDR, HOST_ADDR


def test_udp_gets_port_unreachable_econnrefused(dut):
    before = dut.counters("netstat -s")
    s = nssock.socket_in(dut.ns.name, socket.SOCK_DGRAM)
    s.settimeout(3)
    try:
        s.connect((DEV_ADDR, 9999))
        s.send(b"anyone there?")
        with pytest.raises(ConnectionRefusedError):
            s.recv(100)
    finally:
        s.close()
    after = dut.counters("netstat -s")
    assert after["Udp.NoPorts"] == before["Udp.NoPorts"] + 1
    assert after["Icmp.OutDestUnreachs"] == before["Icmp.OutDestUnreachs"] + 1


def test_unknown_protocol_gets_protocol_unreachable(dut):
    frame = bytes(Ether(src=dut.ns.mac, dst=dut.mac) /
                  IP(src=HOST_ADDR, dst=DEV_ADDR, proto=253, id=0x4b4b) / Raw(b"x" * 40))
    r = dut.ns.scapy("sendrecv", frames=[frame.hex()], src=dut.mac, timeout=2.0, count=1)
    replies = [Ether(bytes.fromhex(h)) for h in r["frames"]]
    errs = [p for p in replies if p.haslayer(ICMP) and p[ICMP].type == 3]
    assert errs, "no ICMP error for protocol 253"
    e = errs[0]
    assert e[ICMP].code == 2 and e[IP].src == DEV_ADDR and e[IP].dst == HOST_ADDR
    # The quote is the datagram as sent: its IP header onwards.
    quoted = bytes(e[ICMP].payload)
    assert quoted == frame[14:14 + len(quoted)] and len(quoted) == 20 + 40
