"""The console's line editor and foreground tasks: history, backspace,
Ctrl-C, hints for unknown commands, watch (redraws, -d, stops on Ctrl-C),
nc (active open from the device), and console input that must not disturb
the network."""
import os
import re
import socket
import threading
import time

import pytest

import nssock
from keelqemu import DEV_ADDR, HOST_ADDR

PROMPT = "keel> "
CLEAR = "\x1b[2J"


def typed(dut, data, wait_prompt=True, timeout=10):
    """Types raw bytes; returns the console text from then to the next prompt."""
    con = dut.console
    start = len(con.text(0).encode())
    con._pos = max(con.pos, start)
    con.write(data)
    if wait_prompt:
        # The prompt after a command's output (a recalled line redraws
        # "\rkeel> " too, without the newline).
        con.expect(r"\n" + re.escape(PROMPT), timeout)
    return con.text(start)


def test_history_recalls_previous_lines(dut):
    dut.cmd("uptime")
    dut.cmd("version")
    out = typed(dut, "\x1b[A\r")           # up: version again
    assert "compiler gcc" in out, out
    out = typed(dut, "\x1b[A\x1b[A\r")     # version is newest now; two up: uptime
    assert "uptime_ms" in out, out
    # History now: uptime, version, uptime.  Up x3 reaches the oldest
    # (uptime), down comes back to version.
    out = typed(dut, "\x1b[A\x1b[A\x1b[A\x1b[B\r")
    assert "compiler gcc" in out, out
    # One more up than there are lines stays at the oldest.  (The rig's
    # own " ifconfig 192.0.2.2/24" has a leading space: not remembered.)
    out = typed(dut, "\x1bOA\x1bOA\x1bOA\x1bOA\x1bOA\x1bOA\r")   # application-mode arrows
    assert "uptime_ms" in out, out
    # Down past the newest gives an empty line again.
    out = typed(dut, "\x1b[A\x1b[B\r")
    assert "uptime_ms" not in out and "compiler" not in out, out


def test_backspace_and_ctrl_c_edit_the_line(dut):
    out = typed(dut, "uptimx\x7fe\r")
    assert "uptime_ms" in out, out
    out = typed(dut, "uptimx\x08e\r")
    assert "uptime_ms" in out, out
    # Ctrl-C drops the half-typed line: the next one runs alone.
    out = typed(dut, "garbage\x03")
    assert "^C" in out, out
    out = typed(dut, "uptime\r")
    assert "uptime_ms" in out and "unknown" not in out, out


def test_unknown_command_gets_a_hint(dut):
    out = dut.cmd("netsta")
    assert "unknown command 'netsta'" in out and "did you mean 'netstat'" in out, out
    out = dut.cmd("frobnicate")
    assert "unknown command 'frobnicate'" in out and "try help" in out, out


def test_help_describes_every_command(dut):
    out = dut.cmd("help")
    for name in ("netstat", "ss", "sysctl", "watch", "nc", "mem", "uptime", "reset-counters",
                 "version", "ifconfig", "help"):
        assert re.search(r"^%s\s+\S" % re.escape(name), out, re.M), "help lacks %s:\n%s" % (name, out)
        one = dut.cmd("help " + name)
        assert one.startswith("usage: " + name), one


def test_watch_redraws_and_stops_on_ctrl_c(dut):
    con = dut.console
    start = len(con.text(0).encode())
    con.sendline("watch -n 0.5 netstat")
    deadline = time.monotonic() + 6
    while con.text(start).count(CLEAR) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    text = con.text(start)
    assert text.count(CLEAR) >= 3, "watch redrew %d times in 6 s:\n%r" % (text.count(CLEAR), text[-800:])
    assert "Every 0.5s: netstat" in text and "ESTABLISHED" in text, text[-800:]
    t0 = time.monotonic()
    con._pos = len(con.text(0).encode())
    con.write("\x03")
    con.expect(re.escape("^C") + r"\r\n" + re.escape(PROMPT), 5)
    # Stopped: no redraw after the prompt came back.
    stop = len(con.text(0).encode())
    time.sleep(1.2)
    assert CLEAR not in con.text(stop), "watch kept redrawing after Ctrl-C"
    assert "uptime_ms" in dut.cmd("uptime")
    # 3 redraws at 0.5 s took about 1 s: the interval is honoured.
    assert time.monotonic() - t0 < 5


def test_watch_d_highlights_only_changes(dut):
    con = dut.console
    start = len(con.text(0).encode())
    con.sendline("watch -d -n 0.3 sysctl net.ipv4.tcp_msl")   # never changes
    deadline = time.monotonic() + 5
    while con.text(start).count(CLEAR) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    typed(dut, "q")    # any key stops watch
    text = con.text(start)
    assert text.count(CLEAR) >= 3 and "\x1b[7m" not in text, repr(text[-600:])
    start = len(con.text(0).encode())
    con.sendline("watch -d -n 0.3 uptime")                  # changes every time
    deadline = time.monotonic() + 5
    while con.text(start).count(CLEAR) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    typed(dut, "\x03")
    text = con.text(start)
    assert re.search(r"\x1b\[7muptime_ms \d+\x1b\[0m", text), repr(text[-600:])
    first = text.split(CLEAR)[1]
    assert "\x1b[7m" not in first, "the first redraw has nothing to compare with"


def test_watch_rejects_bad_arguments(dut):
    assert "bad interval" in dut.cmd("watch -n abc netstat")
    assert "unknown command" in dut.cmd("watch no-such-cmd")
    assert "cannot watch" in dut.cmd("watch watch netstat")
    assert dut.cmd("watch").startswith("usage: watch")


def _serve_once(ns, port, reply_prefix, ready, result):
    srv = nssock.socket_in(ns)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((HOST_ADDR, port))
    srv.listen(1)
    srv.settimeout(15)
    ready.set()
    try:
        c, peer = srv.accept()
        c.settimeout(10)
        line = b""
        while not line.endswith(b"\n") and len(line) < 200:
            b = c.recv(200)
            if not b:
                break
            line += b
        result["got"] = line
        result["peer"] = peer
        c.sendall(reply_prefix + line)
        c.close()
    except Exception as e:  # reported by the test
        result["error"] = e
    finally:
        srv.close()


def test_nc_talks_to_a_linux_listener(dut):
    port = 40123
    ready, result = threading.Event(), {}
    t = threading.Thread(target=_serve_once, args=(dut.ns.name, port, b"reply:", ready, result),
                         daemon=True)
    t.start()
    assert ready.wait(10)
    before = dut.counters(("netstat -s Tcp",))
    out = dut.cmd("nc %s %d hello" % (HOST_ADDR, port), timeout=20)
    t.join(20)
    assert "error" not in result, result
    assert result["got"] == b"hello\r\n", result
    assert result["peer"][0] == DEV_ADDR
    assert "reply:hello" in out, out
    after = dut.counters(("netstat -s Tcp",))
    assert after["Tcp.ActiveOpens"] - before["Tcp.ActiveOpens"] == 1


def test_nc_reports_refused_and_timeout(dut):
    out = dut.cmd("nc %s 40999" % HOST_ADDR, timeout=15)      # nothing listens: RST
    assert out.strip() == "nc: connection refused", out
    # A listener that never accepts still completes the handshake; one on an
    # address nobody has never answers: the connect times out.
    out = dut.cmd("nc -w 1 192.0.2.77 7", timeout=15)
    assert "nc: timed out" in out, out


def test_nc_stops_on_ctrl_c(dut):
    port = 40124
    srv = nssock.socket_in(dut.ns.name)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((HOST_ADDR, port))
    srv.listen(1)
    srv.settimeout(10)
    try:
        dut.console.sendline("nc -w 30 %s %d" % (HOST_ADDR, port))
        c, _ = srv.accept()
        c.settimeout(10)
        c.sendall(b"partial line from linux\n")
        dut.console.expect("partial line from linux", 10)
        typed(dut, "\x03")
        assert c.recv(100) == b"", "the device did not close on Ctrl-C"
        c.close()
    finally:
        srv.close()


def test_console_flood_does_not_disturb_echo_transfer(dut):
    size = 96 * 1024
    payload = os.urandom(size)
    s = nssock.connect(dut.ns.name, DEV_ADDR, 7, timeout=20)
    got = bytearray()
    err = {}

    def reader():
        try:
            while len(got) < size:
                b = s.recv(65536)
                if not b:
                    break
                got.extend(b)
        except Exception as e:
            err["e"] = e

    t = threading.Thread(target=reader, daemon=True)
    t.start()

    def writer():
        try:
            s.sendall(payload)
        except Exception as e:
            err["w"] = e

    w = threading.Thread(target=writer, daemon=True)
    w.start()
    # 2 KiB+ of junk lines typed while the data flows, plus a long stream.
    for i in range(40):
        dut.console.write("zzjunk%02d %s\r" % (i, "q" * 50))
        time.sleep(0.005)
    dut.console.write("ss -a -i\r")
    w.join(60)
    t.join(60)
    s.close()
    assert not err, err
    assert len(got) == size and bytes(got) == payload, "echo data differs (%d of %d)" % (len(got), size)
    # The console answers the 40 lines and the listing at its own pace
    # (slower while the suite loads the machine): ask once it has been
    # quiet for half a second, within 20 s.
    deadline, seen = time.monotonic() + 20, -1
    while time.monotonic() < deadline and len(dut.console.text(0)) != seen:
        seen = len(dut.console.text(0))
        time.sleep(0.5)
    assert "uptime_ms" in dut.cmd("uptime")
    assert "zzjunk39" in dut.console.text(0), "the last junk line was never read"
