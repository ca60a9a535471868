"""HTTP helpers for tests/qemu: requests to the device's port 80 made from
inside the test's namespace (curl, or a raw socket through a small Python
child for malformed requests).  Every call is bounded in time."""
import json
import os
import re
import subprocess

import keelqemu

ARTIFACTS = os.path.join(keelqemu.ROOT, "build", "artifacts")

# A raw client run in the namespace: sends argv[1] (hex) to DEV_ADDR:80 in
# pieces, reads the reply until the device closes or the deadline passes,
# prints JSON {reply (latin-1), closed_by_peer, seconds}.
_RAW = r"""
import json, socket, sys, time
data = bytes.fromhex(sys.argv[1]); deadline = float(sys.argv[2]); delay = float(sys.argv[3])
s = socket.create_connection(("%s", 80), timeout=5)
t0 = time.monotonic()
try:
    for i in range(0, len(data), 256):
        s.sendall(data[i:i + 256])
        if delay:
            time.sleep(delay)
except OSError as e:
    pass
buf = b""; closed = False; err = None
s.settimeout(0.5)
while time.monotonic() - t0 < deadline:
    try:
        chunk = s.recv(4096)
    except socket.timeout:
        continue
    except OSError as e:
        err = str(e); closed = True; break
    if not chunk:
        closed = True; break
    buf += chunk
print(json.dumps({"reply": buf.decode("latin-1"), "closed": closed, "error": err,
                  "seconds": time.monotonic() - t0}))
""" % keelqemu.DEV_ADDR


def get(dut, path, method=None, timeout=10, out=None):
    """GET (or method) http://DEV_ADDR/path with curl in the namespace;
    returns (status, headers dict lower-case, body bytes)."""
    body_file = out or "/tmp/keelhttp-%d.body" % os.getpid()
    argv = ["curl", "-sS", "-m", str(timeout), "-D", "-", "-o", body_file]
    if method == "HEAD":
        argv.append("-I")
    elif method:
        argv += ["-X", method]
    argv.append("http://%s%s" % (keelqemu.DEV_ADDR, path))
    p = dut.ns.run(argv, timeout=timeout + 10, check=False)
    assert p.returncode == 0, "curl %s failed (%d): %s" % (path, p.returncode, p.stderr)
    m = re.match(r"HTTP/1\.[01] (\d{3})", p.stdout)
    assert m, "no status line: %r" % p.stdout[:200]
    headers = {}
    for line in p.stdout.splitlines()[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    body = b""
    if os.path.exists(body_file):
        with open(body_file, "rb") as f:
            body = f.read()
        if out is None:
            os.unlink(body_file)
    return int(m.group(1)), headers, body


def raw(dut, data, deadline=8.0, delay=0.0):
    """Sends raw bytes to port 80, returns {reply, closed, error, seconds}."""
    if isinstance(data, str):
        data = data.encode("latin-1")
    p = dut.ns.run([keelqemu.PY, "-c", _RAW, data.hex(), str(deadline), str(delay)],
                   timeout=deadline + 15, check=False)
    assert p.returncode == 0, "raw client failed: %s %s" % (p.stdout, p.stderr)
    return json.loads(p.stdout.strip().splitlines()[-1])


def status_of(reply):
    m = re.match(r"HTTP/1\.[01] (\d{3}) ", reply)
    return int(m.group(1)) if m else None


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (-?[0-9.]+(?:e[+-]?\d+)?)$')


def parse_metrics(text):
    """Prometheus text format -> ({(name, labels-tuple): value}, {name: type}).
    Raises AssertionError on any line that is not a comment or a sample,
    or a sample whose family has no # TYPE before it."""
    samples, types, helps = {}, {}, set()
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            helps.add(line.split()[2])
            continue
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ", 3)
            assert typ in ("counter", "gauge", "untyped", "histogram", "summary"), line
            types[name] = typ
            continue
        assert not line.startswith("#"), "stray comment: %r" % line
        m = _SAMPLE.match(line)
        assert m, "not a sample line: %r" % line
        name, labels = m.group(1), ()
        if m.group(3):
            labels = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', m.group(3))))
        assert name in types, "sample before its # TYPE: %r" % line
        assert name in helps, "sample without # HELP: %r" % line
        key = (name, labels)
        assert key not in samples, "duplicate sample %r" % (key,)
        samples[key] = float(m.group(4))
    return samples, types


def metrics(dut):
    status, headers, body = get(dut, "/metrics")
    assert status == 200, status
    assert headers.get("content-type", "").startswith("text/plain; version=0.0.4"), headers
    return parse_metrics(body.decode())


def metric(samples, name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]


def netstat_s(dut):
    """The console's `netstat -s` as {"TcpActiveOpens": n, ...} (nstat's
    GroupName keys, which map onto /metrics names)."""
    out = dut.cmd("netstat -s", timeout=15)
    vals = {}
    for key, value in keelqemu.parse_counters(out).items():
        group, dot, name = key.partition(".")
        assert dot, "netstat -s line outside a group: %r" % key
        vals[group + name] = value
    assert vals, "netstat -s printed no counters:\n" + out
    return vals
