"""UDP sockets (RFC 768) from Linux: the echo service on port 7 answers
each datagram to its sender (RFC 862), and the Udp counters move as
Linux's do (netstat -s names)."""
import socket

import nssock
from keelqemu import DEV_ADDR


def test_udp_echo_answers_linux_client(dut):
    before = dut.counters("netstat -s Udp")
    s = nssock.socket_in(dut.ns.name, socket.SOCK_DGRAM)
    s.settimeout(3)
    try:
        for i, size in enumerate((1, 100, 472)):
            msg = bytes((i * 7 + j) & 0xff for j in range(size))
            s.sendto(msg, (DEV_ADDR, 7))
            data, addr = s.recvfrom(2048)
            assert data == msg and addr == (DEV_ADDR, 7)
    finally:
        s.close()
    after = dut.counters("netstat -s Udp")
    assert after["Udp.InDatagrams"] == before["Udp.InDatagrams"] + 3
    assert after["Udp.OutDatagrams"] == before["Udp.OutDatagrams"] + 3
    assert after["Udp.NoPorts"] == before["Udp.NoPorts"]


def test_udp_bad_checksum_counted_not_echoed(dut):
    from scapy.all import IP, UDP, Ether, Raw
    before = dut.counters("netstat -s Udp")
    frame = bytes(Ether(src=dut.ns.mac, dst=dut.mac) /
                  IP(src="192.0.2.1", dst=DEV_ADDR) / UDP(sport=4000, dport=7, chksum=0x1234) /
                  Raw(b"corrupt"))
    r = dut.ns.scapy("sendrecv", frames=[frame.hex()], src=dut.mac, timeout=1.0, count=1)
    assert not [h for h in r["frames"] if b"corrupt" in bytes.fromhex(h)]
    after = dut.counters("netstat -s Udp")
    assert after["Udp.InCsumErrors"] == before["Udp.InCsumErrors"] + 1
    assert after["Udp.InErrors"] == before["Udp.InErrors"] + 1
