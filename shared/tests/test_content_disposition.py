"""The download's Content-Disposition: an attachment, an ASCII name for old clients and the exact one for all."""

from urllib.parse import unquote

import pytest

from shared.http_files import FALLBACK_NAME, ascii_fallback, content_disposition


def test_a_vietnamese_name_is_offered_exactly_and_without_accents_as_a_fallback() -> None:
    assert content_disposition("Bằng tốt nghiệp.pdf") == (
        "attachment; filename=\"Bang tot nghiep.pdf\"; "
        "filename*=UTF-8''B%E1%BA%B1ng%20t%E1%BB%91t%20nghi%E1%BB%87p.pdf")


def test_the_fallback_keeps_d_with_stroke_a_letter_of_its_own() -> None:
    assert ascii_fallback("Đơn đề nghị.docx") == "Don de nghi.docx"


@pytest.mark.parametrize("name", ["Bằng tốt nghiệp.pdf", "a b%c;d,e.pdf", "đơn (bản sao) #2 & 3+4.png", "文件.pdf"])
def test_the_encoded_name_decodes_back_to_the_name(name: str) -> None:
    encoded = content_disposition(name).split("filename*=UTF-8''", 1)[1]
    assert " " not in encoded and ";" not in encoded and '"' not in encoded
    assert unquote(encoded, encoding="utf-8") == name


def test_the_fallback_never_breaks_its_quotes_nor_carries_percent_signs() -> None:
    assert ascii_fallback('a"b\\c%d.pdf') == "a_b_c_d.pdf"
    assert ascii_fallback("文件.pdf") == "__.pdf"
    assert ascii_fallback("文件") == "__"
    assert ascii_fallback("") == FALLBACK_NAME
