"""Processes the bench starts (services, the floor app): their logs, readiness, CPU time and peak memory."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# Beside the test runs' logs, which the repository already ignores.
LOG_DIR = ROOT / "test-artifacts" / "bench"
_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass
class Process:
    """`python -m <module>` in its own session, its output in test-artifacts/bench/<name>.log."""

    name: str
    module: str
    env: dict[str, str]
    port: int
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    peak_rss_mb: float | None = None  # VmHWM, read just before it is stopped

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was not started"
        return self.popen.pid

    def start(self, run_id: str) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        with open(LOG_DIR / f"{run_id}-{self.name}.log", "ab") as log:
            self.popen = subprocess.Popen([sys.executable, "-m", self.module], cwd=ROOT, env=self.env,
                                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path: str = "/readyz", timeout: float = 90.0) -> None:
        """Poll `path` until it answers 200; fail early if the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}; see {LOG_DIR}")
            try:
                if httpx.get(self.url + path, timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready at {self.url}{path} after {timeout} s")

    def cpu_seconds(self) -> float:
        """User and system CPU time used so far (/proc/<pid>/stat)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS_PER_SECOND

    def read_peak_memory(self) -> float | None:
        """VmHWM, the resident set's high-water mark since the process started (or since the last
        `reset_peak_memory`), in MB."""
        peak = self._status_mb("VmHWM")
        if peak is not None:
            self.peak_rss_mb = peak
        return self.peak_rss_mb

    def reset_peak_memory(self) -> float | None:
        """Bring VmHWM down to the resident set as it is now, so that the next `read_peak_memory` is the peak
        since this moment, not since the start-up (whose imports often peak higher than anything after).
        Answers that resident set (VmRSS) in MB, or None when the kernel refused the reset."""
        try:
            # "5": reset the peak resident set size to the current one (proc(5), /proc/<pid>/clear_refs).
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            return None
        return self._status_mb("VmRSS")

    def _status_mb(self, field: str) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except (OSError, AssertionError):
            pass
        return None

    def kill(self) -> None:
        """SIGKILL, as a crash ends it: nothing is flushed or compacted on the way out."""
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=15)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.read_peak_memory()
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)


def cpu_snapshot(processes: list[Process]) -> dict[str, float]:
    return {process.name: process.cpu_seconds() for process in processes}


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each process used between two snapshots."""
    return {name: round(after[name] - before[name], 2) for name in before}
