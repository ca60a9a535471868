"""The ceiling rows of bench/run: bench/ceiling/ceiling.c (board and driver,
no stack) booted like the stacks, driven by Linux.

  into the device: a bounded UDP blast (full-size frames, faster than the
    device can take them, so QEMU and the TAP queue always hold more); the
    device counts the frames and the milliseconds from its first to its
    last, so the rate is the device's own, whatever the sender does;
  out of the device: `tx N` full-size frames back to back; the device
    times them, the TAP's counter confirms they arrived.

Both are reported as TCP payload per second at full-size frames (frames/s
x 1460), so a stack's TCP throughput divides by them directly."""
import re
import socket
import time

import clients

TCP_PAYLOAD = 1460             # per 1514-byte frame, no TCP options
UDP_PAYLOAD = 1472
BLAST_FRAMES = 60000           # bound on one blast
BLAST_SECONDS = 1.5            # bound on one blast
BURST = 100                    # frames between two short sleeps


def _kv(text):
    return {k: int(v) for k, v in re.findall(r"^(\w+) (\d+)\s*$", text, re.M)}


def rx_blast(ns, frames, seconds):
    """Sends up to frames datagrams for at most seconds, in bursts."""
    def go():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        payload = bytes(UDP_PAYLOAD)
        sent = 0
        t0 = time.monotonic()
        while sent < frames and time.monotonic() - t0 < seconds:
            for _ in range(BURST):
                try:
                    s.sendto(payload, (clients.DEV_ADDR, 9))
                    sent += 1
                except OSError:
                    pass        # TAP queue full: the device is the bottleneck
            time.sleep(0.0005)
        s.close()
        return sent
    return clients.run_in_ns(ns.name, go, seconds + 30)


def rx_rate(qemu, ns, frames=BLAST_FRAMES, seconds=BLAST_SECONDS):
    """TCP-payload MB/s equivalent of the frames the device received."""
    qemu.console.cmd("zero")
    sent = rx_blast(ns, frames, seconds)
    time.sleep(0.3)             # the TAP queue drains into the device
    c = _kv(qemu.console.cmd("count"))
    if c.get("rx_frames", 0) < 100 or c.get("rx_ms", 0) < 10:
        raise RuntimeError("ceiling rx: too little received (%r of %d sent)" % (c, sent))
    return c["rx_frames"] / (c["rx_ms"] / 1000.0) * TCP_PAYLOAD / 1e6


def tx_rate(qemu, ns, frames):
    """TCP-payload MB/s equivalent of frames sent back to back."""
    stat = "/sys/class/net/%s/statistics/rx_packets" % ns.tap
    before = int(ns.run(["cat", stat]).stdout)
    c = _kv(qemu.console.cmd("tx %d" % frames, timeout=120))
    time.sleep(0.2)
    arrived = int(ns.run(["cat", stat]).stdout) - before
    if c.get("tx_frames") != frames or arrived < frames or c.get("tx_ms", 0) < 10:
        raise RuntimeError("ceiling tx: %r, %d arrived" % (c, arrived))
    return frames / (c["tx_ms"] / 1000.0) * TCP_PAYLOAD / 1e6
