"""The internal API's answers, as DESIGN.md names them (the gateway passes them on to the portal)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ActorPublic(BaseModel):
    kind: str
    id: str


class HistoryEntryPublic(BaseModel):
    """One status change (lịch sử xử lý): when, from what, to what, by whom, why."""

    model_config = ConfigDict(populate_by_name=True)

    at: datetime
    from_status: str | None = Field(alias="from")
    to: str
    actor: ActorPublic
    reason: str | None = None


class DossierListItem(BaseModel):
    id: str
    lookup_code: str | None = Field(description="Mã hồ sơ; null until the dossier is received")
    title: str | None
    procedure_code: str | None
    procedure_name: str | None
    status: str
    status_label: str
    created_at: datetime | None
    submitted_at: datetime | None
    due_date: str | None = Field(description="Hạn giải quyết (YYYY-MM-DD)")
    overdue: bool
    version: int


class DossierDetail(DossierListItem):
    received_at: datetime | None
    updated_at: datetime | None
    applicant: dict[str, Any] | None
    form: dict[str, Any]
    history: list[HistoryEntryPublic]
    actions: list[str] = Field(description="edit, delete, submit, withdraw, pay, choose_delivery, "
                                           "download_result")
    payment: dict[str, Any] | None
    result: dict[str, Any] | None


class DossiersPage(BaseModel):
    items: list[DossierListItem]
    total: int
    page: int
    page_size: int


class VersionReached(BaseModel):
    id: str
    version: int | None = Field(description="The version the read model holds; null when it has none")
    reached: bool


class Rebuilt(BaseModel):
    dossiers: int
