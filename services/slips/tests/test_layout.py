"""The layout on its own: deterministic, and the shipped font has every Vietnamese letter."""

from datetime import UTC, date, datetime

from fontTools.ttLib import TTFont

from services.slips.domain.content import Line, SlipContent
from services.slips.domain.layout import FONTS_DIR, SignatureNote, render_slip

VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ")


def content() -> SlipContent:
    return SlipContent(kind="receipt", form="Mẫu số 01", title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                       number="000.00.17.H00-261202-0001/TNHS", place="Phường Trung tâm", issued_on=date(2026, 12, 2),
                       agency="SỞ Y TẾ", unit="BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", opening="Tiếp nhận hồ sơ của:",
                       lines=[Line("Ông/Bà", "Nguyễn Thị Ỷ", strong=True)], list_heading="Thành phần:",
                       items=["Đơn đề nghị (1 tệp)"], qr_url="http://127.0.0.1:8000/tra-cuu?ma=x")


def test_the_same_slip_renders_to_the_same_bytes() -> None:
    note = SignatureNote("Sở Y tế", datetime(2026, 12, 2, 2, 5, tzinfo=UTC), "9 giờ 05 phút, ngày 02/12/2026", False)
    first = render_slip(content(), note)
    assert first == render_slip(content(), note)
    assert first.startswith(b"%PDF") and b"/MediaBox [0 0 419.53 595.28]" in first  # A5, in points


def test_every_vietnamese_letter_is_in_each_shipped_font() -> None:
    letters = set(VIETNAMESE + VIETNAMESE.upper())
    for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"):
        cmap = TTFont(FONTS_DIR / name).getBestCmap()
        assert [letter for letter in letters if ord(letter) not in cmap] == [], name
    assert (FONTS_DIR / "LICENSE").read_text().count("Bitstream") > 0
