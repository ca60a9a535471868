"""The Linux side of each timed figure in bench/run, run inside the device's
network namespace.  Every transfer is bounded in bytes and in time; the
connection-rate and round-trip clients are C programs (bench/client/) so
the client's own cost stays small beside the device's."""
import ctypes
import json
import os
import re
import select
import socket
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
CLIENT_DIR = os.path.join(ROOT, "build", "bench")
DEV_ADDR = "192.0.2.2"
XFER_TIMEOUT = 120.0          # bound on one transfer
_libc = ctypes.CDLL(None, use_errno=True)


def run_in_ns(ns_name, fn, timeout):
    """fn() in a thread that has entered the namespace (sockets it makes
    live there); bounded by timeout.  Returns fn's value."""
    res = {}

    def body():
        fd = os.open("/run/netns/%s" % ns_name, os.O_RDONLY)
        try:
            if _libc.setns(fd, 0x40000000) != 0:
                raise OSError(ctypes.get_errno(), "setns")
            res["v"] = fn()
        except BaseException as e:
            res["e"] = e
        finally:
            os.close(fd)

    t = threading.Thread(target=body, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise TimeoutError("client in %s exceeded %.0fs" % (ns_name, timeout))
    if "e" in res:
        raise res["e"]
    return res["v"]


def tcp(port, timeout=10.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((DEV_ADDR, port))
    return s


def drain(s, limit=1 << 20):
    """Reads until EOF (at most limit bytes)."""
    got = 0
    while got < limit:
        b = s.recv(65536)
        if not b:
            break
        got += len(b)
    return got


def discard_mbps(ns, nbytes):
    """Into the device: nbytes to discard (9), until the device's FIN."""
    def go():
        chunk = bytes(range(256)) * 256
        s = tcp(9, 30.0)
        t0 = time.monotonic()
        left = nbytes
        while left:
            left -= s.send(chunk[:min(left, len(chunk))])
            if time.monotonic() - t0 > XFER_TIMEOUT:
                raise TimeoutError("discard stalled")
        s.shutdown(socket.SHUT_WR)
        drain(s)                      # the device closes after our FIN
        dt = time.monotonic() - t0
        s.close()
        return nbytes / dt / 1e6
    return run_in_ns(ns.name, go, XFER_TIMEOUT + 30)


def chargen_mbps(ns, nbytes):
    """Out of the device: nbytes read from chargen (19), timed from the
    first byte to the last (the connect is the connection-rate rows')."""
    def go():
        s = tcp(19, 30.0)
        buf = bytearray(1 << 16)
        got = s.recv_into(buf)
        if got == 0:
            raise EOFError("chargen closed at once")
        t0 = time.monotonic()
        start = got
        while got < nbytes:
            n = s.recv_into(buf)
            if n == 0:
                raise EOFError("chargen closed at %d/%d" % (got, nbytes))
            got += n
            if time.monotonic() - t0 > XFER_TIMEOUT:
                raise TimeoutError("chargen stalled")
        dt = time.monotonic() - t0
        s.close()
        return (got - start) / dt / 1e6
    return run_in_ns(ns.name, go, XFER_TIMEOUT + 30)


def echo_mbps(ns, nbytes):
    """Both ways: nbytes through echo (7), every byte checked."""
    def go():
        data = (bytes(range(251)) * (nbytes // 251 + 1))[:nbytes]
        got = bytearray()
        s = tcp(7, 30.0)
        s.setblocking(False)
        sent = 0
        t0 = time.monotonic()
        while len(got) < nbytes:
            if time.monotonic() - t0 > XFER_TIMEOUT:
                raise TimeoutError("echo stalled at %d/%d" % (len(got), nbytes))
            w = [s] if sent < nbytes else []
            r, w, _ = select.select([s], w, [], 1.0)
            if w:
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    pass
            if r:
                b = s.recv(262144)
                if not b:
                    raise EOFError("echo closed at %d/%d" % (len(got), nbytes))
                got += b
        dt = time.monotonic() - t0
        s.close()
        if bytes(got) != data:
            raise AssertionError("echo returned different bytes")
        return nbytes / dt / 1e6
    return run_in_ns(ns.name, go, XFER_TIMEOUT + 30)


def c_client(ns, argv, timeout):
    p = ns.run([os.path.join(CLIENT_DIR, argv[0])] + [str(a) for a in argv[1:]],
               timeout=timeout, check=False)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if not lines:
        raise RuntimeError("%s: %s %s" % (argv[0], p.stdout[-500:], p.stderr[-500:]))
    return json.loads(lines[-1])


def echo_rtt_us(ns, rounds, size=64):
    """Median round trip of size bytes through echo, microseconds."""
    r = c_client(ns, ["echo_rtt", DEV_ADDR, 7, rounds, size, 60], 90)
    if r["rounds"] != rounds:
        raise RuntimeError("echo_rtt: %d of %d rounds" % (r["rounds"], rounds))
    return r["median_us"]


def conn_rate(ns, count, conc, port=13, budget=XFER_TIMEOUT, timeout_ms=5000):
    """connrate's JSON: count connections (line then close), conc at once."""
    return c_client(ns, ["connrate", DEV_ADDR, port, count, conc, timeout_ms, budget],
                     budget + 30)


def iperf_mbps(ns, seconds):
    """Debian's iperf 2 client into the device's port 5001 for seconds;
    the bandwidth it reports, MB/s (10^6 bytes)."""
    p = ns.run(["iperf", "-c", DEV_ADDR, "-t", str(seconds), "-f", "k"],
               timeout=seconds + 40, check=False)
    m = re.search(r"sec\s+\d+(?:\.\d+)?\s+KBytes\s+(\d+(?:\.\d+)?)\s+Kbits/sec", p.stdout)
    if p.returncode != 0 or not m:
        raise RuntimeError("iperf failed (%d): %s %s" % (p.returncode, p.stdout[-500:],
                                                         p.stderr[-500:]))
    return float(m.group(1)) * 1000 / 8 / 1e6
