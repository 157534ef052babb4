"""Files are judged by their content: signature at the start, end marker at the end."""

import pytest

from shared.blobs.content_types import ContentInspector, IncompleteFile, UnknownFormat, unknown_content_types

ALL = ("application/pdf", "image/jpeg", "image/png")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50 + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def inspect(content: bytes, accepted: tuple[str, ...] = ALL, chunk: int = 7) -> str:
    inspector = ContentInspector(accepted)
    for start in range(0, len(content), chunk):
        inspector.observe(content[start:start + chunk])
    return inspector.verdict().content_type


@pytest.mark.parametrize(("content", "expected"), [(PDF, "application/pdf"), (JPEG, "image/jpeg"),
                                                   (PNG, "image/png")])
def test_each_format_is_recognised_whatever_the_chunking(content: bytes, expected: str) -> None:
    assert inspect(content, chunk=1) == inspect(content, chunk=4096) == expected


def test_a_long_file_is_judged_by_its_first_and_last_bytes() -> None:
    long_pdf = PDF[:9] + b"x" * 100_000 + PDF[9:]
    assert inspect(long_pdf, chunk=8192) == "application/pdf"


@pytest.mark.parametrize("content", [b"MZ\x90\x00 an executable", b"<html><script>", b"PK\x03\x04zip", b""])
def test_content_of_another_format_is_unknown(content: bytes) -> None:
    with pytest.raises(UnknownFormat):
        inspect(content)


def test_a_format_not_accepted_is_unknown_even_if_recognisable() -> None:
    with pytest.raises(UnknownFormat):
        inspect(PNG, accepted=("application/pdf",))


@pytest.mark.parametrize("content", [PDF[:-8], JPEG[:-2], PNG[:-4]])
def test_a_file_cut_off_before_its_end_is_incomplete(content: bytes) -> None:
    with pytest.raises(IncompleteFile):
        inspect(content)


def test_settings_can_ask_only_for_formats_it_knows() -> None:
    assert unknown_content_types(["application/pdf", "image/gif"]) == ["image/gif"]
