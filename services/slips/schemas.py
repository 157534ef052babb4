"""What the slips service's internal API answers besides the PDFs: a dossier's slips."""

from datetime import datetime

from pydantic import BaseModel

from services.slips.adapters.slip_register import IssuedSlip


class SlipPublic(BaseModel):
    id: str
    kind: str
    title: str
    number: str
    issued_at: datetime
    size: int
    sha256: str

    @classmethod
    def of(cls, slip: IssuedSlip) -> "SlipPublic":
        return cls(id=slip.id, kind=slip.kind, title=slip.title, number=slip.number, issued_at=slip.issued_at,
                   size=slip.size, sha256=slip.sha256)


class SlipsPublic(BaseModel):
    dossier_id: str
    items: list[SlipPublic]
