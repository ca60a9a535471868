"""Bulk TCP transfers against the device's services, from the test's
namespace (nssock): echo (7), discard (9), chargen (19).  Every transfer
is bounded in bytes and in time; each socket has its own timeout."""
import os
import socket
import threading
import time

import pytest

import nssock
from keelqemu import DEV_ADDR, LOG_DIR

CHUNK = 16384

# RFC 864: 72 printable characters a line, then CRLF, each line starting
# one character later over the 95 printables (32..126).  The stream
# repeats every 95 lines.
LINE_CHARS = 72
CHARGEN_PERIOD = b"".join(
    bytes(32 + (first + i) % 95 for i in range(LINE_CHARS)) + b"\r\n"
    for first in range(95))


def pattern(n, seed=1):
    """n reproducible pseudo-random bytes (cheap: a 1 MiB block repeated
    with a shift, so a misplaced block does not compare equal)."""
    import random
    rnd = random.Random(seed)
    block = bytes(rnd.getrandbits(8) for _ in range(1 << 16))
    out = bytearray()
    i = 0
    while len(out) < n:
        out += block[i % 251:] + block[:i % 251]
        i += 1
    return bytes(out[:n])


def first_difference(a, b):
    """Index of the first differing byte of a and b (or the shorter length)."""
    n = min(len(a), len(b))
    lo = 0
    # Block-wise, then byte-wise: fast on 10 MiB.
    step = 65536
    while lo < n:
        hi = min(n, lo + step)
        if a[lo:hi] != b[lo:hi]:
            for i in range(lo, hi):
                if a[i] != b[i]:
                    return i
        lo = hi
    return n


def echo_transfer(ns, data, timeout=20.0, bound=120.0, port=7):
    """Sends data to the echo service from one thread while another reads
    the echo; half-closes after the last byte and reads to the device's
    FIN.  Returns (echoed bytes, seconds, error or None)."""
    s = nssock.connect(ns, DEV_ADDR, port, timeout=timeout)
    s.settimeout(timeout)
    received = bytearray()
    errors = []
    deadline = time.monotonic() + bound

    def sender():
        try:
            for i in range(0, len(data), CHUNK):
                if time.monotonic() > deadline:
                    raise TimeoutError("sender: over %.0fs after %d bytes" % (bound, i))
                s.sendall(data[i:i + CHUNK])
            s.shutdown(socket.SHUT_WR)
        except Exception as e:
            errors.append("sender: %r" % e)

    def receiver():
        try:
            limit = len(data) + 1   # anything more than was sent is an error
            while len(received) < limit:
                if time.monotonic() > deadline:
                    raise TimeoutError("receiver: over %.0fs after %d bytes"
                                       % (bound, len(received)))
                b = s.recv(65536)
                if not b:
                    return
                received.extend(b)
        except Exception as e:
            errors.append("receiver: %r" % e)

    t0 = time.monotonic()
    ts = [threading.Thread(target=sender, daemon=True),
          threading.Thread(target=receiver, daemon=True)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(max(0.1, deadline - time.monotonic()) + timeout + 5)
    took = time.monotonic() - t0
    if any(t.is_alive() for t in ts):
        errors.append("threads still running after %.0fs" % took)
    s.close()
    return bytes(received), took, ("; ".join(errors) or None)


def discard_transfer(ns, nbytes, timeout=20.0, bound=120.0, port=9, block=None):
    """Sends nbytes to the discard service, half-closes and waits for the
    device's FIN (it closes once it has read everything).  Returns
    (seconds until the FIN, bytes the device sent back)."""
    block = block or pattern(1 << 20, seed=9)
    s = nssock.connect(ns, DEV_ADDR, port, timeout=timeout)
    s.settimeout(timeout)
    deadline = time.monotonic() + bound
    t0 = time.monotonic()
    try:
        sent = 0
        while sent < nbytes:
            if time.monotonic() > deadline:
                raise TimeoutError("discard: over %.0fs after %d of %d bytes"
                                   % (bound, sent, nbytes))
            n = min(CHUNK, nbytes - sent)
            off = sent % len(block)
            chunk = block[off:off + n]
            if len(chunk) < n:
                chunk += block[:n - len(chunk)]
            s.sendall(chunk)
            sent += n
        s.shutdown(socket.SHUT_WR)
        back = bytearray()
        for _ in range(1000):          # the FIN, normally at once
            b = s.recv(4096)
            if not b:
                break
            back += b
        return time.monotonic() - t0, bytes(back)
    finally:
        s.close()


def mbps(nbytes, seconds):
    return nbytes / 1e6 / seconds if seconds > 0 else float("inf")


def log_path(name):
    os.makedirs(LOG_DIR, exist_ok=True)
    return os.path.join(LOG_DIR, name)


# ---------------------------------------------------- shared checks --

def tcp_counters(dut):
    """The device's Tcp and TcpExt counters from `netstat -s`, by name."""
    c = dut.counters("netstat -s")
    return {k.split(".", 1)[1]: v for k, v in c.items()
            if k.startswith(("Tcp.", "TcpExt."))}


def delta(after, before):
    return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}


def chargen_check(data, offset):
    """Asserts data is the RFC 864 stream from byte offset on."""
    period = CHARGEN_PERIOD
    start = offset % len(period)
    reps = (start + len(data)) // len(period) + 2
    want = (period * reps)[start:start + len(data)]
    if data != want:
        i = first_difference(data, want)
        line_start = data.rfind(b"\n", 0, i) + 1
        pytest.fail("chargen stream breaks at byte %d (stream offset %d): line %r, "
                    "expected %r" % (i, offset + i, data[line_start:line_start + 74],
                                     want[line_start:line_start + 74]))


def read_n(s, n, bound):
    buf = bytearray()
    deadline = time.monotonic() + bound
    while len(buf) < n:
        assert time.monotonic() < deadline, "read %d of %d bytes in %.0fs" % (len(buf), n, bound)
        b = s.recv(min(65536, n - len(buf)))
        assert b, "the device closed chargen after %d bytes" % len(buf)
        buf += b
    return bytes(buf)
