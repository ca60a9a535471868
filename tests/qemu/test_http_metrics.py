"""HTTP /metrics: Prometheus text format, scraped from the namespace, and
the numbers agree with the console's `netstat -s` and with what the test
itself did."""
import time

import keelhttp
from keelhttp import metric

# Counters a finished scrape can no longer move: equal on both sides.
# (InSegs, OutSegs, TW, the Ip/Eth/Link counts move with the scrape's own
# close, after /metrics was generated.)
STABLE = ["TcpActiveOpens", "TcpPassiveOpens", "TcpAttemptFails", "TcpEstabResets",
          "TcpInErrs", "TcpOutRsts", "TcpExtListenOverflows", "TcpExtListenDrops",
          "TcpExtSyncookiesSent", "TcpExtSyncookiesRecv", "TcpExtSyncookiesFailed",
          "TcpExtTCPAbortOnClose", "TcpExtTCPAbortOnData", "IcmpInEchos", "IcmpOutEchoReps"]


def counter_name(nstat):
    """TcpExtListenDrops -> keel_netstat_TcpExt_ListenDrops (longest group first)."""
    for group in ("TcpExt", "Tcp", "Udp", "Dhcp", "Dns", "Ip", "Icmp", "Arp", "Eth", "Link"):
        if nstat.startswith(group):
            return "keel_netstat_%s_%s" % (group, nstat[len(group):])
    raise AssertionError("unknown group in %r" % nstat)


def test_metrics_format_states_pools(dut):
    samples, types = keelhttp.metrics(dut)
    states = {dict(k[1])["state"]: v for k, v in samples.items()
              if k[0] == "keel_tcp_connections"}
    assert set(states) >= {"LISTEN", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
                           "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"}, states
    assert types["keel_tcp_connections"] == "gauge"
    # Listeners: every service, and the pool agrees.
    assert states["LISTEN"] >= 6, states
    assert states["LISTEN"] == metric(samples, "keel_pool_in_use", pool="listeners")
    # This very scrape is an established connection while it is generated.
    assert states["ESTABLISHED"] >= 1, states
    assert metric(samples, "keel_pool_in_use", pool="tcb") >= 1
    for pool in ("tcb", "syn_queue", "time_wait", "listeners"):
        size = metric(samples, "keel_pool_size", pool=pool)
        assert 0 <= metric(samples, "keel_pool_in_use", pool=pool) <= size
        assert metric(samples, "keel_pool_in_use", pool=pool) <= \
            metric(samples, "keel_pool_high_water", pool=pool) <= size
    for port in ("80", "5001", "7"):
        assert metric(samples, "keel_tcp_listen_backlog", port=port) >= 1
        assert metric(samples, "keel_tcp_listen_accept_queue", port=port) >= 0
        assert metric(samples, "keel_tcp_listen_syn_queue", port=port) >= 0
    assert metric(samples, "keel_uptime_seconds") > 0
    assert types["keel_netstat_Tcp_ActiveOpens"] == "counter"
    assert types["keel_netstat_Tcp_CurrEstab"] == "gauge"
    assert metric(samples, "keel_netstat_Tcp_CurrEstab") >= 1


def test_passive_opens_count_our_connections(dut):
    before, _ = keelhttp.metrics(dut)
    n = 5
    for _ in range(n):
        status, _, _ = keelhttp.get(dut, "/nothing-here")
        assert status == 404
    after, _ = keelhttp.metrics(dut)
    grew = metric(after, "keel_netstat_Tcp_PassiveOpens") - \
        metric(before, "keel_netstat_Tcp_PassiveOpens")
    # n requests plus the second scrape itself.
    assert grew == n + 1, (before, after)
    assert metric(after, "keel_netstat_Tcp_InSegs") > metric(before, "keel_netstat_Tcp_InSegs")
    assert metric(after, "keel_uptime_seconds") >= metric(before, "keel_uptime_seconds")


def test_metrics_agree_with_console_netstat(dut):
    samples, _ = keelhttp.metrics(dut)
    time.sleep(0.5)   # the scrape's own close is over
    console = keelhttp.netstat_s(dut)
    metric_names = {k[0] for k in samples}
    for name, value in console.items():
        m = counter_name(name)
        assert m in metric_names, "%s (netstat -s) missing from /metrics" % m
        # Counters only grow: what /metrics said then is <= the console now.
        if name.endswith("CurrEstab"):
            continue
        assert metric(samples, m) <= value, (name, metric(samples, m), value)
    for name in STABLE:
        assert name in console, name
        assert metric(samples, counter_name(name)) == console[name], \
            (name, metric(samples, counter_name(name)), console[name])
    # and every counter of the table is in /metrics (no more, no fewer)
    assert len([n for n in metric_names if n.startswith("keel_netstat_")]) == len(console)


def test_metrics_chunk_pool_and_memory_counters(dut):
    samples, types = keelhttp.metrics(dut)
    size = metric(samples, "keel_chunks", kind="size")
    # This scrape's own response may hold a few chunks while it is made.
    assert 0 <= metric(samples, "keel_chunks", kind="in_use") <= \
        metric(samples, "keel_chunks", kind="high_water") <= size
    assert types["keel_chunks"] == "gauge" and types["keel_tcp_memory_pressure"] == "gauge"
    assert metric(samples, "keel_tcp_memory_pressure") in (0, 1)
    for name in ("TCPMemoryPressures", "TCPRcvQDrop", "PruneCalled", "OfoPruned", "TCPOFODrop"):
        assert types["keel_netstat_TcpExt_" + name] == "counter", name
        assert metric(samples, "keel_netstat_TcpExt_" + name) >= 0
