"""Message contracts: the envelope every event and command travels in, and the typed payloads.

The routing key of a message is its `type` (``dossier.submitted``, ``staff.accept`` ...), so consumers bind
by pattern (``dossier.#``). Payload models are registered in ``shared.registry.PAYLOADS`` so that a consumer
can parse the `data` of any message it receives, and so that the event contract can be generated from them.
This module holds the envelope, the dossier content and what intake publishes; `shared.lifecycle` what
processing publishes; `shared.commands` the staff commands and their outcomes.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.correlation import current_correlation_id
from shared.documents import DOCUMENT_CODE_PATTERN, AttachedFile, SentDocument
from shared.statuses import Status

SCHEMA_VERSION = 1


class Actor(BaseModel):
    """Who caused a message: a citizen (người dân), a staff member (cán bộ) or the system itself."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["citizen", "staff", "system"]
    id: str
    # A staff member's display name (the staff token's `name`), for the history: an official acting in their
    # role may be named to the citizen. Never set for a citizen, whose name is personal data.
    name: str | None = Field(default=None, max_length=200)


SYSTEM = Actor(kind="system", id="hoso")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    """What travels on the bus: metadata for routing, ordering, tracing and deduplication, plus `data`."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: str(uuid4()))
    type: str
    occurred_at: datetime = Field(default_factory=utc_now)
    producer: str
    dossier_id: str | None = None
    version: int | None = Field(default=None, ge=1)
    correlation_id: str | None = None
    causation_id: str | None = None
    actor: Actor = SYSTEM
    schema_version: int = SCHEMA_VERSION
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def routing_key(self) -> str:
        return self.type

    def payload(self) -> BaseModel:
        """The typed payload of a known message type (KeyError for an unknown one)."""
        from shared.registry import PAYLOADS  # the registry imports every contract module, this one too

        return PAYLOADS[self.type].model_validate(self.data)


def make_event(
    payload: "Payload", *, producer: str, dossier_id: str, version: int, actor: Actor,
    causation_id: str | None = None,
) -> Envelope:
    """Wrap a payload for publishing, carrying the current request's correlation id."""
    return Envelope(
        type=payload.message_type, producer=producer, dossier_id=dossier_id, version=version,
        actor=actor, correlation_id=current_correlation_id(), causation_id=causation_id,
        data=payload.model_dump(mode="json"),
    )


# --- payloads ---------------------------------------------------------------------------------------------


class Payload(BaseModel):
    message_type: str = Field(default="", exclude=True)


# The applicant's fields and their rules, once: a draft may leave any of them out, but what it holds keeps
# the rules, so that a wrong value is refused when it is typed rather than when the dossier is sent.
# `[0-9]`, not `\d`, and the spaces named: a published pattern reads the same in the JSON Schema's regex
# dialect (ECMA-262) as in pydantic's (Rust's, Unicode-aware), so that what the schema allows is accepted.
ID_NUMBER_PATTERN = r"^([0-9]{9}|[0-9]{12})$"
PHONE_PATTERN = r"^(\+84|0)[0-9]{9,10}$"
EMAIL_PATTERN = r"^[^@\s\x85\ufeff]+@[^@\s\x85\ufeff]+\.[^@\s\x85\ufeff]+$"
# A month, "2026-03": what summaries by month are asked for. 1900 to 2099: the months around year 0 or 9999 are
# not dates at all, and asked for they failed as a server error.
MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"
FullName = Annotated[str, Field(min_length=1, max_length=200)]
# Số định danh cá nhân: 12 digits. The 9-digit CMND is no longer valid since 2025, but dossiers filed with one
# before must still be readable, so the contract keeps accepting it.
IdNumber = Annotated[str, Field(pattern=ID_NUMBER_PATTERN)]
Phone = Annotated[str, Field(pattern=PHONE_PATTERN)]
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]
Address = Annotated[str, Field(min_length=1, max_length=500)]
Title = Annotated[str, Field(min_length=1, max_length=300)]
ID_NUMBER_DESCRIPTION = "Số định danh cá nhân (12 chữ số; CMND cũ 9 chữ số)"


class ApplicantDraft(BaseModel):
    """The person the dossier is for (người nộp hồ sơ), as far as a draft has them: any field may be missing."""

    full_name: FullName | None = None
    id_number: IdNumber | None = Field(default=None, description=ID_NUMBER_DESCRIPTION)
    phone: Phone | None = None
    email: Email | None = None
    address: Address | None = None


class Applicant(ApplicantDraft):
    """The applicant of a dossier that is sent: every field given."""

    full_name: FullName
    id_number: IdNumber = Field(description=ID_NUMBER_DESCRIPTION)
    phone: Phone
    email: Email
    address: Address


FormValue = str | int | float | bool | None


class DraftContent(BaseModel):
    """What the citizen filled in so far (hồ sơ chưa gửi): the procedure, and whatever else they gave.

    A draft may be saved incomplete; only sending needs it whole (`DossierContent`)."""

    procedure_code: str = Field(min_length=1, max_length=64)
    title: Title | None = None
    applicant: ApplicantDraft = Field(default_factory=ApplicantDraft)
    form: dict[str, FormValue] = Field(default_factory=dict, max_length=100)


class DossierContent(DraftContent):
    """The content of a dossier that is sent: the procedure, a title, the applicant whole and the form."""

    title: Title
    applicant: Applicant


class ContentOutline(BaseModel):
    """What the events tell of a dossier's content: its procedure and title, never the applicant or the form.

    The applicant (name, id number, phone, email, address) and the form stay with intake, their owner; a
    consumer that shows or prints them asks intake (`shared.dossier_content`), so that nothing personal
    reaches every reader of the events exchange, staff tools included (docs/architecture.md lists what
    each event carries and why)."""

    # Anything else given is dropped, never published: a whole content handed over by mistake (or a field
    # added to the content later) is cut to the outline rather than sent to every reader.
    model_config = ConfigDict(extra="ignore")

    procedure_code: str = Field(min_length=1, max_length=64)
    title: Title | None = None

    @model_validator(mode="before")
    @classmethod
    def outline_a_whole_content(cls, value: Any) -> Any:
        return value.model_dump(include={"procedure_code", "title"}) if isinstance(value, DraftContent) else value

    @classmethod
    def of(cls, content: DraftContent) -> "ContentOutline":
        return cls(procedure_code=content.procedure_code, title=content.title)


class SentOutline(ContentOutline):
    """The outline of a dossier that is sent: its title given."""

    title: Title

    @classmethod
    def of(cls, content: DraftContent) -> "SentOutline":
        assert content.title is not None  # a sent dossier's content is whole (DossierContent)
        return cls(procedure_code=content.procedure_code, title=content.title)


class StatusChange(Payload):
    """Every payload that moves a dossier carries where it came from and where it went, and why."""

    from_status: Status | None
    to_status: Status
    reason: str | None = None


class DraftCreated(StatusChange):
    """A citizen started a dossier (hồ sơ nháp, version 1): its owner's account and its procedure and title."""

    message_type: str = Field(default="dossier.draft_created", exclude=True)
    # The account only: its registered email and phone stay with intake, which answers notify
    # (shared.dossier_content); an event from before, which still has them, is read with them ignored.
    owner_id: str
    content: ContentOutline
    from_status: Status | None = None
    to_status: Status = Status.DRAFT


class DraftUpdated(Payload):
    """The citizen edited a draft, or a dossier under supplement request: its procedure and title now (the
    applicant and the form, which may be what changed, are intake's to answer)."""

    message_type: str = Field(default="dossier.draft_updated", exclude=True)
    content: ContentOutline


class DraftDeleted(Payload):
    """The citizen deleted a draft: it is gone from every list."""

    message_type: str = Field(default="dossier.draft_deleted", exclude=True)


class DossierSubmitted(StatusChange):
    """Intake hands the dossier over to processing (nộp hồ sơ): its procedure, title and documents travel
    with it; the applicant and the form stay with intake.

    `documents` lists every document with its files (metadata only); `changed_documents` the codes that
    got new files since the dossier was last sent (a supplement's changes; empty the first time)."""

    message_type: str = Field(default="dossier.submitted", exclude=True)
    owner_id: str
    content: SentOutline
    to_status: Status = Status.SUBMITTED
    documents: list[SentDocument] = Field(default_factory=list, description=(
        "Every document (thành phần hồ sơ) with its files as sent: metadata only (name, type judged by content, "
        "size, SHA-256); staff download the bytes from the gateway"))
    changed_documents: list[str] = Field(default_factory=list, description=(
        "The documents that got new files since the dossier was last sent (a supplement's changes)"))



class DocumentAttached(Payload):
    """The citizen attached a file to one of the dossier's documents (while it is theirs to edit)."""

    message_type: str = Field(default="dossier.document_attached", exclude=True)
    code: str = Field(pattern=DOCUMENT_CODE_PATTERN, max_length=64)
    file: AttachedFile


class DocumentRemoved(Payload):
    """The citizen removed a file not yet sent (a file that was sent is never removed)."""

    message_type: str = Field(default="dossier.document_removed", exclude=True)
    code: str = Field(pattern=DOCUMENT_CODE_PATTERN, max_length=64)
    file_id: str
