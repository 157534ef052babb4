"""Counting an upload as it streams: its size against the limit, and its SHA-256."""

import hashlib
from collections.abc import AsyncIterable, AsyncIterator

from shared.blobs.port import BlobTooLarge, StoredBlob


class Measured:
    """Wraps an upload stream: passes its chunks on, refusing the one that goes past `max_bytes`."""

    def __init__(self, chunks: AsyncIterable[bytes], max_bytes: int) -> None:
        self._chunks = chunks
        self._max_bytes = max_bytes
        self._digest = hashlib.sha256()
        self.size = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._chunks:
            if not chunk:
                continue
            self.size += len(chunk)
            if self.size > self._max_bytes:
                raise BlobTooLarge(self._max_bytes)
            self._digest.update(chunk)
            yield chunk

    def stored(self, blob_id: str) -> StoredBlob:
        return StoredBlob(blob_id, self.size, self._digest.hexdigest())
