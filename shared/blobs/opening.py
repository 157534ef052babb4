"""Open the blob store a service's settings ask for, beside its document store."""

from shared.blobs.files import FileBlobStore
from shared.blobs.memory import MemoryBlobStore
from shared.blobs.mongo_gridfs import GridFSBlobStore
from shared.blobs.port import BlobStore
from shared.settings import ServiceSettings
from shared.store.port import DocumentStore


def open_blob_store(settings: ServiceSettings, service: str, store: DocumentStore) -> BlobStore:
    """GridFS in the service's own database on MongoDB; else files beside the journal (STORE_JOURNAL_DIR),
    so that blobs survive a restart exactly when the records that point at them do; else memory."""
    if settings.mongo_url:
        return GridFSBlobStore(store.db)
    if settings.store_journal_dir is not None:
        return FileBlobStore(settings.store_journal_dir / f"{settings.namespace}_{service}.blobs")
    return MemoryBlobStore()
