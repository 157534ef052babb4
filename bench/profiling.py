"""Sampling a running process with py-spy, and the hottest frames of what it saw.

py-spy reads the process's stacks from outside (ptrace: root, or CAP_SYS_PTRACE), so the service runs its
own code unchanged; `--nonblocking` keeps it from pausing the process at each sample. Its raw output is
one line per distinct stack, "frame;frame;…;frame count", outermost first.
"""

import shutil
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.processes import ROOT

RATE = 100  # samples a second
# py-spy leaves out most samples of a thread asleep in the kernel, not all: with these frames on top of
# the stack, the event loop or an idle worker thread is waiting, not working, and they are left out too.
_IDLE = ("EpollSelector.select (selectors.py", "Condition.wait (threading.py")


@dataclass(frozen=True)
class Hotspot:
    frame: str  # "function (path/file.py:line)"
    share: float  # of the busy samples: with this frame anywhere on the stack (inclusive) or on top (self)


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start_recording(pid: int, output: Path) -> subprocess.Popen[bytes] | None:
    """py-spy recording `pid` into `output` (raw stacks) until `stop_recording`; None without py-spy."""
    executable = py_spy()
    if executable is None:
        return None
    return subprocess.Popen([executable, "record", "--pid", str(pid), "--rate", str(RATE), "--format", "raw",
                             "--nonblocking", "--output", str(output)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop_recording(recorder: subprocess.Popen[bytes]) -> str | None:
    """Stop py-spy as Ctrl-C would (it writes what it has); None when it recorded, else why not (often: no
    permission to ptrace the process)."""
    if recorder.poll() is None:
        recorder.send_signal(signal.SIGINT)
    _out, error = recorder.communicate(timeout=60)
    if recorder.returncode == 0:
        return None
    return error.decode(errors="replace").strip()[-300:] or f"py-spy exited with {recorder.returncode}"


@dataclass(frozen=True)
class Profile:
    nearest: list[Hotspot]  # by this project's frame nearest the top of the stack: where in our code the time goes
    inclusive: list[Hotspot]  # this project's frames anywhere on the stack
    on_top: list[Hotspot]  # any frame on top of the stack (self time): what the time is actually spent in
    busy: int  # samples of the process working (not waiting for the event loop's next event)
    samples: int  # every sample py-spy took


def hottest(raw: Path, *, top: int = 8) -> Profile:
    """The hottest frames, each as a share of the busy samples (see `Profile`)."""
    nearest: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    on_top: Counter[str] = Counter()
    busy = samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = [_short(frame) for frame in stack.split(";")]
        count = int(count_text)
        samples += count
        if frames[-1].startswith(_IDLE):
            continue
        busy += count
        on_top[frames[-1]] += count
        ours = [frame for frame in frames if _in_project(frame)]
        if ours:
            nearest[ours[-1]] += count
        for frame in set(ours):
            inclusive[frame] += count
    return Profile(_shares(nearest, busy, top), _shares(inclusive, busy, top), _shares(on_top, busy, top), busy,
                   samples)


def _shares(counter: Counter[str], total: int, top: int) -> list[Hotspot]:
    return [Hotspot(frame, round(count / total, 3)) for frame, count in counter.most_common(top)] if total else []


def _in_project(frame: str) -> bool:
    # The entry point's frames are on every stack and say nothing.
    if frame.startswith(("<module> ", "run_service (", "_serve (")):
        return False
    return any(f"({package}/" in frame for package in ("services", "shared", "bench"))


def _short(frame: str) -> str:
    """"f (/…/site-packages/mongomock/filtering.py:12)" -> "f (mongomock/filtering.py:12)"."""
    name, _, where = frame.partition(" (")
    for marker in ("site-packages/", f"/lib/python{sys.version_info.major}.{sys.version_info.minor}/",
                   f"{ROOT}/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where}"
