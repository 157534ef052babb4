"""What a slip says, before it is laid out: the parts every form of Circular 01/2018/TT-VPCP has.

The agency heading and the national motto, the form's number (Mẫu số), the slip's own number, the place
and date, the title, the body (paragraphs, labelled lines, a list) and the signature block. Plain data:
stored with the slip as the facts it was rendered from, and laid out by `domain.layout`.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Line:
    """A labelled line of the body ("Mã hồ sơ: …"); `strong` sets the value in bold."""

    label: str
    value: str
    strong: bool = False


@dataclass(frozen=True)
class SlipContent:
    kind: str
    form: str  # "Mẫu số 01", or "" for a slip that is no form of the circular
    title: str
    number: str
    place: str
    issued_on: date
    agency: str  # "SỞ Y TẾ"
    unit: str  # "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    opening: str  # the first paragraph
    lines: list[Line] = field(default_factory=list)
    list_heading: str | None = None
    items: list[str] = field(default_factory=list)
    after: list[Line] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    signer_title: str = "NGƯỜI TIẾP NHẬN HỒ SƠ"
    lookup_code: str | None = None
    qr_url: str | None = None  # the public lookup of the dossier, as a QR code beside the signature

    def as_facts(self) -> dict[str, Any]:
        facts = asdict(self)
        facts["issued_on"] = self.issued_on.isoformat()
        return facts
