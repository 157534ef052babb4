"""Result documents (tệp kết quả): their bytes kept in processing's store, never in a message."""

from datetime import datetime

from bson import Binary

from services.processing.domain.dossier import UploadedDocument
from shared.lifecycle import ResultDocument
from shared.store.port import Collection, Database

COLLECTION = "documents"


class ResultDocuments:
    """One document per result file: its metadata and its bytes (BSON binary, under the 16 MB limit)."""

    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("dossier_id", 1)])

    async def put(
        self, document_id: str, dossier_id: str, upload: UploadedDocument, now: datetime,
    ) -> ResultDocument:
        metadata = ResultDocument(id=document_id, filename=upload.filename, content_type=upload.content_type,
                                  size_bytes=len(upload.content))
        await self.collection.insert_one({
            "_id": document_id, "dossier_id": dossier_id, **metadata.model_dump(exclude={"id"}),
            "content": Binary(upload.content), "stored_at": now})
        return metadata

    async def content(self, document_id: str) -> bytes | None:
        found = await self.collection.find_one({"_id": document_id}, {"content": 1})
        return bytes(found["content"]) if found else None

    async def discard(self, document_id: str) -> None:
        """Remove a document no dossier came to refer to (its result was refused after all)."""
        await self.collection.delete_one({"_id": document_id})
