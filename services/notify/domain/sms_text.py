"""What each SMS says: one short line per notice, naming what happened, the lookup code and the portal.

The table is `SMS_TEXTS`: a template that is not in it sends no SMS (mail only). Texts are written in
Vietnamese with diacritics; a provider that sends them unaccented (the usual brand-name setting: GSM-7
fits 160 characters in one segment, Unicode only 70, and each segment is billed) gets them through
`unaccented`. A text longer than the bound drops its detail; one still too long is a broken template.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.notify.domain.mail import TemplateBroken

SIGNATURE = "Sở Y tế"


@dataclass(frozen=True)
class SmsText:
    """What happened (with the lookup code) and, space allowing, one detail (a date, an amount)."""

    what: str
    detail: str = ""


def _ref(facts: Mapping[str, Any], *, first: bool = False) -> str:
    code = facts.get("lookup_code")
    return ("Hồ sơ " if first else "hồ sơ ") + (code if code else "của Ông/Bà")


def _received(facts: Mapping[str, Any]) -> SmsText:
    due = date.fromisoformat(facts["due_date"]).strftime("%d/%m/%Y")
    return SmsText(f"Đã tiếp nhận hồ sơ, mã tra cứu {facts['lookup_code']}.", f"Hẹn trả kết quả {due}.")


def _supplement_requested(facts: Mapping[str, Any]) -> SmsText:
    return SmsText(f"Yêu cầu bổ sung {_ref(facts)}.", "Xem nội dung cần bổ sung trên Cổng.")


def _rejected(facts: Mapping[str, Any]) -> SmsText:
    return SmsText(f"{_ref(facts, first=True)} không được tiếp nhận.", "Xem lý do trên Cổng.")


def _payment_requested(facts: Mapping[str, Any]) -> SmsText:
    amount = f"{int(facts['amount_vnd']):,}".replace(",", ".")
    return SmsText(f"Yêu cầu thanh toán phí, lệ phí {_ref(facts)}.", f"Số tiền {amount} đồng.")


def _result_ready(facts: Mapping[str, Any]) -> SmsText:
    return SmsText(f"{_ref(facts, first=True)} đã có kết quả.", "Xem cách nhận kết quả trên Cổng.")


# The notices told by SMS as well as by mail (the deadlines' apology joins here: one line).
SMS_TEXTS = {
    "received": _received,
    "supplement_requested": _supplement_requested,
    "rejected": _rejected,
    "payment_requested": _payment_requested,
    "result_ready": _result_ready,
}


def unaccented(text: str) -> str:
    """Vietnamese without diacritics, in GSM-7's basic characters: `Đã tiếp nhận` → `Da tiep nhan`."""
    stripped = "".join(character for character in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(character))
    return stripped.replace("đ", "d").replace("Đ", "D")


def write_sms(template: str, facts: Mapping[str, Any], link: str, *, unicode: bool, max_length: int) -> str:
    """The message for `template`, at most `max_length` characters; raise TemplateBroken when it cannot be."""
    decide = SMS_TEXTS.get(template)
    if decide is None:
        raise TemplateBroken(f"no SMS text for {template}")
    try:
        text = decide(facts)
    except (KeyError, TypeError, ValueError) as missing:
        raise TemplateBroken(f"SMS {template}: {type(missing).__name__}") from None
    for parts in ((text.what, text.detail, link), (text.what, link)):
        written = f"{SIGNATURE}: " + " ".join(part for part in parts if part)
        written = written if unicode else unaccented(written)
        if len(written) <= max_length:
            return written
    raise TemplateBroken(f"SMS {template} longer than {max_length} characters")
