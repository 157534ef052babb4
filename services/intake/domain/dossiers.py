"""The dossier while the citizen holds it (hồ sơ chưa gửi / yêu cầu bổ sung): pure decisions, no I/O.

Each decision takes the current dossier and answers the changed dossier with the event payload that
records the change; the handlers store both together.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from services.intake.errors import HandBackOutOfTurn, InvalidContent, NotDeletable, NotHandedBackYet
from shared.errors import NotEditable, StaleVersion
from shared.messages import DossierContent, DossierSubmitted, DraftCreated, DraftDeleted, DraftUpdated
from shared.procedures import ProcedureCatalog
from shared.statuses import EDITABLE, Holder, Status, ensure_can_move, info


@dataclass(frozen=True)
class Owner:
    """The citizen account the dossier belongs to; `email` is the address registered with the account."""

    id: str
    email: str | None


@dataclass(frozen=True)
class Dossier:
    """Intake's record of a dossier: whose it is, what they filled in, its status and the version recording it.

    It is a `HeldRecord` of the holders' write path (`shared.holder.write`). `deleted` marks a draft the
    citizen deleted: stored as a tombstone until its event is published.
    """

    id: str
    owner: Owner
    status: Status
    version: int
    content: DossierContent
    created_at: datetime
    updated_at: datetime
    deleted: bool = False

    @property
    def owner_id(self) -> str:
        return self.owner.id

    @property
    def revision(self) -> int:
        # Every write intake stores moves the version on (a take-back to the event's), so the version alone
        # is what the next write is conditional on.
        return self.version

    @property
    def applied_commands(self) -> tuple[str, ...]:
        # Intake takes no staff commands: it has none to remember against a redelivery.
        return ()


def check_content(content: DossierContent, catalog: ProcedureCatalog, *, complete: bool) -> None:
    """The procedure exists and the form only has its fields, of their types; all required ones to send."""
    if content.procedure_code not in catalog:
        raise InvalidContent({"procedure_code": "Thủ tục hành chính không tồn tại."})
    fields = {field.name: field for field in catalog.get(content.procedure_code).form_fields}
    problems: dict[str, str] = {}
    for name, value in content.form.items():
        field = fields.get(name)
        if field is None:
            problems[f"form.{name}"] = "Trường không thuộc biểu mẫu của thủ tục này."
        elif field.type == "number" and value is not None and not isinstance(value, int | float):
            problems[f"form.{name}"] = "Giá trị phải là số."
    if complete:
        for field in fields.values():
            if field.required and content.form.get(field.name) in (None, ""):
                problems[f"form.{field.name}"] = f"Vui lòng nhập {field.label.lower()}."
    if problems:
        raise InvalidContent(problems)


def create_draft(
    dossier_id: str, owner: Owner, content: DossierContent, catalog: ProcedureCatalog, now: datetime,
) -> tuple[Dossier, DraftCreated]:
    check_content(content, catalog, complete=False)
    dossier = Dossier(dossier_id, owner, Status.DRAFT, 1, content, now, now)
    return dossier, DraftCreated(owner_id=owner.id, owner_email=owner.email, content=content)


def edit(
    dossier: Dossier, changes: dict[str, Any], expected_version: int, catalog: ProcedureCatalog,
    now: datetime,
) -> tuple[Dossier, DraftUpdated]:
    """Replace the given top-level parts of the content (title, applicant, form, procedure).

    Only on the version the citizen saw: the parts replace whole ones (all of `form`), so applied to a newer
    version they would undo what changed meanwhile, unseen.
    """
    _refuse_ahead_of_intake(dossier, expected_version)
    if dossier.status not in EDITABLE:
        raise NotEditable(status=dossier.status)
    if expected_version != dossier.version:
        raise StaleVersion(current_version=dossier.version)
    try:
        content = DossierContent.model_validate({**dossier.content.model_dump(), **changes})
    except ValidationError as error:
        raise InvalidContent(_field_errors(error)) from None
    check_content(content, catalog, complete=False)
    changed = replace(dossier, content=content, version=dossier.version + 1, updated_at=now)
    return changed, DraftUpdated(content=content)


def delete(dossier: Dossier, expected_version: int | None) -> tuple[Dossier, DraftDeleted]:
    """Delete a draft (xoá hồ sơ chưa gửi), on the version the citizen saw if they name one."""
    _refuse_ahead_of_intake(dossier, expected_version)
    if dossier.status != Status.DRAFT:
        raise NotDeletable(status=dossier.status)
    if expected_version is not None and expected_version != dossier.version:
        raise StaleVersion(current_version=dossier.version)
    return replace(dossier, version=dossier.version + 1, deleted=True), DraftDeleted()


def submit(dossier: Dossier, catalog: ProcedureCatalog, now: datetime) -> tuple[Dossier, DossierSubmitted]:
    """Send the dossier (gửi hồ sơ): from here on processing holds it until it comes back."""
    ensure_can_move(dossier.status, Status.SUBMITTED)
    check_content(dossier.content, catalog, complete=True)
    submitted = replace(dossier, status=Status.SUBMITTED, version=dossier.version + 1, updated_at=now)
    payload = DossierSubmitted(from_status=dossier.status, owner_id=dossier.owner.id,
                               owner_email=dossier.owner.email, content=dossier.content)
    return submitted, payload


def take_back(dossier: Dossier, status: Status, version: int, now: datetime) -> Dossier | None:
    """Processing handed the dossier back (withdrawn, or a supplement requested): the citizen holds it again.

    It comes back in the status the event says (`draft` after a withdrawal, `supplement_requested` after a
    supplement request). None when this version was already taken into account (a duplicate or an older
    event); HandBackOutOfTurn for one processing could not have sent: into a status intake does not hold,
    or for a dossier intake holds already.
    """
    if version <= dossier.version:
        return None
    if _held_by_intake(dossier.status) or not _held_by_intake(status):
        raise HandBackOutOfTurn(current=dossier.status, wanted=status)
    return replace(dossier, status=status, version=version, updated_at=now)


def _held_by_intake(status: Status) -> bool:
    return info(status).holder is Holder.INTAKE


def _refuse_ahead_of_intake(dossier: Dossier, expected_version: int | None) -> None:
    """NotHandedBackYet for a version newer than intake's while processing holds the dossier.

    Only a hand-back on its way can have made it: the citizen saw it in the read model before intake took it.
    """
    if expected_version is not None and expected_version > dossier.version and not _held_by_intake(dossier.status):
        raise NotHandedBackYet(dossier_id=dossier.id)


def _field_errors(error: ValidationError) -> dict[str, str]:
    return {".".join(str(part) for part in issue["loc"]): "Giá trị không hợp lệ." for issue in error.errors()}
