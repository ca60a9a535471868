"""dnsmasq (Debian's dnsmasq-base) as the DHCP and DNS server of a test
namespace: listening on the TAP at 192.0.2.1 only, leasing 192.0.2.2 to
the device's MAC, answering a few static names under .test (RFC 6761).
Started and stopped by the test; bounded in time like everything else."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from keelqemu import HOST_ADDR, DEV_ADDR, RigError, _die_with_parent, _register, _unregister

# Names the server answers (A records), for the resolver tests.
STATIC_NAMES = {
    "keel.test": "192.0.2.80",
    "router.test": HOST_ADDR,
}


class Dnsmasq:
    def __init__(self, ns, mac, lease_s=120, t1_s=None, t2_s=None, extra=()):
        if shutil.which("dnsmasq") is None:
            raise RigError("dnsmasq not found: run `scripts/deps.sh test` (dnsmasq-base)")
        self.ns = ns
        self.dir = tempfile.mkdtemp(prefix="keel-dnsmasq-")
        self.log_path = os.path.join(self.dir, "dnsmasq.log")
        argv = [
            "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--user=root", "--group=root",
            "--interface=%s" % ns.tap, "--bind-interfaces", "--listen-address=%s" % HOST_ADDR,
            "--no-resolv", "--no-hosts", "--no-ping", "--dhcp-authoritative",
            "--local=/test/",   # .test names are answered here or NXDOMAIN
            "--local-ttl=300",  # (dnsmasq gives its own names TTL 0 by default)
            # dnsmasq keeps leases of 2 min at least; a shorter one is
            # handed to the client through option 51 itself.
            "--dhcp-range=%s,%s,255.255.255.0,%ds" % (DEV_ADDR, DEV_ADDR, max(lease_s, 120)),
            "--dhcp-host=%s,%s" % (mac, DEV_ADDR),
            "--dhcp-option=option:router,%s" % HOST_ADDR,
            "--dhcp-option=option:dns-server,%s" % HOST_ADDR,
            "--dhcp-leasefile=%s" % os.path.join(self.dir, "leases"),
            "--pid-file=%s" % os.path.join(self.dir, "pid"),
            "--log-dhcp", "--log-queries", "--log-facility=%s" % self.log_path,
        ]
        if lease_s < 120:
            argv.append("--dhcp-option=51,%d" % lease_s)
        if t1_s:
            argv.append("--dhcp-option=option:T1,%d" % t1_s)
        if t2_s:
            argv.append("--dhcp-option=option:T2,%d" % t2_s)
        for name, addr in STATIC_NAMES.items():
            argv.append("--host-record=%s,%s" % (name, addr))
        argv += list(extra)
        self.argv = ns.cmd(argv)
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        _register(self)
        # Up when it listens on 67 (bounded wait).
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RigError("dnsmasq exited: %s" % self.proc.stderr.read().decode())
            out = self.ns.run(["ss", "-uln"], check=False).stdout
            if ":67 " in out:
                return
            time.sleep(0.05)
        raise RigError("dnsmasq did not start listening")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.proc = None
        _unregister(self)

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
