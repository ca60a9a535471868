"""The serial console: boot banner, prompt, the basic commands."""
import re

from keelqemu import DEV_ADDR


def test_banner_names_board_mac_and_address(dut):
    banner = dut.banner
    assert re.search(r"keel .* on %s" % re.escape(dut.board), banner), banner
    # The MAC is the one QEMU's NIC was given; the address the default.
    assert dut.mac in banner.lower(), "MAC %s not in banner:\n%s" % (dut.mac, banner)
    assert re.search(r"\b%s\b" % re.escape(DEV_ADDR), banner), banner


def test_help_lists_commands(dut):
    out = dut.cmd("help")
    for name in ("help", "version", "ifconfig"):
        assert re.search(r"\b%s\b" % name, out), "help lacks %s:\n%s" % (name, out)


def test_version_names_board(dut):
    out = dut.cmd("version")
    assert dut.board in out, out
    assert "keel" in out, out


def test_unknown_command_is_reported_and_console_survives(dut):
    out = dut.cmd("no-such-command-xyz")
    assert out.strip(), "no message for an unknown command"
    assert dut.board in dut.cmd("version")


def test_empty_line_gives_prompt(dut):
    assert dut.cmd("").strip() == ""


def test_long_line_does_not_break_console(dut):
    # Longer than any sane line buffer: rejected or truncated, never a hang.
    dut.cmd("x" * 400, timeout=15)
    assert dut.board in dut.cmd("version")
