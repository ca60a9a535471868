"""pytest rig for tests/qemu: each test runs once per board.

Fixtures
  board   the board name (parametrized over keelqemu.BOARDS; narrow with
          KEEL_BOARDS="mps2-an385" or -k)
  dut     a booted device in its own namespace, shared by one test module on
          one board (keelqemu.Dut); fresh_dut gives a test its own.
Every namespace and QEMU is removed by a finalizer, again at exit, and a
namespace left behind by a dead run is swept when the next session starts.
"""
import faulthandler
import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keelqemu  # noqa: E402

# Bound on one test (setup + call + teardown), whatever it does.
TEST_TIMEOUT = int(os.environ.get("KEEL_TEST_TIMEOUT", "180"))

_prereq_error = None


def _boards():
    want = os.environ.get("KEEL_BOARDS", "").split()
    return want or list(keelqemu.BOARDS)


def pytest_configure(config):
    global _prereq_error
    keelqemu.install_signal_handlers()
    try:
        keelqemu.check_prerequisites()
        swept = keelqemu.sweep_stale_namespaces()
        if swept:
            print("keelqemu: removed stale namespaces: %s" % " ".join(swept),
                  file=sys.stderr)
    except keelqemu.RigError as e:
        _prereq_error = str(e)


def pytest_unconfigure(config):
    keelqemu.close_all()


def _alarm(signum, frame):
    raise TimeoutError("test exceeded KEEL_TEST_TIMEOUT=%ds" % TEST_TIMEOUT)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # A hard bound per test: SIGALRM raises in the main thread; the
    # traceback dump a little later shows where a stuck test was.
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TEST_TIMEOUT)
    faulthandler.dump_traceback_later(TEST_TIMEOUT + 30, exit=True)
    try:
        yield
    finally:
        signal.alarm(0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="session", params=_boards())
def board(request):
    if _prereq_error:
        pytest.fail("qemu rig unavailable: " + _prereq_error, pytrace=False)
    return request.param


def _make_dut(request, board, name):
    try:
        dut = keelqemu.Dut(board, log_name=name)
    except keelqemu.RigError as e:
        pytest.fail("qemu rig: %s" % e, pytrace=False)
    request.addfinalizer(dut.close)
    return dut


@pytest.fixture(scope="module")
def dut(request, board):
    """One booted device per (test module, board)."""
    mod = request.module.__name__.rsplit(".", 1)[-1]
    d = _make_dut(request, board, "%s-%s" % (board, mod))
    yield d
    # A test that hung the device would make later ones fail confusingly.
    assert d.qemu.alive(), "QEMU exited during %s: %s" % (mod, d.qemu.stderr_text())


@pytest.fixture
def fresh_dut(request, board):
    """A device booted for this test alone."""
    return _make_dut(request, board, "%s-%s" % (board, request.node.name.replace("/", "_")))
