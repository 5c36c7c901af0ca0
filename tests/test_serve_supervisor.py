"""The process supervisor behind `akhbar serve`: one child dies → the rest stop; nothing is left."""

import os
import signal
import subprocess
import sys
import time

import pytest

from akhbar.core.management.supervisor import Supervisor
from tests.test_serve import running

# A child that ignores SIGTERM and has a child of its own (in its process group, like gunicorn's workers).
STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
print(child.pid, flush=True)
time.sleep(300)
"""


def wait_until_gone(pid: int, attempts: int = 100) -> bool:
    """A SIGKILLed process needs a moment to die and be reaped by init."""
    for _ in range(attempts):
        if not running(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def restore_signals():
    saved = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGINT, saved[0])
    signal.signal(signal.SIGTERM, saved[1])


def test_when_one_child_exits_the_others_are_stopped_even_if_they_resist(tmp_path, restore_signals):
    grandchild_file = tmp_path / "grandchild"
    supervisor = Supervisor(
        {
            "short": [sys.executable, "-c", "import time; time.sleep(0.5); raise SystemExit(3)"],
            "stubborn": ["sh", "-c", f'{sys.executable} -c "$0" > {grandchild_file}', STUBBORN],
        },
        dict(os.environ),
    )
    supervisor.start()
    try:
        assert supervisor.wait() == ("short", 3)
    finally:
        supervisor.stop(grace=1.0)
    grandchild = int(grandchild_file.read_text().split()[0])
    assert all(child.poll() is not None for child in supervisor.children.values())
    assert wait_until_gone(grandchild)


def test_a_stop_signal_ends_waiting_and_children_exit_cleanly(restore_signals):
    supervisor = Supervisor({"sleeper": [sys.executable, "-c", "import time; time.sleep(300)"]}, dict(os.environ))
    supervisor.start()
    try:
        timer = subprocess.Popen(["sh", "-c", f"sleep 0.5; kill -INT {os.getpid()}"])
        assert supervisor.wait() is None
        assert supervisor.stop_signal == signal.SIGINT
        timer.wait()
    finally:
        supervisor.stop(grace=10)
    assert supervisor.children["sleeper"].returncode == -signal.SIGTERM
