"""What each SMS says: short, unaccented unless the provider takes Unicode, naming the code and the portal."""

import pytest

from services.notify.domain.mail import TemplateBroken
from services.notify.domain.sms_text import SMS_TEXTS, unaccented, write_sms

PORTAL = "https://dichvucong.soyte.example"
CODE = "000.00.17.H00-260303-0001"
FACTS = {"lookup_code": CODE, "due_date": "2026-03-31", "amount_vnd": 360_000, "reason": "Thiếu ảnh"}
GSM7_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


def test_vietnamese_loses_its_diacritics_and_keeps_its_letters() -> None:
    assert unaccented("Đã tiếp nhận hồ sơ, hẹn trả kết quả") == "Da tiep nhan ho so, hen tra ket qua"


@pytest.mark.parametrize("template", sorted(SMS_TEXTS))
def test_every_sms_fits_one_gsm7_segment_and_names_the_code_and_the_portal(template: str) -> None:
    text = write_sms(template, FACTS, PORTAL, unicode=False, max_length=160)
    assert len(text) <= 160 and set(text) <= GSM7_BASIC, text
    assert CODE in text and PORTAL in text and text.startswith("So Y te: ")


def test_the_reception_sms_says_what_happened_and_the_appointment() -> None:
    assert write_sms("received", FACTS, PORTAL, unicode=False, max_length=160) == (
        f"So Y te: Da tiep nhan ho so, ma tra cuu {CODE}. Hen tra ket qua 31/03/2026. {PORTAL}")
    assert write_sms("payment_requested", FACTS, PORTAL, unicode=True, max_length=160) == (
        f"Sở Y tế: Yêu cầu thanh toán phí, lệ phí hồ sơ {CODE}. Số tiền 360.000 đồng. {PORTAL}")


def test_a_rejection_before_reception_has_no_code_and_says_so_plainly() -> None:
    text = write_sms("rejected", {"reason": "Thiếu ảnh"}, PORTAL, unicode=False, max_length=160)
    assert text == f"So Y te: Ho so cua Ong/Ba khong duoc tiep nhan. Xem ly do tren Cong. {PORTAL}"


def test_too_long_drops_the_detail_then_refuses() -> None:
    short = write_sms("received", FACTS, PORTAL, unicode=True, max_length=100)
    assert "Hẹn trả" not in short and CODE in short and len(short) <= 100
    with pytest.raises(TemplateBroken):
        write_sms("received", FACTS, PORTAL, unicode=True, max_length=70)


def test_a_fact_missing_is_a_broken_template_not_a_blank() -> None:
    with pytest.raises(TemplateBroken):
        write_sms("received", {"lookup_code": CODE}, PORTAL, unicode=False, max_length=160)
    with pytest.raises(TemplateBroken):
        write_sms("paid", FACTS, PORTAL, unicode=False, max_length=160)  # not told by SMS
