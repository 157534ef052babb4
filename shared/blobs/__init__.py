"""Where the bytes of documents live (tệp đính kèm, văn bản kết quả): a blob store port and its adapters.

Records and events carry only a blob's metadata (id, size, sha256); the bytes stay here, streamed in and
out in chunks so that a large file is never held whole in memory.
"""

from shared.blobs.opening import open_blob_store
from shared.blobs.port import BlobExists, BlobNotFound, BlobStore, BlobTooLarge, StoredBlob

__all__ = ["BlobExists", "BlobNotFound", "BlobStore", "BlobTooLarge", "StoredBlob", "open_blob_store"]
