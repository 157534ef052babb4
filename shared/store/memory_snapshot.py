"""The in-memory engine's snapshot file: every collection's indexes and documents, as BSON.

BSON because it is what MongoDB itself stores, round-trips every type a document may hold, and is read
back by PyMongo's C extension far faster than JSON lines are replayed. The file is a run of BSON
documents: for each collection a header (its name, its index specs, how many documents follow), then
its documents as stored (datetimes naive in UTC, as mongomock keeps them).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import bson
from bson.codec_options import CodecOptions

Document = dict[str, Any]
Table = tuple[str, dict[str, Document], list[Document]]  # a collection's name, index specs, documents
Read = tuple[str, dict[str, Document], Iterator[Document]]  # the same, its documents read as they are used

_AS_STORED: CodecOptions[Document] = CodecOptions(document_class=dict, tz_aware=False)


def write_tables(tables: Iterator[Table], file: BinaryIO) -> None:
    for name, indexes, documents in tables:
        file.write(bson.encode({"collection": name, "indexes": indexes, "count": len(documents)}))
        for document in documents:
            file.write(bson.encode(document))


def read_tables(path: Path) -> Iterator[Read]:
    """Each collection in turn; its documents must be taken (all of them) before the next is asked for,
    one at a time, so that a decoded copy of the whole snapshot is never held at once."""
    with path.open("rb") as file:
        items = bson.decode_file_iter(file, codec_options=_AS_STORED)
        for header in items:
            indexes = {name: _as_spec(spec) for name, spec in header["indexes"].items()}
            yield header["collection"], indexes, (next(items) for _ in range(header["count"]))


def _as_spec(spec: Document) -> Document:
    """An index spec as mongomock keeps it: its key a list of (field, direction) pairs."""
    return {**spec, "key": [(field, direction) for field, direction in spec["key"]]}
