"""What a file is, judged by its bytes and not by its name: PDF, JPEG and PNG, each whole.

An uploaded file's name and declared type are the sender's word; its first bytes (the format's signature)
and its last (the format's end marker) are the file's own. A file whose start matches no known format, or
whose end marker is missing (an upload cut off, a damaged scan), is refused before anything is kept.
"""

from collections.abc import Collection
from dataclasses import dataclass

# Enough of the end to find each format's end marker (PDF allows trailing whitespace and comments).
TAIL_BYTES = 1024


@dataclass(frozen=True)
class FileFormat:
    content_type: str
    label: str  # for messages: "PDF", "JPEG", "PNG"
    signature: bytes
    end_marker: bytes

    def ends_properly(self, tail: bytes) -> bool:
        return self.end_marker in tail


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("application/pdf", "PDF", b"%PDF-", b"%%EOF"),
    FileFormat("image/jpeg", "JPEG", b"\xff\xd8\xff", b"\xff\xd9"),
    # The IEND chunk: its type and its fixed CRC.
    FileFormat("image/png", "PNG", b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"),
)
BY_CONTENT_TYPE = {known.content_type: known for known in FORMATS}
HEAD_BYTES = max(len(known.signature) for known in FORMATS)


class UnknownFormat(Exception):
    """The content is none of the accepted formats (whatever its name says)."""


class IncompleteFile(Exception):
    """The content starts as `format` but does not end as one: cut off or damaged."""

    def __init__(self, file_format: FileFormat) -> None:
        super().__init__(file_format.label)
        self.file_format = file_format


class ContentInspector:
    """Watches a file's chunks go by, keeping only its first and last bytes, and then says what it is."""

    def __init__(self, accepted: Collection[str]) -> None:
        self._accepted = tuple(BY_CONTENT_TYPE[content_type] for content_type in accepted)
        self._head = b""
        self._tail = b""

    def observe(self, chunk: bytes) -> None:
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[:HEAD_BYTES - len(self._head)]
        self._tail = (self._tail + chunk)[-TAIL_BYTES:]

    def verdict(self) -> FileFormat:
        """The file's format; UnknownFormat or IncompleteFile when it is not one accepted, whole."""
        file_format = next((known for known in self._accepted if self._head.startswith(known.signature)), None)
        if file_format is None:
            raise UnknownFormat()
        if not file_format.ends_properly(self._tail):
            raise IncompleteFile(file_format)
        return file_format


def unknown_content_types(content_types: Collection[str]) -> list[str]:
    """Those of `content_types` this module cannot recognise (for settings validation)."""
    return sorted(set(content_types) - set(BY_CONTENT_TYPE))
