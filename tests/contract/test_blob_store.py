"""The blob store contract: what documents' owners rely on, written once and run on every adapter.

Adapters: memory and files (the embedded run) always; GridFS (the distributed run) on a real MongoDB when
MONGO_URL is set or Docker runs testcontainers.
"""

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest

from shared.blobs import BlobExists, BlobNotFound, BlobStore, BlobTooLarge
from shared.blobs.files import FileBlobStore
from shared.blobs.memory import MemoryBlobStore
from shared.blobs.mongo_gridfs import GridFSBlobStore
from shared.store.mongo import MongoStore

MB = 1024 * 1024


@pytest.fixture(params=["memory", "files", pytest.param("gridfs", marks=pytest.mark.mongo)])
async def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    if request.param == "memory":
        yield MemoryBlobStore()
    elif request.param == "files":
        yield FileBlobStore(tmp_path / "blobs")
    else:
        store = MongoStore(request.getfixturevalue("mongo_url"), f"blobs_{uuid4().hex[:12]}")
        try:
            yield GridFSBlobStore(store.db)
        finally:
            await store.db.client.drop_database(store.db.name)
            await store.close()


async def stream(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def content_of(blobs: BlobStore, blob_id: str) -> bytes:
    return b"".join([chunk async for chunk in blobs.read(blob_id)])


class ClientHungUp(Exception):
    """An upload cut off halfway (the citizen's connection dropped)."""


async def cut_off_after(data: bytes) -> AsyncIterator[bytes]:
    yield data
    raise ClientHungUp()


async def test_a_blob_comes_back_byte_for_byte_with_its_size_and_sha256(blobs: BlobStore) -> None:
    data = os.urandom(3 * MB + 17)
    chunks = [data[start:start + 64 * 1024] for start in range(0, len(data), 64 * 1024)]
    stored = await blobs.put("b1", stream(*chunks), max_bytes=10 * MB)
    assert (stored.id, stored.size, stored.sha256) == ("b1", len(data), hashlib.sha256(data).hexdigest())
    assert await content_of(blobs, "b1") == data
    assert await blobs.exists("b1") and await blobs.ids() == ["b1"]


async def test_reading_streams_in_chunks_not_the_whole_blob_at_once(blobs: BlobStore) -> None:
    await blobs.put("big", stream(os.urandom(2 * MB)), max_bytes=10 * MB)
    sizes = [len(chunk) async for chunk in blobs.read("big")]
    assert sum(sizes) == 2 * MB and len(sizes) > 1 and max(sizes) <= MB


async def test_an_upload_past_the_limit_is_refused_and_leaves_nothing(blobs: BlobStore) -> None:
    with pytest.raises(BlobTooLarge) as refused:
        await blobs.put("too-big", stream(b"x" * MB, b"x" * MB, b"x"), max_bytes=2 * MB)
    assert refused.value.limit_bytes == 2 * MB
    assert not await blobs.exists("too-big") and await blobs.ids() == []


async def test_exactly_the_limit_is_allowed(blobs: BlobStore) -> None:
    stored = await blobs.put("edge", stream(b"y" * 1000), max_bytes=1000)
    assert stored.size == 1000


async def test_an_upload_cut_off_leaves_nothing_behind(blobs: BlobStore) -> None:
    with pytest.raises(ClientHungUp):
        await blobs.put("cut", cut_off_after(b"z" * (300 * 1024)), max_bytes=10 * MB)
    assert not await blobs.exists("cut") and await blobs.ids() == []
    with pytest.raises(BlobNotFound):
        await content_of(blobs, "cut")


async def test_an_empty_stream_is_a_blob_of_zero_bytes(blobs: BlobStore) -> None:
    stored = await blobs.put("empty", stream(), max_bytes=10)
    assert stored.size == 0 and stored.sha256 == hashlib.sha256(b"").hexdigest()
    assert await content_of(blobs, "empty") == b""


async def test_an_id_is_never_overwritten(blobs: BlobStore) -> None:
    await blobs.put("once", stream(b"first"), max_bytes=100)
    with pytest.raises(BlobExists):
        await blobs.put("once", stream(b"second"), max_bytes=100)
    assert await content_of(blobs, "once") == b"first"


async def test_two_uploads_under_one_id_at_once_keep_exactly_one(blobs: BlobStore) -> None:
    outcomes = await asyncio.gather(
        blobs.put("race", stream(b"a" * 1000, b"a" * 1000), max_bytes=10_000),
        blobs.put("race", stream(b"b" * 1000, b"b" * 1000), max_bytes=10_000),
        return_exceptions=True)
    assert sum(isinstance(outcome, BlobExists) for outcome in outcomes) == 1
    assert await content_of(blobs, "race") in (b"a" * 2000, b"b" * 2000)


async def test_an_unknown_blob_is_not_found(blobs: BlobStore) -> None:
    with pytest.raises(BlobNotFound):
        await content_of(blobs, "nobody")
    assert not await blobs.exists("nobody")


async def test_deleting_removes_the_blob_and_twice_is_harmless(blobs: BlobStore) -> None:
    await blobs.put("gone", stream(b"data"), max_bytes=100)
    assert await blobs.delete("gone") is True
    assert await blobs.delete("gone") is False
    assert not await blobs.exists("gone") and await blobs.ids() == []
    with pytest.raises(BlobNotFound):
        await content_of(blobs, "gone")


@pytest.mark.parametrize("blob_id", ["../escape", "/etc/passwd", "a/b", "..", ".hidden", ""])
async def test_ids_that_look_like_paths_reach_nothing(blob_id: str, tmp_path: Path) -> None:
    blobs = FileBlobStore(tmp_path / "blobs")
    (tmp_path / "escape").write_bytes(b"outside")
    with pytest.raises(BlobNotFound):
        await content_of(blobs, blob_id)
    assert not await blobs.exists(blob_id) and await blobs.delete(blob_id) is False
    assert (tmp_path / "escape").read_bytes() == b"outside"


async def test_files_survive_a_new_store_on_the_same_directory(tmp_path: Path) -> None:
    await FileBlobStore(tmp_path / "blobs").put("kept", stream(b"persisted"), max_bytes=100)
    reopened = FileBlobStore(tmp_path / "blobs")
    assert await content_of(reopened, "kept") == b"persisted" and await reopened.ids() == ["kept"]
