"""Blobs as files in a directory: the embedded run with a data directory (survives restarts).

An upload is written to a temporary file beside its final place and renamed into it only once complete
and flushed to disk, so a reader, a restart or a crash sees the whole blob or none. Blob ids are checked to
be plain names, so an id can never reach outside the directory.
"""

import asyncio
import os
import re
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from uuid import uuid4

from shared.blobs.limits import Measured
from shared.blobs.port import CHUNK_BYTES, BlobExists, BlobNotFound, StoredBlob

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
_PARTIAL = ".partial"


class FileBlobStore:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    async def put(self, blob_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        final = self._path(blob_id)
        if final.exists():
            raise BlobExists(blob_id)
        partial = final.with_name(f"{final.name}.{uuid4().hex}{_PARTIAL}")
        measured = Measured(chunks, max_bytes)
        try:
            with partial.open("xb") as file:
                async for chunk in measured:
                    await asyncio.to_thread(file.write, chunk)
                await asyncio.to_thread(_flush, file.fileno())
            # link, unlike rename, refuses to replace a blob another upload completed meanwhile.
            try:
                os.link(partial, final)
            except FileExistsError:
                raise BlobExists(blob_id) from None
        finally:
            partial.unlink(missing_ok=True)
        return measured.stored(blob_id)

    async def read(self, blob_id: str) -> AsyncIterator[bytes]:
        try:
            file = self._path(blob_id).open("rb")
        except FileNotFoundError:
            raise BlobNotFound(blob_id) from None
        with file:
            while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
                yield chunk

    async def exists(self, blob_id: str) -> bool:
        try:
            return self._path(blob_id).is_file()
        except BlobNotFound:
            return False

    async def delete(self, blob_id: str) -> bool:
        try:
            self._path(blob_id).unlink()
        except (BlobNotFound, FileNotFoundError):
            return False
        return True

    async def ids(self) -> list[str]:
        return sorted(path.name for path in self.directory.iterdir()
                      if path.is_file() and not path.name.endswith(_PARTIAL))

    def _path(self, blob_id: str) -> Path:
        if not _SAFE_ID.fullmatch(blob_id) or blob_id.endswith(_PARTIAL):
            raise BlobNotFound(blob_id)
        return self.directory / blob_id


def _flush(descriptor: int) -> None:
    os.fsync(descriptor)
