"""The result document (văn bản kết quả) as staff hand it in: its name made safe, its content judged.

Pure, no I/O. The bytes stream past a `ContentInspector` on their way into the blob store; once they are
all in, `judge` says what they are, or why they cannot be the result. The sender's name and declared type
are only their word: the type stored and served is the one the bytes show.
"""

from collections.abc import Sequence

from services.processing.errors import EmptyResultFile, IncompleteResultFile, UnsupportedResultType
from shared import filenames
from shared.blobs.content_types import BY_CONTENT_TYPE, ContentInspector, FileFormat, IncompleteFile, UnknownFormat

DEFAULT_FILENAME = "ket-qua"


def clean_filename(filename: str | None) -> str:
    """The kernel's safe name (shared.filenames), "ket-qua" when nothing is left of it."""
    return filenames.clean_filename(filename, default=DEFAULT_FILENAME)


def judge(size: int, inspector: ContentInspector, accepted: Sequence[str]) -> FileFormat:
    """The format of the `size` bytes the inspector watched go by; the refusal when they cannot be a result."""
    if size == 0:
        raise EmptyResultFile()
    try:
        return inspector.verdict()
    except UnknownFormat:
        raise UnsupportedResultType([BY_CONTENT_TYPE[content_type].label for content_type in accepted]) from None
    except IncompleteFile as incomplete:
        raise IncompleteResultFile(incomplete.file_format.label) from None
