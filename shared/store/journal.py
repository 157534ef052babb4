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

Compaction keeps a restart short. Once the lines past the last snapshot pass `compact_bytes`, the writer
that appended the last of them (holding the exclusive lock, so caught up with everyone), or the first
process keeping the state to read them when they were appended by one that keeps none (a bulk loader),
has the database's whole state written to a snapshot file beside the journal, then replaces the journal with one
line that says "load this snapshot" (a marker). Every step is written to a temporary file, fsync'd, and
renamed into place, the directory fsync'd after: a crash anywhere leaves either the old journal with its
old snapshot, or the new one with the new. A process still reading the replaced file notices under the
lock (the path's inode changed), reads what is left of the old file, and goes on in the new one, where
it skips the marker if it is the snapshot of exactly the state it has reached, and loads it otherwise.
"""

import fcntl
import gc
import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from uuid import uuid4

from bson import ObjectId, json_util
from bson.tz_util import utc

_JSON_OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.RELAXED, tz_aware=True)

Record = dict[str, Any]
Dump = Callable[[BinaryIO], None]  # writes the whole state of the database to a file
Load = Callable[[Path], None]  # replaces the whole state of the database with a snapshot's

COMPACT_BYTES = 8 * 1024 * 1024  # about a second of replay on the development machine
READ_BYTES = 4 * 1024 * 1024  # how much of the journal is read at a time


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


def _as_value(document: dict[str, Any]) -> Any:
    """What one decoded JSON object stands for: a BSON type's wrapper becomes the value, an escaped
    document gets its keys back, any other document stays as it is.

    Called by the JSON decoder on every object, innermost first, so that a line is decoded in one pass
    with no copy of its tree. The two kinds never meet in one object: `_escape` leaves no key of a
    caller's document starting with "$", and json_util's wrappers have only "$" keys."""
    if len(document) == 1:
        # The wrappers every document is full of, read without json_util's general path: a datetime
        # in relaxed mode is ISO 8601 in UTC with "Z" (to the millisecond), which strptime reads slowly.
        key, value = next(iter(document.items()))
        if key == "$date" and type(value) is str and value.endswith("Z"):
            try:
                return datetime.fromisoformat(value).replace(tzinfo=utc)
            except ValueError:
                pass  # not the form relaxed JSON writes: json_util's own reading, below
        elif key == "$oid" and type(value) is str:
            return ObjectId(value)
    for key in document:
        if key.startswith("~"):
            return {(key[1:] if key.startswith("~") else key): item for key, item in document.items()}
    return json_util.object_hook(document, _JSON_OPTIONS)


def encode(record: Record) -> bytes:
    """One journal line: the record as relaxed extended JSON (datetimes and ObjectIds round-trip)."""
    return (json_util.dumps(_escape(record), json_options=_JSON_OPTIONS) + "\n").encode()


def decode(line: bytes) -> Record:
    record = json.loads(line, object_hook=_as_value)
    if not isinstance(record, dict):
        raise ValueError("a journal line is a JSON object")
    return record


class Journal:
    """The writes applied to one database, in the order they were applied, shared by every process that
    opens the same file.

    `replay` is called with each record another process (or an earlier run) appended, in order, before
    the operation that noticed it goes on. Wrap every read in `reading()` and every write in `writing()`;
    inside `writing()`, `append()` records what the write changed. With `dump` and `load` (the database's
    whole state to a file and back), the journal compacts itself past `compact_bytes`; without them (a
    process that only appends) it never does, and follows the others' compactions all the same.
    """

    def __init__(self, path: Path, replay: Callable[[Record], None], *, dump: Dump | None = None,
                 load: Load | None = None, compact_bytes: int = COMPACT_BYTES) -> None:
        self.path = path
        self._replay = replay
        self._dump = dump
        self._load = load
        self._compact_bytes = compact_bytes
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        self._fd = -1
        self._open()
        self._generation: str | None = None  # the snapshot the file starts from (None: from nothing)
        self._resumed_at: tuple[str | None, int] | None = None  # the state reached in a replaced file
        self._held: int | None = None

    def catch_up(self) -> None:
        """Replay what has been appended since this process last looked: everything, the first time."""
        if os.fstat(self._fd).st_size == self._offset and os.stat(self.path).st_ino == self._inode:
            # Nothing new. A write still under way elsewhere has not returned to its caller yet, so a read
            # may come before it, as it may on MongoDB.
            return
        with self._locked(fcntl.LOCK_SH):
            self._catch_up(exclusive=False)
        if self._dump is not None and self._offset - self._start >= self._compact_bytes:
            # What others appended piled up past the snapshot (a bulk load by a process that keeps no
            # state never compacts): this process holds the state those lines made, so it compacts,
            # and a restart after a crash replays at most about `compact_bytes` again.
            with self._locked(fcntl.LOCK_EX):
                self._catch_up(exclusive=True)
                if self._offset - self._start >= self._compact_bytes:
                    self._compact()

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
        """Add one applied write to the end, durably, before the caller is told it is done; compact the
        journal when that makes it long enough."""
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
        if self._offset - self._start >= self._compact_bytes:
            self._compact()

    def compact(self, *, at_least: int = 0) -> bool:
        """Snapshot the state and start the journal afresh from it, if more than `at_least` bytes were
        appended since the last snapshot; True if it did."""
        self.catch_up()
        if self._offset - self._start <= at_least:
            return False  # decided under the shared lock only: nothing (a torn line) is cut for nothing
        with self._locked(fcntl.LOCK_EX):
            self._catch_up(exclusive=True)
            return self._compact()

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

    def _open(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
        # O_APPEND: every line lands at the end of the file, whoever wrote last.
        self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        self._inode = os.fstat(self._fd).st_ino
        self._offset = 0  # where this process has read up to: always the start of a line
        self._start = 0  # where the lines after the snapshot begin

    def _catch_up(self, *, exclusive: bool) -> None:
        """Replay the complete lines past this process's offset, following a compaction if another
        process made one; under the exclusive lock, also cut off a torn last line, since the next line
        appended would be glued onto it."""
        if os.stat(self.path).st_ino != self._inode:
            if self._offset > 0:
                self._read_lines(exclusive=False)  # the rest of the replaced file: never written again
            self._resumed_at = (self._generation, self._offset) if self._offset > 0 else None
            self._open()
        self._read_lines(exclusive=exclusive)

    def _read_lines(self, *, exclusive: bool) -> None:
        size = os.fstat(self._fd).st_size
        if size < self._offset:
            raise ValueError(f"{self.path}: the journal shrank below what this process has read")
        with _collector_paused() if size - self._offset >= READ_BYTES or self._offset == 0 else nullcontext():
            self._read_pieces(size)
        if exclusive and self._offset < size:
            os.ftruncate(self._fd, self._offset)

    def _read_pieces(self, size: int) -> None:
        # In pieces: a tail of 100,000 dossiers is hundreds of MB, which one read would hold all at once.
        while self._offset < size:
            length = min(size - self._offset, READ_BYTES)
            data = os.pread(self._fd, length, self._offset)
            while b"\n" not in data and self._offset + len(data) < size:  # a line longer than a piece
                data = os.pread(self._fd, min(size - self._offset, 2 * len(data)), self._offset)
            if not self._replay_lines(data, at_end=self._offset + len(data) >= size):
                break

    def _replay_lines(self, data: bytes, *, at_end: bool) -> bool:
        """Replay the complete lines of `data` (read from this process's offset); False when what is left
        at the end of the file is torn."""
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            try:
                record = decode(data[start : end + 1])
            except ValueError:
                if end + 1 < len(data) or not at_end:
                    raise ValueError(f"{self.path}: unreadable journal line at byte {self._offset}") from None
                return False  # a last line that is garbage: torn by a crash, like one without its end
            if SNAPSHOT in record:
                self._start_from(record, end + 1 - start)
            else:
                self._replay(record)
            self._offset += end + 1 - start
            start = end + 1
        return not at_end or start == len(data)

    def _start_from(self, marker: Record, length: int) -> None:
        """The first line of a compacted journal: load its snapshot, unless this process has just read
        to the end of the very file it was made from."""
        if self._offset != 0:
            raise ValueError(f"{self.path}: a snapshot marker past the journal's first line")
        if self._resumed_at != (marker["follows"], marker["at"]) and self._load is not None:
            self._load(self.path.with_name(marker[SNAPSHOT]))  # (a process without `load` keeps no state)
        self._generation = marker["generation"]
        self._resumed_at = None
        self._start = length

    def _compact(self) -> bool:
        if self._dump is None:
            return False
        generation = uuid4().hex
        snapshot = self.path.with_name(f"{self.path.name}.snapshot-{generation}")
        write_atomically(snapshot, self._dump)
        marker = {SNAPSHOT: snapshot.name, "generation": generation, "follows": self._generation,
                  "at": self._offset}
        line = encode(marker)
        write_atomically(self.path, lambda file: file.write(line))
        self._open()
        self._offset = self._start = len(line)
        self._generation = generation
        for leftover in self.path.parent.glob(f"{self.path.name}.snapshot-*"):
            if leftover != snapshot:
                leftover.unlink(missing_ok=True)  # nobody reads it now: see the module docstring
        return True


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a long stretch is replayed or a snapshot loaded (the first
    read starts from one). Every document taken in is a new container that stays, so the collector
    would walk the whole growing store again and again (a third of a snapshot's loading time) to find
    nothing: decoded documents hold no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was taken in goes straight to the oldest generation, where objects that survived two
        # collections go, instead of being walked by those two first (seconds for 100,000 documents).
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


SNAPSHOT = "snapshot"  # the key that makes a journal line a marker, never a journaled call ("c", "m", …)


def write_atomically(path: Path, write: Callable[[BinaryIO], Any]) -> None:
    """Replace `path` with what `write` writes, all or nothing, even across a crash."""
    temporary = path.with_name(f"{path.name}.tmp")
    with temporary.open("wb") as file:
        write(file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself must survive a crash
    finally:
        os.close(directory)
