"""A file's name as the citizen gave it, made safe to show: the base name, Vietnamese intact, nothing hidden."""

import unicodedata

import pytest

from shared.filenames import DEFAULT_FILENAME, MAX_FILENAME_CHARS, clean_filename


def test_a_vietnamese_name_comes_through_composed_whatever_form_it_came_in() -> None:
    written = "Bằng tốt nghiệp.pdf"
    # macOS sends names decomposed (NFD): the same letters, other code points.
    decomposed = unicodedata.normalize("NFD", written)
    assert decomposed != written
    assert clean_filename(decomposed) == clean_filename(written) == unicodedata.normalize("NFC", written)


@pytest.mark.parametrize(("raw", "clean"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\x\\y.pdf", "y.pdf"),
    ("..\\..\\Windows\\system.ini", "system.ini"),
    ("/tmp/giấy khám.jpg", "giấy khám.jpg"),
    ("a..b...pdf", "a.b.pdf"),
    (".hidden.pdf", "hidden.pdf"),
    ("scan.pdf. . ", "scan.pdf"),
], ids=["unix climb", "windows path", "windows climb", "absolute", "dot runs", "hidden", "trailing dots"])
def test_only_the_base_name_is_kept_and_it_can_climb_nowhere(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_control_characters_quotes_and_direction_overrides_are_dropped() -> None:
    assert clean_filename('đơn "đề nghị"\x00\x07\n.pdf') == "đơn đề nghị.pdf"
    assert clean_filename("it's `x`.png") == "its x.png"
    # U+202E would show "exe.pdf" for a name ending in ".exe".
    assert clean_filename("hoa-don\u202efdp.exe") == "hoa-donfdp.exe"
    assert clean_filename("a\tb\u2028c.pdf") == "abc.pdf"


@pytest.mark.parametrize("raw", ["", "   ", "..", "../..", "\x00\x1f", "/", '"\'`'])
def test_a_name_with_nothing_left_gets_the_default(raw: str) -> None:
    assert clean_filename(raw) == DEFAULT_FILENAME


def test_a_long_name_is_cut_to_255_characters_keeping_its_extension() -> None:
    cleaned = clean_filename("Giấy xác nhận " * 40 + ".pdf")
    assert len(cleaned) <= MAX_FILENAME_CHARS and cleaned.endswith(".pdf") and cleaned.startswith("Giấy xác nhận")
    assert not cleaned.removesuffix(".pdf").endswith(" ")
    no_extension = clean_filename("ả" * 400)
    assert no_extension == "ả" * MAX_FILENAME_CHARS
