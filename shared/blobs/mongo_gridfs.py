"""Blobs in MongoDB's GridFS (`AsyncGridFSBucket`), in the owning service's own database: the distributed run.

GridFS stores a file's chunks first and its files entry last, and readers look a blob up by that entry,
so an upload that is cut off is invisible; `abort` then removes the chunks it left.
"""

from collections.abc import AsyncIterable, AsyncIterator

from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pymongo.errors import DuplicateKeyError

from shared.blobs.limits import Measured
from shared.blobs.port import BlobExists, BlobNotFound, StoredBlob
from shared.store.port import Database

BUCKET = "blobs"


class GridFSBlobStore:
    def __init__(self, db: Database, bucket_name: str = BUCKET) -> None:
        self._db = db
        self._bucket = AsyncGridFSBucket(db, bucket_name=bucket_name)
        self._files = db[f"{bucket_name}.files"]

    async def put(self, blob_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        if await self.exists(blob_id):
            raise BlobExists(blob_id)
        measured = Measured(chunks, max_bytes)
        upload = self._bucket.open_upload_stream_with_id(blob_id, blob_id)
        try:
            async for chunk in measured:
                await upload.write(chunk)
            await upload.close()
        except DuplicateKeyError:
            # Another upload under this id won the race: its chunks share our files id, so no abort.
            raise BlobExists(blob_id) from None
        except BaseException:
            await upload.abort()
            raise
        return measured.stored(blob_id)

    async def read(self, blob_id: str) -> AsyncIterator[bytes]:
        try:
            download = await self._bucket.open_download_stream(blob_id)
        except NoFile:
            raise BlobNotFound(blob_id) from None
        try:
            while chunk := await download.readchunk():
                yield chunk
        finally:
            await download.close()

    async def exists(self, blob_id: str) -> bool:
        return await self._files.find_one({"_id": blob_id}, {"_id": 1}) is not None

    async def delete(self, blob_id: str) -> bool:
        try:
            await self._bucket.delete(blob_id)
        except NoFile:
            return False
        return True

    async def ids(self) -> list[str]:
        return sorted([str(entry["_id"]) async for entry in self._files.find({}, {"_id": 1})])
