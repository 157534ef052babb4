"""Result documents stored before the blob store, as BSON binary in the `documents` collection.

Dossiers refer to a result document by its id only, so a document moved into the blob store under the same
id is read like any other. The move runs at every start: it finds nothing to do once the collection is
empty, and a deployment that still has documents there keeps serving them without a separate migration.
"""

from collections.abc import AsyncIterator
from contextlib import suppress

from shared.blobs import BlobExists, BlobStore
from shared.logging import get_logger
from shared.store.port import Collection, Database

log = get_logger(__name__)

COLLECTION = "documents"
# No stored document can be larger than MongoDB's own limit, whatever MAX_DOCUMENT_BYTES says now.
LEGACY_MAX_BYTES = 16 * 1024 * 1024


class LegacyResultDocuments:
    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self.collection: Collection = db[COLLECTION]
        self._blobs = blobs

    async def move_to_blob_store(self) -> None:
        """Move each legacy document into the blob store, then delete it here.

        Replicas may start at once, and a start may stop between the two steps: a blob already stored under
        the id is that same document (ids are never reused), so only the delete is left to do.
        """
        ids = [found["_id"] async for found in self.collection.find({}, {"_id": 1})]
        for document_id in ids:
            found = await self.collection.find_one({"_id": document_id}, {"content": 1})
            if found is None:
                continue  # another replica moved it meanwhile
            with suppress(BlobExists):
                await self._blobs.put(str(document_id), _one_chunk(bytes(found["content"])),
                                      max_bytes=LEGACY_MAX_BYTES)
            await self.collection.delete_one({"_id": document_id})
        if ids:
            log.info("legacy_result_documents_moved", count=len(ids))


async def _one_chunk(content: bytes) -> AsyncIterator[bytes]:
    yield content
