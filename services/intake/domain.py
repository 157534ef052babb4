"""The dossier while the citizen holds it (hồ sơ chưa gửi / yêu cầu bổ sung): pure decisions, no I/O.

Each decision takes the current dossier and answers the changed dossier with the event payload that
records the change; the handlers store both together.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.errors import DomainError, InvalidFields, NotEditable, StaleVersion
from shared.messages import DossierContent, DossierSubmitted, DraftCreated, DraftDeleted, DraftUpdated
from shared.procedures import ProcedureCatalog
from shared.statuses import EDITABLE, Status, ensure_can_move


class InvalidContent(InvalidFields):
    """The content breaks the procedure's form."""

    message_vi = "Dữ liệu hồ sơ không hợp lệ."


class NotDeletable(DomainError):
    code = "dossier_not_deletable"
    http_status = 409
    message_vi = "Chỉ xoá được hồ sơ chưa gửi."


@dataclass(frozen=True)
class Owner:
    """The citizen account the dossier belongs to; `email` is the address registered with the account."""

    id: str
    email: str | None


@dataclass(frozen=True)
class Dossier:
    id: str
    owner: Owner
    status: Status
    version: int
    content: DossierContent
    created_at: datetime
    updated_at: datetime


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
    """Replace the given top-level parts of the content (title, applicant, form, procedure)."""
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


def delete(dossier: Dossier, expected_version: int | None) -> DraftDeleted:
    if dossier.status != Status.DRAFT:
        raise NotDeletable(status=dossier.status)
    if expected_version is not None and expected_version != dossier.version:
        raise StaleVersion(current_version=dossier.version)
    return DraftDeleted()


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

    None when this version was already taken into account (a duplicate or an older event).
    """
    if version <= dossier.version:
        return None
    return replace(dossier, status=status, version=version, updated_at=now)


def _field_errors(error: ValidationError) -> dict[str, str]:
    return {".".join(str(part) for part in issue["loc"]): "Giá trị không hợp lệ." for issue in error.errors()}
