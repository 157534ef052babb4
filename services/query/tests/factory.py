"""Events of one dossier's life, as its producers would publish them, for the query service's tests."""

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.messages import (
    Actor,
    DossierContent,
    DossierSubmitted,
    DraftCreated,
    DraftDeleted,
    DraftUpdated,
    Envelope,
    Payload,
    make_event,
)

OWNER = "citizen-1"
CITIZEN = Actor(kind="citizen", id=OWNER)
CLERK = Actor(kind="staff", id="clerk-7")
START = datetime(2025, 3, 3, 1, 30, tzinfo=UTC)


def content(title: str = "Cấp giấy phép hành nghề", full_name: str = "Nguyễn Thị Đào",
            procedure_code: str = "SYT-KCB-01") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": title, "form": {"chuyen_mon": "Bác sĩ"},
        "applicant": {"full_name": full_name, "id_number": "001203004005", "phone": "0901234567",
                      "email": "dao@example.vn", "address": "Hà Nội"}})


def event(payload: Payload, version: int, dossier_id: str = "d-1", actor: Actor = CITIZEN,
          at: datetime | None = None) -> Envelope:
    made = make_event(payload, producer="test", dossier_id=dossier_id, version=version, actor=actor)
    return made.model_copy(update={"occurred_at": at or START + timedelta(hours=version)})


def created(owner: str = OWNER, **kwargs: Any) -> DraftCreated:
    return DraftCreated(owner_id=owner, content=content(**kwargs))


def updated(**kwargs: Any) -> DraftUpdated:
    return DraftUpdated(content=content(**kwargs))


def deleted() -> DraftDeleted:
    return DraftDeleted()


def submitted(owner: str = OWNER, **kwargs: Any) -> DossierSubmitted:
    return DossierSubmitted(from_status="draft", owner_id=owner, content=content(**kwargs))


def status_change(type_: str, version: int, data: dict[str, Any], dossier_id: str = "d-1",
                  at: datetime | None = None) -> Envelope:
    """An event this service has no model for (processing's, payment's), as raw data."""
    return Envelope(type=type_, producer="processing", dossier_id=dossier_id, version=version,
                    actor=CLERK, occurred_at=at or START + timedelta(hours=version), data=data)
