"""The layout on its own: deterministic, the shipped faces have every Vietnamese letter, and a slip is set
in the Latin cut only when the cut holds all it shows."""

import logging
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from fontTools.ttLib import TTFont

from services.slips.domain.content import Line, SlipContent
from services.slips.domain.layout import SignatureNote, render_slip
from services.slips.domain.typeface import CUT_SUFFIX, FACES, FONTS_DIR, LATIN_BLOCKS, face_files, in_latin_cut

VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ")


def content() -> SlipContent:
    return SlipContent(kind="receipt", form="Mẫu số 01", title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                       number="000.00.17.H00-261202-0001/TNHS", place="Phường Trung tâm", issued_on=date(2026, 12, 2),
                       agency="SỞ Y TẾ", unit="BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", opening="Tiếp nhận hồ sơ của:",
                       lines=[Line("Ông/Bà", "Nguyễn Thị Ỷ", strong=True)], list_heading="Thành phần:",
                       items=["Đơn đề nghị (1 tệp)"], qr_url="http://127.0.0.1:8000/tra-cuu?ma=x")


NOTE = SignatureNote("Sở Y tế", datetime(2026, 12, 2, 2, 5, tzinfo=UTC), "9 giờ 05 phút, ngày 02/12/2026", False)
SHIPPED = [f"{name}{suffix}.ttf" for name in FACES.values() for suffix in ("", CUT_SUFFIX)]


def test_the_same_slip_renders_to_the_same_bytes() -> None:
    note = NOTE
    first = render_slip(content(), note)
    assert first == render_slip(content(), note)
    assert first.startswith(b"%PDF") and b"/MediaBox [0 0 419.53 595.28]" in first  # A5, in points


def test_every_vietnamese_letter_is_in_each_shipped_font() -> None:
    letters = set(VIETNAMESE + VIETNAMESE.upper())
    for name in SHIPPED:
        cmap = TTFont(FONTS_DIR / name).getBestCmap()
        assert [letter for letter in letters if ord(letter) not in cmap] == [], name
    assert (FONTS_DIR / "LICENSE").read_text().count("Bitstream") > 0


def test_the_latin_cut_keeps_every_character_of_its_blocks_the_whole_face_has() -> None:
    for name in FACES.values():
        whole = TTFont(FONTS_DIR / f"{name}.ttf").getBestCmap()
        cut = TTFont(FONTS_DIR / f"{name}{CUT_SUFFIX}.ttf").getBestCmap()
        kept = {point for point in whole if any(first <= point <= last for first, last in LATIN_BLOCKS)}
        assert set(cut) == kept, name
        assert len(kept) < len(whole) / 2, name  # what makes the cut worth shipping


@pytest.mark.parametrize("name", ["Nguyễn Thị Ỷ", "Nguyê\u0303n Thi\u0323 Y\u0309"])  # precomposed, decomposed
def test_a_vietnamese_slip_is_set_in_the_cut(name: str) -> None:
    assert in_latin_cut(name + "\n– “₫” №")
    assert {path.name for path in face_files(name).values()} == {f"{face}{CUT_SUFFIX}.ttf" for face in FACES.values()}


def test_a_name_outside_the_cut_sets_the_slip_in_the_whole_face(caplog: pytest.LogCaptureFixture) -> None:
    cyrillic = replace(content(), lines=[Line("Ông/Bà", "Жанна Нгуен", strong=True)])
    assert not in_latin_cut("Жанна")
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        render_slip(cyrillic, NOTE)
    assert [record.message for record in caplog.records if "missing" in record.message] == []
