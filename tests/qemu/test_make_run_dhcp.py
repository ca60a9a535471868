"""`make run` as a user starts it: the firmware's default is DHCP, and QEMU's
user networking (the -nic line read from `make -n run`) hands it 192.0.2.2,
the address the README's forwarded ports point at (issue: make run shows the
leased address right after the banner)."""
import re

import pytest

import keelqemu
from test_http_browser import run_nic


def test_make_run_leases_the_forwarded_address(board):
    nic = run_nic(board)
    try:
        dut = keelqemu.Dut(board, log_name="%s-make-run-dhcp" % board, dhcp=True,
                           nic=lambda model, mac: ["-nic", "%s,mac=%s" % (nic, mac)])
    except keelqemu.RigError as e:
        pytest.fail("qemu rig: %s" % e, pytrace=False)
    try:
        # QEMU's DHCP server sits on the host side, 192.0.2.1 (host= in -nic);
        # with restrict=on it offers no router, so the gateway stays unset.
        dut.console.expect(r"dhcp: leased ip 192\.0\.2\.2/24 gw \S+ from 192\.0\.2\.1 for \d+ s",
                           timeout=30.0)
        # The notice redraws the prompt after it: wait for that, or the
        # next command would take it for its own.
        dut.console.expect(re.escape(dut.console.PROMPT), timeout=5.0)
        out = dut.cmd("ifconfig")
        assert "addr 192.0.2.2/24" in out and "dhcp bound" in out, out
    finally:
        dut.close()
