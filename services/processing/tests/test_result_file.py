"""The result document's name made safe for a header, and its bytes judged: pure, no blob store."""

import pytest

from services.processing.domain import result_file
from services.processing.errors import EmptyResultFile, IncompleteResultFile, UnsupportedResultType
from shared.blobs.content_types import ContentInspector

ACCEPTED = ("application/pdf", "image/jpeg", "image/png")


def judged(*chunks: bytes) -> str:
    inspector = ContentInspector(ACCEPTED)
    for chunk in chunks:
        inspector.observe(chunk)
    return result_file.judge(sum(map(len, chunks)), inspector, ACCEPTED).content_type


@pytest.mark.parametrize(("raw", "cleaned"), [
    ("C:\\Users\\van thu\\giấy phép.pdf", "giấy phép.pdf"),
    ("../../etc/passwd", "passwd"),
    ('a"b\r\nc.pdf', "abc.pdf"),
    ("", "ket-qua"),
    (None, "ket-qua"),
])
def test_a_name_keeps_no_folder_quote_or_control_character(raw: str | None, cleaned: str) -> None:
    assert result_file.clean_filename(raw) == cleaned


def test_the_format_is_read_from_the_bytes_across_chunks() -> None:
    assert judged(b"%PD", b"F-1.7\n", b"x" * 5000, b"%%E", b"OF\n") == "application/pdf"


def test_each_refusal_says_why() -> None:
    with pytest.raises(EmptyResultFile):
        judged()
    with pytest.raises(UnsupportedResultType) as unsupported:
        judged(b"<html></html>")
    assert unsupported.value.message.endswith("chỉ nhận tệp PDF, JPEG hoặc PNG.")
    with pytest.raises(IncompleteResultFile) as incomplete:
        judged(b"\x89PNG\r\n\x1a\n", b"IHDR")
    assert "PNG" in incomplete.value.message
