"""The rig behind tests/qemu: network namespaces, QEMU, the serial console.

Every test network lives in a namespace this module creates (keel-<pid>-<n>)
and deletes again, with a TAP device at 192.0.2.1/24; the firmware is
192.0.2.2.  Nothing here touches any other address or the host's network.
Every wait is bounded in time; every loop in count.
"""
import atexit
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PY = "/usr/bin/python3"          # Debian's python: its scapy and pytest
HOST_ADDR = "192.0.2.1"
DEV_ADDR = "192.0.2.2"
PREFIX = 24
TAP = "keeltap0"
NS_PREFIX = "keel-"
LOG_DIR = os.path.join(ROOT, "build", "test-logs")

# board name -> (QEMU machine, QEMU NIC model)
BOARDS = {
    "lm3s6965evb": ("lm3s6965evb", "stellaris"),
    "mps2-an385": ("mps2-an385", "lan9118"),
}
# The MAC each test gives QEMU's NIC, so the test knows what to expect.
MACS = {
    "lm3s6965evb": "52:54:00:4b:45:01",
    "mps2-an385": "52:54:00:4b:45:02",
}


class RigError(Exception):
    """The rig itself could not be set up (not root, no QEMU, no ELF...)."""


def run(cmd, timeout=30, check=True, **kw):
    """Runs cmd (a list), bounded in time; returns CompletedProcess (text)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise RigError("command failed (%d): %s\nstdout: %s\nstderr: %s" % (
            p.returncode, " ".join(cmd), p.stdout.strip(), p.stderr.strip()))
    return p


# ---------------------------------------------------------------- cleanup --

_live = []          # objects with a close() still to run at exit
_live_lock = threading.Lock()


def _register(obj):
    with _live_lock:
        _live.append(obj)


def _unregister(obj):
    with _live_lock:
        if obj in _live:
            _live.remove(obj)


def close_all():
    """Closes every QEMU and namespace still open (newest first)."""
    with _live_lock:
        objs = list(reversed(_live))
    for o in objs:
        try:
            o.close()
        except Exception as e:  # keep closing the rest
            print("keelqemu: cleanup of %r failed: %s" % (o, e), file=sys.stderr)


atexit.register(close_all)


def _signal_to_exit(signum, frame):
    # SIGTERM / SIGHUP become KeyboardInterrupt so pytest runs finalizers.
    raise KeyboardInterrupt("signal %d" % signum)


def install_signal_handlers():
    for s in (signal.SIGTERM, signal.SIGHUP):
        try:
            signal.signal(s, _signal_to_exit)
        except (ValueError, OSError):
            pass


_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # In the child between fork and exec: QEMU gets SIGKILL if we vanish.
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.setpgrp()


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_ns_pids(name):
    p = run(["ip", "netns", "pids", name], check=False, timeout=10)
    for tok in p.stdout.split():
        try:
            os.kill(int(tok), signal.SIGKILL)
        except (ValueError, ProcessLookupError):
            pass


def sweep_stale_namespaces():
    """Deletes keel-<pid>-<n> namespaces whose creating process is gone."""
    p = run(["ip", "netns", "list"], check=False, timeout=10)
    swept = []
    for line in p.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.fullmatch(r"keel-(\d+)-(\d+)", name)
        if not m or _pid_alive(int(m.group(1))):
            continue
        _kill_ns_pids(name)
        run(["ip", "netns", "del", name], check=False, timeout=10)
        swept.append(name)
    return swept


def check_prerequisites():
    """Raises RigError with a clear message when the rig cannot work here."""
    if os.geteuid() != 0:
        raise RigError("tests/qemu needs root: it creates network namespaces "
                       "and TAP devices (run `make test-qemu` as root)")
    for tool in ("ip", "qemu-system-arm", "ping"):
        if shutil.which(tool) is None:
            raise RigError("%s not found: run `scripts/deps.sh test`" % tool)
    if not os.path.exists("/dev/net/tun"):
        raise RigError("/dev/net/tun is missing: TAP devices cannot be made")


# -------------------------------------------------------------- namespace --

_ns_counter = [0]


class Netns:
    """A network namespace keel-<pid>-<n> with TAP keeltap0 at 192.0.2.1/24."""

    def __init__(self):
        _ns_counter[0] += 1
        self.name = "%s%d-%d" % (NS_PREFIX, os.getpid(), _ns_counter[0])
        self.tap = TAP
        self.closed = False
        p = run(["ip", "netns", "add", self.name], check=False, timeout=10)
        if p.returncode != 0:
            raise RigError("cannot create network namespace %s (root and "
                           "CAP_SYS_ADMIN needed): %s" % (self.name, p.stderr.strip()))
        _register(self)
        try:
            # No IPv6 chatter on the test link: IPv4 counters stay exact.
            # (Written to /proc directly: procps may not be installed.)
            self.run(["sh", "-c", "for k in all default; do echo 1 > "
                      "/proc/sys/net/ipv6/conf/$k/disable_ipv6; done"], check=False)
            self.run(["ip", "link", "set", "lo", "up"])
            p = self.run(["ip", "tuntap", "add", "dev", self.tap, "mode", "tap"],
                         check=False)
            if p.returncode != 0:
                raise RigError("cannot create TAP device in %s: %s"
                               % (self.name, p.stderr.strip()))
            self.run(["ip", "addr", "add", "%s/%d" % (HOST_ADDR, PREFIX),
                      "dev", self.tap])
            self.run(["ip", "link", "set", self.tap, "up"])
            link = run(["ip", "-n", self.name, "link", "show", self.tap]).stdout
            self.mac = re.search(r"link/ether ([0-9a-f:]{17})", link).group(1)
        except BaseException:
            self.close()
            raise

    def cmd(self, argv):
        return ["ip", "netns", "exec", self.name] + list(argv)

    def run(self, argv, timeout=30, check=True):
        return run(self.cmd(argv), timeout=timeout, check=check)

    def ping(self, addr=DEV_ADDR, count=20, interval=0.05, size=None, wait=1, flood=False):
        """Pings addr from the namespace; returns (sent, received, output).
        flood: `ping -f` (next request as soon as the reply is in), still
        bounded by count and by a deadline."""
        if flood:
            argv = ["ping", "-n", "-q", "-f", "-c", str(count), "-w", str(5 + count // 50)]
            interval = 0.01
        else:
            argv = ["ping", "-n", "-c", str(count), "-i", str(interval), "-W", str(wait)]
        if size is not None:
            argv += ["-s", str(size)]
        argv.append(addr)
        # Bounded: count * (interval + wait) plus slack.
        p = self.run(argv, check=False,
                     timeout=10 + count * (interval + wait))
        m = re.search(r"(\d+) packets transmitted, (\d+) received", p.stdout)
        if not m:
            return 0, 0, p.stdout + p.stderr
        return int(m.group(1)), int(m.group(2)), p.stdout

    def neigh(self, addr):
        """The kernel's neighbour entry for addr: (lladdr or None, state line)."""
        p = self.run(["ip", "neigh", "show", "to", addr, "dev", self.tap])
        m = re.search(r"lladdr ([0-9a-f:]{17})", p.stdout)
        return (m.group(1) if m else None), p.stdout.strip()

    def scapy(self, action, **kw):
        """Runs scapy_tool.py ACTION in the namespace with the keyword
        arguments as its JSON; returns its JSON reply."""
        import json
        argv = [PY, os.path.join(HERE, "scapy_tool.py"), action,
                "--iface", self.tap, json.dumps(kw)]
        # The tool bounds itself (timeout <= 30 s, <= 1000 frames); this is
        # the backstop.
        bound = 30 + float(kw.get("timeout", 0)) + 0.05 * len(kw.get("frames", ()))
        p = self.run(argv, timeout=bound, check=False)
        if p.returncode != 0:
            raise RigError("scapy_tool %s failed (%d):\n%s\n%s"
                           % (action, p.returncode, p.stdout, p.stderr))
        return json.loads(p.stdout.strip().splitlines()[-1])

    def close(self):
        if self.closed:
            return
        self.closed = True
        _kill_ns_pids(self.name)
        run(["ip", "netns", "del", self.name], check=False, timeout=10)
        _unregister(self)

    def __repr__(self):
        return "Netns(%s)" % self.name


# ---------------------------------------------------------------- console --

class Console:
    """The firmware's serial console over QEMU's stdio pipes.

    A reader thread collects every byte; expect() searches from a cursor
    that only moves forward, so nothing printed is lost between calls."""

    PROMPT = "keel> "

    def __init__(self, rfile, wfile, log_path=None):
        self._r = rfile
        self._w = wfile
        self._buf = bytearray()
        self._pos = 0
        self._cond = threading.Condition()
        self._eof = False
        self._log = open(log_path, "ab", buffering=0) if log_path else None
        self._t = threading.Thread(target=self._reader, daemon=True)
        self._t.start()

    def _reader(self):
        fd = self._r.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            with self._cond:
                if not data:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self._buf += data
                self._cond.notify_all()
            if self._log:
                try:
                    self._log.write(data)
                except (OSError, ValueError):
                    pass

    def text(self, start=0):
        with self._cond:
            return self._buf[start:].decode("utf-8", "replace")

    @property
    def pos(self):
        return self._pos

    def expect(self, pattern, timeout=10.0):
        """Waits for regex pattern after the cursor; returns the match and
        moves the cursor past it.  Raises TimeoutError with what was seen."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = rx.search(self._buf, self._pos)
                if m:
                    self._pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    seen = self._buf[self._pos:].decode("utf-8", "replace")
                    why = "console closed (QEMU exited)" if self._eof else \
                        "timed out after %.1fs" % timeout
                    raise TimeoutError("%s waiting for %r; console since last "
                                       "match:\n%s" % (why, rx.pattern, seen[-3000:]))
                self._cond.wait(min(left, 0.5))

    def write(self, data):
        if isinstance(data, str):
            data = data.encode()
        self._w.write(data)
        self._w.flush()

    def sendline(self, line, eol="\r"):
        self.write(line + eol)

    def cmd(self, line, timeout=10.0):
        """Types line, waits for the next prompt; returns the output between
        the echoed line and that prompt (echo stripped, CRLF -> LF)."""
        with self._cond:
            self._pos = len(self._buf)   # drop anything unread before the command
        self.sendline(line)
        start = self._pos
        m = self.expect(re.escape(self.PROMPT), timeout=timeout)
        with self._cond:
            out = self._buf[start:m.start()].decode("utf-8", "replace")
        out = out.replace("\r\n", "\n").replace("\r", "\n")
        lines = out.split("\n")
        # The console echoes what is typed: drop the first line if it is that.
        if lines and lines[0].strip() == line.strip():
            lines = lines[1:]
        return "\n".join(lines).strip("\n")

    def close(self):
        if self._log:
            try:
                self._log.close()
            except OSError:
                pass


def parse_counters(text):
    """Counter lines -> {name: int}.  Understands `name value` (also
    `name: value`, `name=value`, several on one line), and netstat -s style
    groups: a line `Ip:` followed by indented `InCsumErrors 3` gives
    `Ip.InCsumErrors`."""
    out = {}
    group = None
    for line in text.splitlines():
        g = re.fullmatch(r"\s*([A-Za-z][A-Za-z0-9_]*):\s*", line)
        if g:
            group = g.group(1)
            continue
        if not line[:1].isspace():
            group = None
        for m in re.finditer(r"([A-Za-z_][A-Za-z0-9_.]*)[ \t]*[:=]?[ \t]+(\d+)\b(?![.:/])", line):
            key = m.group(1) if group is None else "%s.%s" % (group, m.group(1))
            out[key] = int(m.group(2))
    return out


def find_counter(counters, group, name, *alt):
    """The key under which a counter appears: Linux's `Group.Name`, or
    `GroupName` (nstat), `Group_Name`, or one of the alternative names alt
    (e.g. the stack's `ip.in_csum_errors`); case-insensitive.  None if absent."""
    want = ["%s.%s" % (group, name), "%s%s" % (group, name), "%s_%s" % (group, name)]
    want = [w.lower() for w in want + list(alt)]
    low = {k.lower(): k for k in counters}
    for w in want:
        if w in low:
            return low[w]
    return None


# ------------------------------------------------------------------- QEMU --

class Qemu:
    """qemu-system-arm running the board's ELF inside a namespace, its first
    UART on stdio pipes (the console), its NIC on the namespace's TAP."""

    def __init__(self, board, ns, elf=None, mac=None, log_name=None, extra=(), nic=None):
        if board not in BOARDS:
            raise RigError("unknown board %r" % board)
        self.board = board
        self.ns = ns
        self.machine, self.nic_model = BOARDS[board]
        # KEEL_BUILD_DIR points the rig at another build tree (default build/).
        build = os.environ.get("KEEL_BUILD_DIR", os.path.join(ROOT, "build"))
        self.elf = elf or os.path.join(build, board, "keel.elf")
        self.mac = (mac or MACS[board]).lower()
        self.proc = None
        self.console = None
        self.closed = False
        if not os.path.exists(self.elf):
            raise RigError("%s is missing: build it first (`make boards`)" % self.elf)
        os.makedirs(LOG_DIR, exist_ok=True)
        self.log_path = os.path.join(LOG_DIR, "%s.log" % (log_name or board))
        with open(self.log_path, "wb") as f:
            f.write(("# %s on %s in %s\n" % (self.elf, self.machine, ns.name)).encode())
        # nic: QEMU arguments that replace the default NIC on the TAP, given
        # the NIC model and MAC (e.g. a -netdev dgram to a relay).
        if nic is None:
            nic_args = ["-nic", "tap,ifname=%s,script=no,downscript=no,model=%s,mac=%s"
                        % (ns.tap, self.nic_model, self.mac)]
        else:
            nic_args = list(nic(self.nic_model, self.mac))
        self.argv = ns.cmd([
            "qemu-system-arm", "-M", self.machine, "-nographic", "-monitor", "none",
            "-serial", "stdio", "-kernel", self.elf,
        ] + nic_args + list(extra))
        self._stderr = open(self.log_path + ".stderr", "wb")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr,
                                     preexec_fn=_die_with_parent, bufsize=0)
        _register(self)
        self.console = Console(self.proc.stdout, self.proc.stdin, self.log_path)

    def stderr_text(self):
        try:
            with open(self.log_path + ".stderr", "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_boot(self, timeout=20.0):
        """Waits for the banner `keel ... on <board>` and the first prompt;
        returns the banner text."""
        try:
            self.console.expect(r"keel .* on %s" % re.escape(self.board), timeout)
            self.console.expect(re.escape(Console.PROMPT), timeout)
        except TimeoutError as e:
            raise TimeoutError("%s did not boot: %s\nQEMU stderr: %s\nQEMU %s"
                               % (self.board, e, self.stderr_text().strip(),
                                  "exited %s" % self.proc.poll()
                                  if self.proc.poll() is not None else "running"))
        return self.console.text(0)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def close(self):
        if self.closed:
            return
        self.closed = True
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        for f in (self.proc.stdin, self.proc.stdout) if self.proc else ():
            try:
                f.close()
            except OSError:
                pass
        if self.console:
            self.console.close()
        self._stderr.close()
        _unregister(self)

    def __repr__(self):
        return "Qemu(%s in %s)" % (self.board, self.ns.name)


class Dut:
    """Device under test: one namespace, one QEMU, booted."""

    def __init__(self, board, log_name=None, boot_timeout=20.0, nic=None, before_qemu=None,
                 dhcp=False):
        """nic: see Qemu; before_qemu(ns): called once the namespace exists
        and before QEMU starts (e.g. to start a relay on the TAP).
        The firmware leases its address by DHCP and falls back to
        192.0.2.2/24 after 3 s without an offer; dhcp=False (the default)
        sets that static address on the console at once, so a rig without
        a DHCP server needs no wait.  dhcp=True leaves DHCP running."""
        self.board = board
        self.ns = Netns()
        try:
            if before_qemu is not None:
                before_qemu(self.ns)
            self.qemu = Qemu(board, self.ns, log_name=log_name, nic=nic)
            self.banner = self.qemu.wait_boot(boot_timeout)
            self.console = self.qemu.console
            if not dhcp:
                # A leading space keeps it out of the console's history.
                self.console.cmd(" ifconfig %s/%d" % (DEV_ADDR, PREFIX))
        except BaseException:
            self.close()
            raise
        self.mac = self.qemu.mac
        self.addr = DEV_ADDR

    def cmd(self, line, timeout=10.0):
        return self.console.cmd(line, timeout)

    def counters(self, commands=("ifconfig", "netstat -s")):
        """Every counter the console prints, from `ifconfig` and, where the
        firmware has it, `netstat -s` (unknown commands print no numbers).
        commands: one command line or a sequence of them."""
        if isinstance(commands, str):
            commands = (commands,)
        out = {}
        for c in commands:
            out.update(parse_counters(self.cmd(c)))
        return out

    def counter(self, counters, group, name, *alt):
        key = find_counter(counters, group, name, *alt)
        if key is None:
            raise AssertionError("the console prints no counter %s.%s (%s); it has: %s"
                                 % (group, name, " ".join(alt), " ".join(sorted(counters))))
        return key

    def close(self):
        q = getattr(self, "qemu", None)
        if q is not None:
            q.close()
        self.ns.close()
