"""Sockets that live in a test's network namespace, made from this process.

A network namespace is per thread: a short-lived thread enters the
namespace with setns(2), creates the socket and exits; the socket stays in
that namespace and is usable from any thread.  So a test talks TCP to the
device with ordinary Python sockets, no subprocess per connection."""
import ctypes
import os
import socket
import threading

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def _in_netns(ns_name, fn):
    result = {}

    def body():
        fd = os.open("/run/netns/%s" % ns_name, os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET) != 0:
                err = ctypes.get_errno()
                raise OSError(err, "setns(%s): %s" % (ns_name, os.strerror(err)))
            result["value"] = fn()
        except BaseException as e:  # handed to the caller's thread
            result["error"] = e
        finally:
            os.close(fd)

    t = threading.Thread(target=body, daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():
        raise TimeoutError("namespace thread for %s hung" % ns_name)
    if "error" in result:
        raise result["error"]
    return result["value"]


def socket_in(ns_name, kind=socket.SOCK_STREAM):
    """A new IPv4 socket created inside namespace ns_name."""
    return _in_netns(ns_name, lambda: socket.socket(socket.AF_INET, kind))


def connect(ns_name, addr, port, timeout=5.0):
    """A TCP connection from the namespace to addr:port (raises
    ConnectionRefusedError, TimeoutError as connect would)."""
    s = socket_in(ns_name)
    s.settimeout(timeout)
    try:
        s.connect((addr, port))
    except BaseException:
        s.close()
        raise
    return s


def recv_until_eof(s, limit=1 << 20):
    """Reads until the peer's FIN (bounded by limit bytes and the socket
    timeout); returns the bytes."""
    chunks, total = [], 0
    while total < limit:
        b = s.recv(65536)
        if not b:
            break
        chunks.append(b)
        total += len(b)
    return b"".join(chunks)


def recv_exact(s, n):
    """Reads exactly n bytes (bounded by the socket timeout)."""
    buf = bytearray()
    while len(buf) < n:
        b = s.recv(min(65536, n - len(buf)))
        if not b:
            raise EOFError("peer closed after %d of %d bytes" % (len(buf), n))
        buf += b
    return bytes(buf)


def packet_socket_in(ns_name, iface):
    """An AF_PACKET socket bound to iface inside namespace ns_name, for
    sending prebuilt Ethernet frames (sendto never blocks on a TAP: a full
    queue drops and counts the frame)."""
    def make():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((iface, 0))
        return s
    return _in_netns(ns_name, make)
