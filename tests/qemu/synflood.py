#!/usr/bin/python3
"""A bounded, paced flood of spoofed TCP SYNs on a TAP inside a test namespace.

Run inside the namespace by the test (tests/qemu/test_flood.py):
    ip netns exec keel-... /usr/bin/python3 synflood.py --iface TAP JSON

JSON: {"dst_mac": "52:54:00:..", "dst": "192.0.2.2", "dport": 7,
       "src_first": 100, "src_last": 250, "rate": 2000, "duration": 10,
       "seed": 1}
Every frame is prebuilt before the first is sent: Ethernet (a random
locally administered source MAC), IPv4 from 192.0.2.<src_first..src_last>
(addresses nobody answers ARP for), TCP SYN with a random source port,
a random ISN and an MSS option.  They go out through one AF_PACKET socket
at `rate` frames a second, in small batches on a monotonic schedule, and
the flood stops by itself after `duration` seconds or rate*duration frames.
While sending it counts what the device (dst_mac) sends back: ARP requests
for the spoofed addresses, SYN-ACKs, RSTs.

Prints one line "ready <n>" once the frames are built, then one JSON line
with what was sent and seen.  Bounded whatever the arguments: only
192.0.2.0/24, rate <= 5000/s, duration <= 30 s, at most 100000 frames.
"""
import ipaddress
import json
import os
import random
import socket
import struct
import sys
import time

NET = ipaddress.ip_network("192.0.2.0/24")
MAX_RATE = 5000
MAX_DURATION = 30.0
MAX_FRAMES = 100000
BATCH_TICK = 0.002        # seconds between batches
ETH_P_ALL = 0x0003


def csum(data):
    if len(data) & 1:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def syn_frame(rng, dst_mac, src_ip, dst_ip, dport):
    src_mac = bytes([0x02, 0x6b, 0x65]) + rng.randbytes(3)     # 02:6b:65 locally administered
    sport = rng.randint(1024, 65535)
    seq = rng.getrandbits(32)
    opts = struct.pack("!BBH", 2, 4, 1460)                     # MSS 1460
    tcp_len = 20 + len(opts)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, (tcp_len // 4) << 4,
                      0x02, 64240, 0, 0) + opts
    pseudo = src_ip + dst_ip + struct.pack("!BBH", 0, 6, tcp_len)
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + tcp_len, rng.getrandbits(16), 0x4000,
                     64, 6, 0, src_ip, dst_ip)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + tcp


def build(args):
    dst = ipaddress.ip_address(args.get("dst", "192.0.2.2"))
    first = int(args.get("src_first", 100))
    last = int(args.get("src_last", 250))
    if dst not in NET or not (3 <= first <= last <= 254):
        raise SystemExit("synflood: only 192.0.2.0/24, sources .3-.254")
    rate = min(max(int(args.get("rate", 2000)), 1), MAX_RATE)
    duration = min(max(float(args.get("duration", 10.0)), 0.1), MAX_DURATION)
    count = min(int(rate * duration), MAX_FRAMES)
    rng = random.Random(args.get("seed"))
    dst_mac = bytes.fromhex(args["dst_mac"].replace(":", ""))
    dst_ip = dst.packed
    dport = int(args.get("dport", 7))
    srcs = [ipaddress.ip_address("192.0.2.%d" % n).packed for n in range(first, last + 1)]
    frames = [syn_frame(rng, dst_mac, rng.choice(srcs), dst_ip, dport) for _ in range(count)]
    return frames, rate, duration, dst_mac, set(srcs)


def self_check(frame):
    """The first frame, parsed by scapy: checksums and fields as meant."""
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    from scapy.all import IP, TCP, Ether
    p = Ether(frame)
    ip_sum, tcp_sum = p[IP].chksum, p[TCP].chksum
    del p[IP].chksum
    del p[TCP].chksum
    q = Ether(bytes(p))
    if (q[IP].chksum, q[TCP].chksum) != (ip_sum, tcp_sum) or p[TCP].flags != "S":
        raise SystemExit("synflood: frame self-check failed: %r" % p)


class Seen:
    def __init__(self, dev_mac, spoofed):
        self.dev_mac = dev_mac
        self.spoofed = spoofed
        self.arp_req_spoofed = 0
        self.arp_req_other = 0
        self.synack_spoofed = 0
        self.rst = 0
        self.other = 0

    def frame(self, f):
        if len(f) < 14 or f[6:12] != self.dev_mac:
            return
        et = f[12:14]
        if et == b"\x08\x06" and len(f) >= 42 and f[20:22] == b"\x00\x01":
            if f[38:42] in self.spoofed:
                self.arp_req_spoofed += 1
            else:
                self.arp_req_other += 1
        elif et == b"\x08\x00" and len(f) >= 34 + 20 and f[23] == 6:
            ihl = (f[14] & 0x0f) * 4
            flags = f[14 + ihl + 13]
            if flags & 0x04:
                self.rst += 1
            elif flags & 0x12 == 0x12 and f[30:34] in self.spoofed:
                self.synack_spoofed += 1
            else:
                self.other += 1
        else:
            self.other += 1

    def as_dict(self):
        return {"arp_requests_spoofed": self.arp_req_spoofed,
                "arp_requests_other": self.arp_req_other,
                "synack_to_spoofed": self.synack_spoofed,
                "rst": self.rst, "other_from_device": self.other}


def drain(rx, seen, limit=4096):
    for _ in range(limit):
        try:
            f = rx.recv(2048)
        except (BlockingIOError, InterruptedError):
            return
        seen.frame(f)


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "--iface":
        raise SystemExit("usage: synflood.py --iface IFACE JSON")
    iface = sys.argv[2]
    args = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    t0 = time.monotonic()
    frames, rate, duration, dev_mac, spoofed = build(args)
    self_check(frames[0])
    build_s = time.monotonic() - t0

    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind((iface, 0))
    tx.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    rx.bind((iface, 0))
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.setblocking(False)
    seen = Seen(dev_mac, spoofed)

    print("ready %d" % len(frames), flush=True)
    sent = errors = 0
    start = time.monotonic()
    deadline = start + duration
    while sent < len(frames):
        now = time.monotonic()
        if now >= deadline:
            break
        due = min(len(frames), int((now - start) * rate) + 1)
        while sent < due:
            try:
                tx.send(frames[sent])
            except OSError:
                errors += 1          # ENOBUFS: the frame is lost, count it
            sent += 1
        drain(rx, seen)
        time.sleep(BATCH_TICK)
    elapsed = time.monotonic() - start
    # The device's answers to the last SYNs (and its ARP retries) for a moment.
    tail_end = time.monotonic() + 0.5
    while time.monotonic() < tail_end:
        drain(rx, seen)
        time.sleep(0.01)
    out = {"sent": sent, "send_errors": errors, "elapsed": round(elapsed, 3),
           "rate": round(sent / elapsed, 1) if elapsed > 0 else 0.0,
           "target_rate": rate, "duration": duration, "build_s": round(build_s, 3),
           "pid": os.getpid()}
    out.update(seen.as_dict())
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
