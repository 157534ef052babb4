"""The in-memory store's journal: an append-only file of JSON lines that several processes share.

Each process keeps its own copy of the database in memory and the journal is the one history they agree
on. An advisory lock file beside the journal (`fcntl.flock`) orders them: before every operation a
process catches up by replaying the lines the others appended since its last read, and a write holds the
exclusive lock from that catch-up through applying the call and appending its line, so that a check and
the write that depends on it (a unique index, an `$inc` on a counter) are atomic across processes, as
they are on one MongoDB. Reads catch up under the shared lock, and skip even that when the file has not
grown.

The locks are blocking calls made from inside coroutines. That is deliberate: a lock is held for one
in-memory call and at most one fsync (a fraction of a millisecond), and never across an await.

Open the store after any fork: a lock belongs to the open file, so a parent and a child sharing the
descriptor would share the lock instead of excluding each other.
"""

import fcntl
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bson import json_util

_JSON_OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.RELAXED, tz_aware=True)

Record = dict[str, Any]


def _escape(value: Any) -> Any:
    """Prefix "$" keys with "~" (and "~" keys too, to stay reversible) so that json_util never reads
    a query operator such as {"$regex": …, "$ne": …} as one of its own type wrappers."""
    if isinstance(value, Mapping):
        return {
            ("~" + key if key.startswith(("$", "~")) else key): _escape(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_escape(item) for item in value]
    return value


def _unescape(value: Any) -> Any:
    if isinstance(value, dict):
        return {(key[1:] if key.startswith("~") else key): _unescape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unescape(item) for item in value]
    return value


def encode(record: Record) -> bytes:
    """One journal line: the record as relaxed extended JSON (datetimes and ObjectIds round-trip)."""
    return (json_util.dumps(_escape(record), json_options=_JSON_OPTIONS) + "\n").encode()


def decode(line: bytes) -> Record:
    return dict(_unescape(json_util.loads(line, json_options=_JSON_OPTIONS)))


class Journal:
    """The writes applied to one database, in the order they were applied, shared by every process that
    opens the same file.

    `replay` is called with each record another process (or an earlier run) appended, in order, before
    the operation that noticed it goes on. Wrap every read in `reading()` and every write in `writing()`;
    inside `writing()`, `append()` records what the write changed.
    """

    def __init__(self, path: Path, replay: Callable[[Record], None]) -> None:
        self.path = path
        self._replay = replay
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_APPEND: every line lands at the end of the file, whoever wrote last.
        self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        self._lock_fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        self._offset = 0  # where this process has read up to: always the start of a line
        self._held: int | None = None

    def catch_up(self) -> None:
        """Replay what has been appended since this process last looked: everything, the first time."""
        if os.fstat(self._fd).st_size == self._offset:
            # Nothing new. A write still under way elsewhere has not returned to its caller yet, so a read
            # may come before it, as it may on MongoDB.
            return
        with self._locked(fcntl.LOCK_SH):
            self._catch_up(exclusive=False)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Catch up with the other processes before a read. The read itself needs no lock: only this
        process changes its own copy of the data."""
        self.catch_up()
        yield

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold every other process off from catch-up to append, so the write sees the latest state."""
        with self._locked(fcntl.LOCK_EX):
            self._catch_up(exclusive=True)
            yield

    def append(self, record: Record) -> None:
        """Add one applied write to the end, durably, before the caller is told it is done."""
        if self._held != fcntl.LOCK_EX:
            raise RuntimeError("Journal.append() outside writing()")
        line = encode(record)
        # One write of the whole line under the exclusive lock: nobody else can see it half-written, so a
        # line without its end can only be what a crash left behind.
        written = 0
        while written < len(line):
            written += os.write(self._fd, line[written:])
        # The caller is about to be told the write is done: it must survive a crash from here on.
        os.fsync(self._fd)
        self._offset += len(line)

    def close(self) -> None:
        for fd in (self._fd, self._lock_fd):
            if fd >= 0:
                os.close(fd)
        self._fd = self._lock_fd = -1

    @contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        if self._held is not None:
            # flock would quietly convert the lock held, then release it all on the inner exit.
            raise RuntimeError("journal lock taken again while held")
        # Blocking, from a coroutine, on purpose: see the module docstring.
        fcntl.flock(self._lock_fd, mode)
        self._held = mode
        try:
            yield
        finally:
            self._held = None
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _catch_up(self, *, exclusive: bool) -> None:
        """Replay the complete lines past this process's offset; under the exclusive lock, also cut off
        a torn last line, since the next line appended would be glued onto it."""
        size = os.fstat(self._fd).st_size
        if size == self._offset:
            return
        if size < self._offset:
            raise ValueError(f"{self.path}: the journal shrank below what this process has read")
        data = os.pread(self._fd, size - self._offset, self._offset)
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            try:
                record = decode(data[start : end + 1])
            except ValueError:
                if end + 1 < len(data):
                    raise ValueError(f"{self.path}: unreadable journal line at byte {self._offset}") from None
                break  # a last line that is garbage: torn by a crash, like one without its end
            self._replay(record)
            self._offset += end + 1 - start
            start = end + 1
        if exclusive and self._offset < size:
            os.ftruncate(self._fd, self._offset)
