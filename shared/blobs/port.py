"""The blob store port: put a stream of bytes under an id, read it back as a stream, delete it.

A blob is whole or absent: an upload that is cut off, or that grows past its limit, leaves nothing behind,
and a reader never sees a blob still being written.
"""

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import Protocol

# What one read hands out at a time: small enough to keep memory flat, large enough to keep calls few.
CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class StoredBlob:
    """What a completed upload was: its id, its size in bytes and the SHA-256 of its content (hex)."""

    id: str
    size: int
    sha256: str


class BlobTooLarge(Exception):
    """The stream went past the limit given to `put`; nothing was kept."""

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(f"blob larger than {limit_bytes} bytes")
        self.limit_bytes = limit_bytes


class BlobNotFound(Exception):
    """No blob has this id (never stored, or deleted)."""


class BlobExists(Exception):
    """A blob with this id is stored already: ids are never reused, so nothing is overwritten."""


class BlobStore(Protocol):
    async def put(self, blob_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        """Store the stream under `blob_id`; BlobTooLarge past `max_bytes`, BlobExists for a taken id."""
        ...

    def read(self, blob_id: str) -> AsyncIterator[bytes]:
        """The blob's bytes in chunks; BlobNotFound (at the first chunk) when there is none."""
        ...

    async def exists(self, blob_id: str) -> bool: ...

    async def delete(self, blob_id: str) -> bool:
        """Remove the blob; False when there was none (deleting twice is harmless)."""
        ...

    async def ids(self) -> list[str]:
        """Every stored blob's id: for sweeps and for tests that nothing outlives its owner."""
        ...
