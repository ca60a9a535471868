"""The same-RAM-budget rows of bench/run (issue 15): keel's image against
an lwIP 2.1.3 image whose pools fill the same bytes.

keel's budget is read from its running image (`mem`): its connection
state -- the TCB pool (entries x sizeof(struct tcp_tcb)) and the two
pools of per-connection state held only while a connection is busy
(tcb_ext: out-of-order ranges, SACK scoreboard, RTT probe; tcb_flight:
the queues' descriptors and the sender's in-flight state) -- plus the
shared chunk arena (chunks x chunk size).  lwIP's image
(build/bench/lwip-budget-<board>.elf, the same code as the bench's lwIP
with other pool sizes) gets
  MEMP_NUM_TCP_PCB = (keel's state bytes - lwIP's tcp_seg pool, its own
  per-segment state) / lwIP's PCB element, and
  heap (MEM_SIZE, where tcp_write copies what it sends) + pbuf pool
  (PBUF_POOL_SIZE x 1552 B, where frames arrive) = keel's arena bytes,
  half each;
so each stack's connection state gets the same bytes, pools held only
while busy included on both sides, and so do its buffers.  The tcp_seg
pool's bytes are read from a first build (`nm -S`) and the PCB count
taken from what is left (a second build when it changes).  TCP_WND and
TCP_SND_BUF are lwIP's defaults (4 x MSS and
2 x MSS), bounded by keel's per-connection maximum and by what the pbuf
pool and heap hold: on mps2-an385 a bigger lwIP window loses frames at
the emulated MAC and moves far less (discard 1 MiB, one run each:
TCP_WND 7300 ~1 MB/s, 16384 ~0.1, 65535 ~0.06; 5840 ~9.4), so its
default is lwIP's best here.  The bytes lwIP's linked image really gives these pools (`nm -S`)
are printed beside keel's.  Not counted on either side: listeners, the
SYN queue and TIME_WAIT (keel's are outside the TCB pool; lwIP's
TIME_WAIT is a PCB from the pool), neighbour tables (lwIP's gets one
entry per client host, as keel's follows its pools), and each firmware's
per-connection application slot.

Rows per board (bench/README.md):
  connections held before refusing: a bounded loop opens echo
    connections one after another from many on-link addresses
    (192.0.2.10 ..., as tests/qemu/test_many_conns.py), each echoing its
    bytes, until two in a row fail (no SYN-ACK, or no echo: keel with a
    full TCB pool keeps the handshake in its SYN queue and drops the
    final ACK);
  bytes per idle established connection: state plus the buffers the
    stack holds for the connections held (keel: sizeof(tcb) + (chunks,
    tcb_ext and tcb_flight entries in use) / held; lwIP: sizeof(tcp_pcb)
    + (pbuf pool in use x 1552 + heap in use + tcp_seg in use) / held),
    read from each console while they are held;
  bulk: discard into one connection at that budget, in pairs;
  connection rate (port 13, C client) and echo 64-byte round trip with 0
    and with N connections held open (N: the smaller held count less a
    margin, so both stacks have room), in pairs, and each stack's
    N-held / 0-held ratio (the O(1) check: goal >= 0.9 for keel).
Goals printed beside the rows: >= 1.5x the connections lwIP holds, bulk
>= 1.5x, idle connection <= 0.6x lwIP's bytes."""
import os
import re
import resource
import subprocess
import time

import nssock

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FIRST_HOST = 10               # clients at 192.0.2.10 ...
HOSTS = 240                   # ... up to 192.0.2.249
PAYLOAD = 16
MSS = 1460
PBUF_ELEM = 16 + 1536         # sizeof(struct pbuf) + PBUF_POOL_BUFSIZE (checked by nm below)
MARGIN = 8                    # connections left free for the N-held rows
CONNECT_TIMEOUT = 3.0         # two SYNs from Linux (RTO 1 s) before a refusal
# (text, test of the row): issue 15's goals, printed beside the rows.
GOALS = {"held": (">=1.5x lwIP", lambda r: (r["ratio"] or 0) >= 1.5),
         "bulk": (">=1.5x lwIP", lambda r: (r["ratio"] or 0) >= 1.5),
         "idle": ("<=0.6x lwIP", lambda r: bool(r["keel"] and r["lwip"])
                  and r["keel"] <= 0.6 * r["lwip"]),
         "o1": ("keel >=0.9", lambda r: (r["keel"] or 0) >= 0.9)}


def with_goal(row, key):
    text, test = GOALS[key]
    row["goal"] = text
    row["goal_met"] = bool(test(row))
    return row


def _pools(text):
    """keel's `mem`: {pool: (size, in_use, entry)}."""
    res = {}
    for m in re.finditer(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(\d+)\s+\d+\s*$", text, re.M):
        res[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(5)))
    return res


def keel_mem(console):
    text = console.cmd("mem", timeout=10)
    p = _pools(text)
    m = re.search(r"sizeof\(struct tcp_tcb\) (\d+)", text)
    tcb_n, tcb_used, tcb_entry = p["tcb"]
    ch_n, ch_used, ch_entry = p["chunks"]
    # Per-connection state held only while busy (module docstring): in the budget.
    busy = {name: p[name][0] * p[name][2] for name in ("tcb_ext", "tcb_flight") if name in p}
    busy_used = sum(p[name][1] * p[name][2] for name in busy)
    return {"tcb_n": tcb_n, "tcb_used": tcb_used, "tcb_bytes": int(m.group(1)) if m else tcb_entry,
            "chunk_n": ch_n, "chunk_used": ch_used, "chunk_bytes": ch_entry, "busy": busy,
            "busy_used": busy_used,
            "text": text}


def lwip_mem(console):
    text = console.cmd("mem", timeout=10)
    return {k: int(v) for k, v in re.findall(r"^(\w+) (\d+)\s*$", text, re.M)}


def keel_buf_max(console):
    """tcp_rmem's max (bytes one connection may buffer), from sysctl."""
    out = console.cmd("sysctl tcp_rmem", timeout=10)
    nums = [int(x) for x in re.findall(r"\d+", out.split("tcp_rmem", 1)[-1])]
    return nums[2] if len(nums) >= 3 else None


def lwip_defs(budget_tcb, budget_arena, pcb_elem, buf_max, hosts):
    """The -D list for lwIP's budget image, and the arithmetic in words."""
    pcbs = budget_tcb // pcb_elem
    heap = budget_arena // 2
    pool = (budget_arena - heap) // PBUF_ELEM
    wnd = min(4 * MSS, buf_max, pool * MSS)     # lwIP's default TCP_WND (opt.h)
    snd = min(2 * MSS, buf_max, heap - 1024)    # lwIP's default TCP_SND_BUF
    queue = min(4 * ((snd + MSS - 1) // MSS), 65535)
    defs = ["-DBENCH_POOLRAM", "-DBENCH_MAX_CONN=%d" % pcbs, "-DBENCH_MEM_SIZE=%d" % heap,
            "-DBENCH_PBUF_POOL=%d" % pool, "-DBENCH_TCP_WND=%d" % wnd, "-DBENCH_TCP_BUF=%d" % snd,
            "-DBENCH_SND_QUEUELEN=%d" % queue, "-DBENCH_TCP_SEGS=%d" % max(64, 2 * queue),
            "-DBENCH_ARP_TABLE=%d" % max(10, hosts + 8)]
    words = ("MEMP_NUM_TCP_PCB %d = %d B / %d B; MEM_SIZE %d = %d / 2; PBUF_POOL_SIZE %d = "
             "%d B / %d B; TCP_WND %d, TCP_SND_BUF %d" % (pcbs, budget_tcb, pcb_elem, heap,
                                                         budget_arena, pool, budget_arena - heap,
                                                         PBUF_ELEM, wnd, snd))
    return defs, words


def lwip_pool_bytes(elf, cross="arm-none-eabi-"):
    """What the linked lwIP image gives each pool (nm -S)."""
    out = subprocess.run([cross + "nm", "-S", elf], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    sizes = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4:
            sizes[f[3]] = int(f[1], 16)
    return {"pcb": sizes.get("memp_memory_TCP_PCB_base", 0),
            "pbuf_pool": sizes.get("memp_memory_PBUF_POOL_base", 0),
            "heap": sizes.get("ram_heap", 0),
            "tcp_seg": sizes.get("memp_memory_TCP_SEG_base", 0)}


def raise_fd_limit(want):
    """Raises this process's descriptor limit towards want (the hard
    limit needs CAP_SYS_RESOURCE); returns the limit it has."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
        except (ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def wait_idle(console, stack, seconds, max_used=0):
    """Until at most max_used connections are left in the stack's pool
    (their last ACKs in) or seconds pass.  lwIP closes thousands slowly:
    each FIN needs a tcp_seg (MEMP_NUM_TCP_SEG), and a close that finds
    none is retried from the service's poll every second."""
    end = time.monotonic() + seconds
    used = None
    while time.monotonic() < end:
        used = keel_mem(console)["tcb_used"] if stack == "keel" else \
            lwip_mem(console).get("app_slots_used", 0)
        if used <= max_used:
            break
        time.sleep(0.5)
    return used


def add_hosts(ns, hosts):
    """The client addresses 192.0.2.10 ... up to hosts of them in ns (those
    not added before)."""
    have = getattr(ns, "budget_hosts", 0)
    batch = "".join("addr add 192.0.2.%d/24 dev %s\n" % (FIRST_HOST + h, ns.tap)
                    for h in range(have, hosts))
    if batch:
        subprocess.run(["ip", "-n", ns.name, "-batch", "-"], input=batch, text=True, check=True,
                       timeout=60, stdout=subprocess.DEVNULL)
        ns.budget_hosts = hosts


def _payload(i):
    return ("%07d:" % i).encode() + bytes((i * 7 + j) % 251 for j in range(PAYLOAD - 8))


def _open_one(ns, i, hosts):
    s = nssock.socket_in(ns.name)
    try:
        s.settimeout(CONNECT_TIMEOUT)
        s.bind(("192.0.2.%d" % (FIRST_HOST + i % hosts), 0))
        s.connect(("192.0.2.2", 7))
        s.sendall(_payload(i))
        got = b""
        while len(got) < PAYLOAD:
            b = s.recv(PAYLOAD - len(got))
            if not b:
                raise EOFError("closed")
            got += b
        if got != _payload(i):
            raise AssertionError("connection %d echoed other bytes" % i)
        s.settimeout(None)
        return s
    except BaseException:
        s.close()
        raise


def hold(ns, limit, hosts, budget_s):
    """Opens echo connections until two in a row fail, limit is reached or
    budget_s is spent.  Returns (sockets held, why it stopped, seconds)."""
    socks, fails, why = [], 0, "limit %d reached" % limit
    t0 = time.monotonic()
    i = 0
    while len(socks) < limit:
        if time.monotonic() - t0 > budget_s:
            why = "time budget %.0f s spent" % budget_s
            break
        try:
            socks.append(_open_one(ns, i, hosts))
            fails = 0
        except (OSError, EOFError, AssertionError) as e:
            fails += 1
            if fails >= 2:
                why = "refused: %s" % (str(e) or type(e).__name__)
                break
        i += 1
    return socks, why, time.monotonic() - t0


def close_all(socks, batch=100):
    for i, s in enumerate(socks):
        s.close()
        if i % batch == batch - 1:
            time.sleep(0.05)


def build_lwip(board, defs, out):
    """build/bench/lwip-budget-<board>.elf with defs, copied into out."""
    p = subprocess.run(["make", "--no-print-directory", "-j2", "-f", "bench/lwip/lwip.mk",
                        "BOARD=" + board, "VARIANT=budget", "BENCH_DEFS=" + " ".join(defs)],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=900)
    if p.returncode != 0:
        raise SystemExit("bench: lwIP budget image for %s failed:\n%s" % (board, p.stdout[-3000:]))
    import shutil
    elf = os.path.join(out, "lwip-budget-%s.elf" % board)
    built = os.path.join(ROOT, "build", "bench", "lwip-budget-%s.elf" % board)
    if os.path.abspath(built) != os.path.abspath(elf):
        shutil.copyfile(built, elf)
    return elf


def idle_bytes_keel(m, held):
    return m["tcb_bytes"] + (m["chunk_used"] * m["chunk_bytes"] + m["busy_used"]) / max(1, held)


def idle_bytes_lwip(m, held):
    return m["sizeof_tcp_pcb"] + (m.get("pbuf_pool_used", 0) * PBUF_ELEM + m.get("mem_used", 0)
                                  + m.get("tcp_seg_used", 0) * m.get("sizeof_tcp_seg", 0)) \
        / max(1, held)


def rows(board, keel_elf, pcb_size, out, Box, measure_pairs, clients, report, say, quick, rows_out):
    """Every budget row for board, appended to rows_out; returns the
    details (budget arithmetic, held counts, why each loop stopped)."""
    detail = {}
    seq = 20 if quick else 200
    rtt = 100 if quick else 1000
    bulk = (1 if quick else 8) << 20
    boxes = {}
    try:
        boxes["keel"] = Box("keel", board, keel_elf)
        km = keel_mem(boxes["keel"].qemu.console)
        buf_max = keel_buf_max(boxes["keel"].qemu.console) or 2048
        tcb_pool = km["tcb_n"] * km["tcb_bytes"]
        state = tcb_pool + sum(km["busy"].values())
        arena = km["chunk_n"] * km["chunk_bytes"]
        pcb_elem = (pcb_size + 3) // 4 * 4       # MEMP_ALIGN_SIZE, MEM_ALIGNMENT 4
        hosts = HOSTS
        seg_pool = 0                             # lwIP's tcp_seg bytes: from the first build
        for _ in range(2):
            defs, words = lwip_defs(state - seg_pool, arena, pcb_elem, buf_max, hosts)
            lwip_elf = build_lwip(board, defs, out)
            lp = lwip_pool_bytes(lwip_elf)
            if lp["tcp_seg"] == seg_pool:
                break
            seg_pool = lp["tcp_seg"]
        busy = ", ".join("%s %d B" % kv for kv in sorted(km["busy"].items())) or "-"
        say("   budget %s: keel %d TCBs x %d B + %s + %d chunks x %d B = %d + %d = %d B; "
            "lwIP: tcp_seg pool %d B, %s"
            % (board, km["tcb_n"], km["tcb_bytes"], busy, km["chunk_n"], km["chunk_bytes"],
               state, arena, state + arena, lp["tcp_seg"], words))
        boxes["lwip"] = Box("lwip", board, lwip_elf)
        lm = lwip_mem(boxes["lwip"].qemu.console)
        if lm.get("sizeof_tcp_pcb", pcb_elem) > pcb_elem:
            raise SystemExit("bench: lwIP's PCB is %d B, the arithmetic took %d"
                             % (lm["sizeof_tcp_pcb"], pcb_elem))
        lwip_state = lp["pcb"] + lp["tcp_seg"]
        lwip_total = lwip_state + lp["pbuf_pool"] + lp["heap"]
        detail.update(keel_busy_pools=km["busy"], lwip_seg_pool=lp["tcp_seg"],
                      keel_tcb=km["tcb_n"], keel_tcb_bytes=km["tcb_bytes"],
                      keel_chunks=km["chunk_n"], keel_chunk_bytes=km["chunk_bytes"],
                      keel_budget=state + arena, keel_buf_max=buf_max, lwip_defs=defs,
                      lwip_arithmetic=words, lwip_pool_bytes=lp, lwip_budget=lwip_total,
                      lwip_pcbs=lm.get("tcp_pcb_pool"), lwip_pcb_bytes=lm.get("sizeof_tcp_pcb"))
        r = report.fixed_row(board, "budget: state+arena / PCBs+segs+pbufs+heap", state + arena,
                             lwip_total, unit="B")
        r.update(ratio=None, keel_parts=[tcb_pool, km["busy"], arena], lwip_parts=lp)
        rows_out.append(r)
        for label, k, l in (("budget: connection state (TCBs+ext+flight / PCBs+tcp_seg)", state,
                             lwip_state),
                            ("budget: buffers (arena / pbuf pool+heap)", arena,
                             lp["pbuf_pool"] + lp["heap"])):
            rows_out.append(dict(report.fixed_row(board, label, k, l, unit="B"), ratio=None))
        # Every client address first, so the 0-held and N-held rows differ
        # in the connections held only (not in the client's addresses).
        for s in boxes:
            add_hosts(boxes[s].ns, hosts)
        # 0 held: bulk, connection rate, round trip.
        def pair(label, unit, better, fn, goal=None):
            vals, _ = measure_pairs(boxes, label, fn)
            r = report.paired_row(board, label, unit, better, vals["keel"], vals["lwip"])
            if goal:
                with_goal(r, goal)
            rows_out.append(r)
            return r
        pair("budget: discard %d MiB, one conn" % (bulk >> 20), "MB/s", "higher",
             lambda ns: clients.discard_mbps(ns, bulk), "bulk")
        c0 = pair("budget: port 13 x%d, 0 held" % seq, "conn/s", "higher",
                  lambda ns: clients.conn_rate(ns, seq, 1)["rate"])
        r0 = pair("budget: echo 64 B RTT, 0 held", "us", "lower",
                  lambda ns: clients.echo_rtt_us(ns, rtt))
        # Hold as many as each takes, one stack at a time (this process's
        # descriptors may not cover both pools at once), reading each
        # console while they are held; then both are let go.
        fd_room = raise_fd_limit(2 * (km["tcb_n"] + lm["tcp_pcb_pool"]) + 1024) - 512
        held, socks, mems = {}, {}, {}
        for s in ("keel", "lwip"):
            pool = km["tcb_n"] if s == "keel" else lm["tcp_pcb_pool"]
            limit = min(pool + 16, fd_room)
            add_hosts(boxes[s].ns, min(hosts, limit))
            got, why, secs = hold(boxes[s].ns, limit, min(hosts, limit),
                                  max(120.0, 0.05 * limit))
            if len(got) >= limit and limit < pool + 16:
                why = "stopped by the client's descriptor limit (%d)" % fd_room
            held[s] = len(got)
            mems[s] = (keel_mem if s == "keel" else lwip_mem)(boxes[s].qemu.console)
            say("   budget %s: %s holds %d echo connections (%s; %.0f s)"
                % (board, s, held[s], why, secs))
            detail["held_" + s] = {"held": held[s], "stopped": why, "seconds": round(secs, 1),
                                   "limit": limit, "hosts": min(hosts, limit)}
            close_all(got)
            # Enough room for the N-held rows (all of it for the first).
            room = 0 if s == "keel" else max(0, pool - min(held.values()))
            left = wait_idle(boxes[s].qemu.console, s, max(30.0, 0.01 * held[s]), room)
            detail["held_" + s]["left_after_close"] = left
        km2, lm2 = mems["keel"], mems["lwip"]
        detail["mem_held"] = {"keel": km2["text"], "lwip": lm2}
        capped = [s for s in held if detail["held_" + s]["stopped"].startswith("stopped by")]
        label = "budget: connections held before refusing"
        if capped:      # a lower bound only: the figure says so
            label = "budget: connections held (%s >=, fd limit)" % "+".join(capped)
        rows_out.append(with_goal(report.fixed_row(board, label, held["keel"], held["lwip"],
                                                   better="higher"), "held"))
        rows_out[-1]["lower_bound"] = capped
        rows_out.append(with_goal(report.fixed_row(
            board, "budget: bytes per idle established conn",
            round(idle_bytes_keel(km2, held["keel"]), 1),
            round(idle_bytes_lwip(lm2, held["lwip"]), 1), unit="B"), "idle"))
        # N held on both at once, opened again the same way.
        n = max(0, min(min(held.values()) - MARGIN, fd_room // 2 - 64))
        for s in ("keel", "lwip"):
            socks[s], why, secs = hold(boxes[s].ns, n, min(hosts, n), max(120.0, 0.05 * n))
            say("   budget %s: %s holds %d again for the N-held rows (%.0f s)"
                % (board, s, len(socks[s]), secs))
            if len(socks[s]) < n:
                raise RuntimeError("%s held only %d of %d again (%s)" % (s, len(socks[s]), n, why))
        # N is in each row ("held_n") and the log, not in the label, so
        # both boards' rows share a line of the README's table.
        cn = pair("budget: port 13 x%d, N held" % seq, "conn/s", "higher",
                  lambda ns: clients.conn_rate(ns, seq, 1)["rate"])
        rn = pair("budget: echo 64 B RTT, N held", "us", "lower",
                  lambda ns: clients.echo_rtt_us(ns, rtt))
        cn["held_n"] = rn["held_n"] = n
        for label, a, b, better in (("conn/s", cn, c0, "higher"), ("echo RTT", rn, r0, "lower")):
            ratio = {}
            for s in ("keel", "lwip"):
                x, y = a["%s_median" % s], b["%s_median" % s]
                ratio[s] = round((x / y) if better == "higher" else (y / x), 3) if x and y else None
            r = report.fixed_row(board, "budget: %s N-held / 0-held" % label, ratio["keel"],
                                 ratio["lwip"], better="higher")
            r["ratio"] = None
            r["held_n"] = n
            rows_out.append(with_goal(r, "o1"))
        for s in socks:
            close_all(socks[s])
    finally:
        for b in boxes.values():
            b.close()
    return detail

