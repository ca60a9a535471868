"""`ifconfig ADDR/PREFIX` on the console moves the device's address."""
import pytest

from keelqemu import DEV_ADDR

NEW_ADDR = "192.0.2.9"


@pytest.fixture
def restore_addr(dut):
    yield
    dut.cmd("ifconfig %s/24" % DEV_ADDR)


def test_ifconfig_shows_address_and_mac(dut):
    out = dut.cmd("ifconfig")
    assert DEV_ADDR in out, out
    assert dut.mac in out.lower(), out


def test_ifconfig_moves_address_and_back(dut, restore_addr):
    dut.cmd("ifconfig %s/24" % NEW_ADDR)
    assert NEW_ADDR in dut.cmd("ifconfig")
    sent, recv, out = dut.ns.ping(addr=NEW_ADDR, count=5, interval=0.05)
    assert recv == sent == 5, "no answer on the new address:\n" + out
    # The old address is gone.
    sent, recv, out = dut.ns.ping(addr=DEV_ADDR, count=2, interval=0.05, wait=1)
    assert recv == 0, "device still answers on the old address:\n" + out
    dut.cmd("ifconfig %s/24" % DEV_ADDR)
    assert DEV_ADDR in dut.cmd("ifconfig")
    sent, recv, out = dut.ns.ping(addr=DEV_ADDR, count=5, interval=0.05)
    assert recv == sent == 5, "no answer after moving back:\n" + out
