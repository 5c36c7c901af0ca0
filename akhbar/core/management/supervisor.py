"""Run the web server and the task worker side by side; if one dies, stop the other.

Each child gets its own process group, so a Ctrl-C in the terminal reaches only the
supervisor, which then asks every child once (SIGTERM) to finish cleanly, and kills the
group of any child still alive after a grace period. On Linux the children are also told
to exit if the supervisor itself is killed, so nothing is left running.
"""

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 20.0


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


class Supervisor:
    def __init__(self, commands: dict[str, list[str]], env: dict[str, str]):
        self.commands = commands
        self.env = env
        self.children: dict[str, subprocess.Popen] = {}
        self.stop_signal: int | None = None

    def start(self) -> None:
        signal.signal(signal.SIGINT, self._request_stop)
        signal.signal(signal.SIGTERM, self._request_stop)
        for name, argv in self.commands.items():
            self.children[name] = subprocess.Popen(argv, env=self.env, process_group=0, preexec_fn=_die_with_parent)

    def _request_stop(self, signum, frame) -> None:
        if self.stop_signal is not None:  # a second Ctrl-C: do not wait any longer
            self._kill_all()
        self.stop_signal = signum

    def exited(self) -> tuple[str, int] | None:
        """(name, exit code) of the first child that has stopped, if any."""
        for name, child in self.children.items():
            code = child.poll()
            if code is not None:
                return name, code
        return None

    def wait_until_listening(self, host: str, port: int, timeout: float = 120.0) -> bool:
        """True once something accepts connections on host:port; False if a child died or we are stopping."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.stop_signal is None and self.exited() is None:
            try:
                with socket.create_connection((host, port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.2)
        return False

    def wait(self) -> tuple[str, int] | None:
        """Block until a stop signal arrives or a child exits; returns the exited child if that came first."""
        while self.stop_signal is None:
            gone = self.exited()
            if gone:
                return gone
            time.sleep(0.3)
        return None

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        for child in self.children.values():
            if child.poll() is None:
                try:
                    child.terminate()
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        self._kill_all()
        for child in self.children.values():
            child.wait()

    def _kill_all(self) -> None:
        """SIGKILL each child's process group: the child and whatever it left (the web server's workers)."""
        for child in self.children.values():
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
