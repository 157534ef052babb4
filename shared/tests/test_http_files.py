"""Downloads: an attachment under a name every browser reads back, never sniffed."""

from email.message import Message
from urllib.parse import unquote

from shared.http_files import FALLBACK_NAME, ascii_fallback, attachment_headers


def extended_name(disposition: str) -> str:
    value = disposition.split("filename*=", 1)[1]
    charset, _, encoded = value.split("'", 2)
    assert charset == "UTF-8"
    return unquote(encoded)


def test_a_vietnamese_name_survives_in_the_extended_parameter() -> None:
    headers = attachment_headers("Bằng tốt nghiệp Đại học.pdf", "application/pdf", 1234)
    assert headers["Cache-Control"] == "private, no-store"
    assert extended_name(headers["Content-Disposition"]) == "Bằng tốt nghiệp Đại học.pdf"
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Length"] == "1234"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_fallback_is_plain_ascii_without_accents() -> None:
    assert ascii_fallback("Bằng tốt nghiệp Đại học.pdf") == "Bang tot nghiep Dai hoc.pdf"


def test_quotes_and_separators_cannot_break_out_of_the_header() -> None:
    disposition = attachment_headers('a"; filename=evil.html\r\n.pdf', "application/pdf")["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    message = Message()
    message["Content-Disposition"] = disposition
    # Inside the quotes a ";" is only a character: the parsed name is still the one fallback.
    assert message.get_param("filename", header="content-disposition") == "a_; filename=evil.html__.pdf"
    assert extended_name(disposition) == 'a"; filename=evil.html\r\n.pdf'


def test_a_name_of_nothing_but_symbols_falls_back() -> None:
    assert ascii_fallback("   ") == FALLBACK_NAME
