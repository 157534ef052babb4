"""Blobs in this process's memory: the embedded run without a data directory, gone when it stops."""

import asyncio
from collections.abc import AsyncIterable, AsyncIterator

from shared.blobs.limits import Measured
from shared.blobs.port import CHUNK_BYTES, BlobExists, BlobNotFound, StoredBlob


class MemoryBlobStore:
    def __init__(self) -> None:
        self._blobs: dict[str, bytearray] = {}  # never changed once stored; handed out as bytes
        # Ids being uploaded: a second upload under the same id is refused at once, not at the end.
        self._writing: set[str] = set()

    async def put(self, blob_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        if blob_id in self._blobs or blob_id in self._writing:
            raise BlobExists(blob_id)
        self._writing.add(blob_id)
        try:
            measured = Measured(chunks, max_bytes)
            # Grown in place: the blob is never held twice (a list of chunks and their join) while it arrives.
            content = bytearray()
            async for chunk in measured:
                content += chunk
            self._blobs[blob_id] = content
        finally:
            self._writing.discard(blob_id)
        return measured.stored(blob_id)

    async def read(self, blob_id: str) -> AsyncIterator[bytes]:
        content = self._blobs.get(blob_id)
        if content is None:
            raise BlobNotFound(blob_id)
        for start in range(0, len(content), CHUNK_BYTES):
            yield bytes(content[start:start + CHUNK_BYTES])
            await asyncio.sleep(0)  # a large blob must not hold the event loop for its whole length

    async def exists(self, blob_id: str) -> bool:
        return blob_id in self._blobs

    async def delete(self, blob_id: str) -> bool:
        return self._blobs.pop(blob_id, None) is not None

    async def ids(self) -> list[str]:
        return sorted(self._blobs)
