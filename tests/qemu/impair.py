"""A userspace stand-in for `tc qdisc ... netem`, impairing both directions
between the namespace's TAP and QEMU's NIC.

The TAP keeltap0 (192.0.2.1 in the test's namespace) is opened by this
relay instead of by QEMU; QEMU's NIC talks to the relay over a pair of
Unix datagram sockets (-netdev dgram, one Ethernet frame a datagram, no
IP addresses involved).  Each direction gets netem's loss, delay,
reorder (that share of frames goes at once, the rest after the delay, so
they overtake) and duplicate, from a seeded PRNG.  The relay's thread is
bounded in time (it stops by itself after `bound` seconds)."""
import fcntl
import heapq
import os
import random
import select
import shutil
import socket
import struct
import tempfile
import threading
import time

import nssock

TUNSETIFF = 0x400454ca
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


class Spec:
    """One direction's impairment, in netem's terms (fractions, seconds)."""

    def __init__(self, loss=0.0, delay=0.0, reorder=0.0, duplicate=0.0):
        self.loss, self.delay, self.reorder, self.duplicate = loss, delay, reorder, duplicate

    def __repr__(self):
        return "loss %g%% delay %gms reorder %g%% duplicate %g%%" % (
            self.loss * 100, self.delay * 1000, self.reorder * 100, self.duplicate * 100)


NETEM = Spec(loss=0.02, delay=0.005, reorder=0.10, duplicate=0.01)


class Relay:
    def __init__(self, l2d=NETEM, d2l=NETEM, seed=864, bound=900.0):
        self.spec = {"l2d": l2d, "d2l": d2l}   # Linux -> device, device -> Linux
        self.rnd = random.Random(seed)
        self.seed = seed
        self.bound = bound
        self.stats = {d: dict(frames=0, lost=0, duplicated=0, reordered=0, delivered=0)
                      for d in self.spec}
        self.dir = tempfile.mkdtemp(prefix="keel-relay-")
        self.qemu_path = os.path.join(self.dir, "qemu.sock")
        self.relay_path = os.path.join(self.dir, "relay.sock")
        self.tapfd = None
        self.sock = None
        self._stop = threading.Event()
        self._t = None
        self.error = None

    # Dut(before_qemu=relay.attach, nic=relay.nic)
    def attach(self, ns):
        def open_tap():
            fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
            try:
                ifr = struct.pack("16sH22x", ns.tap.encode(), IFF_TAP | IFF_NO_PI)
                fcntl.ioctl(fd, TUNSETIFF, ifr)
            except BaseException:
                os.close(fd)
                raise
            return fd
        self.tapfd = nssock._in_netns(ns.name, open_tap)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.relay_path)
        self.sock.setblocking(False)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def nic(self, model, mac):
        return ["-netdev", "dgram,id=keelnet,local.type=unix,local.path=%s,"
                "remote.type=unix,remote.path=%s" % (self.qemu_path, self.relay_path),
                "-net", "nic,netdev=keelnet,model=%s,macaddr=%s" % (model, mac)]

    def set_specs(self, l2d, d2l):
        self.spec = {"l2d": l2d, "d2l": d2l}

    def _deliver(self, d, frame):
        try:
            if d == "l2d":
                self.sock.sendto(frame, self.qemu_path)
            else:
                os.write(self.tapfd, frame)
            self.stats[d]["delivered"] += 1
        except (BlockingIOError, FileNotFoundError, ConnectionRefusedError, OSError):
            pass   # like a full queue: the frame is gone

    def _run(self):
        q = []      # (due, n, direction, frame)
        n = 0
        end = time.monotonic() + self.bound
        try:
            while not self._stop.is_set() and time.monotonic() < end:
                now = time.monotonic()
                while q and q[0][0] <= now:
                    _, _, d, frame = heapq.heappop(q)
                    self._deliver(d, frame)
                wait = min(0.05, max(0.0, q[0][0] - now)) if q else 0.05
                r, _, _ = select.select([self.tapfd, self.sock], [], [], wait)
                for src in r:
                    for _ in range(64):          # bounded burst per wakeup
                        try:
                            if src is self.sock:
                                frame, d = self.sock.recv(65536), "d2l"
                            else:
                                frame, d = os.read(self.tapfd, 65536), "l2d"
                        except (BlockingIOError, InterruptedError):
                            break
                        if not frame:
                            break
                        st, sp = self.stats[d], self.spec[d]
                        st["frames"] += 1
                        if self.rnd.random() < sp.loss:
                            st["lost"] += 1
                            continue
                        copies = 1
                        if self.rnd.random() < sp.duplicate:
                            st["duplicated"] += 1
                            copies = 2
                        now = time.monotonic()
                        if sp.delay and self.rnd.random() < sp.reorder:
                            st["reordered"] += 1
                            due = now
                        else:
                            due = now + sp.delay
                        for _ in range(copies):
                            n += 1
                            heapq.heappush(q, (due, n, d, frame))
        except Exception as e:   # reported by the test
            self.error = repr(e)

    def close(self):
        self._stop.set()
        if self._t:
            self._t.join(5)
        if self.tapfd is not None:
            os.close(self.tapfd)
            self.tapfd = None
        if self.sock:
            self.sock.close()
            self.sock = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def report(self):
        return "seed %d; Linux->device (%r): %s; device->Linux (%r): %s" % (
            self.seed, self.spec["l2d"], self.stats["l2d"], self.spec["d2l"], self.stats["d2l"])
