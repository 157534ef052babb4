"""The gateway's own public shapes (DESIGN.md): the catalogs, the bodies frontends send, the commands' answers.

What it passes on from the read model (lists, details, the lookup) is shared/read_model.py's.
"""

from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.documents import DOCUMENT_CODE_PATTERN, AttachedFile
from shared.lifecycle import RATING_COMMENT_MAX, RatingLevel
from shared.messages import EMAIL_PATTERN, ApplicantDraft, DraftContent, FormValue, Title
from shared.payments import FeeLine
from shared.procedures import load_catalog
from shared.read_model import FeeItemOut
from shared.statuses import Status

Role = Literal["citizen", "staff"]


class StatusOut(BaseModel):
    code: Status
    label: str


class FormFieldOut(BaseModel):
    name: str
    label: str
    type: str
    required: bool


class ProcedureDocumentOut(BaseModel):
    """One document the procedure needs (thành phần hồ sơ), with its blank template where it has one."""

    code: str
    name: str
    required: bool
    note: str | None = Field(description="e.g. bản sao có chứng thực, số bản")
    template_url: str | None = Field(description="The blank form (mẫu đơn, tờ khai) to download, fill and attach")


class ProcedureOut(BaseModel):
    code: str
    name: str
    field: str
    fee_vnd: int
    # The same fee items a payment request lists: one shape in the published contract.
    fee_items: list[FeeItemOut]
    processing_days: int
    form_fields: list[FormFieldOut]
    documents: list[ProcedureDocumentOut]


def _a_procedure_and_its_form(schema: dict[str, Any]) -> None:
    """The published schema says what intake checks: a procedure of the catalog, and only its form's fields."""
    value = {"anyOf": [{"type": kind} for kind in ("string", "integer", "number", "boolean", "null")]}
    schema["oneOf"] = [
        {"properties": {"procedure_code": {"const": procedure.code},
                        "form": {"type": "object", "additionalProperties": False,
                                 "properties": {field.name: value for field in procedure.form_fields}}}}
        for procedure in load_catalog().procedures]


class DossierCreate(DraftContent):
    """A new draft (hồ sơ chưa gửi): the procedure, and as much of the title, the applicant and the form as is
    filled in. What is given must be right (a malformed email or id number is refused); sending needs it all."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_a_procedure_and_its_form)


def _at_least_one_part_never_null(schema: dict[str, Any]) -> None:
    """Published as the route checks it: something to change, and no part set to null but the title (which
    empties it)."""
    schema["minProperties"] = 1
    schema["properties"]["procedure_code"]["enum"] = [procedure.code for procedure in load_catalog().procedures]
    for name, part in schema["properties"].items():
        if "anyOf" in part and name != "title":
            kept = [choice for choice in part.pop("anyOf") if choice.get("type") != "null"]
            part.update(kept[0])
        part.pop("default", None)


class DossierPatch(BaseModel):
    """The parts of a draft to replace; parts left out stay as they are. `applicant` replaces the whole
    applicant (fields left out are emptied); a `title` of null empties the title."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_at_least_one_part_never_null)

    @field_validator("procedure_code")
    @classmethod
    def a_procedure_of_the_catalog(cls, code: str | None) -> str | None:
        # Checked here too, as the schema says it, before the version is (which intake checks first).
        if code is not None and code not in load_catalog():
            raise ValueError("Thủ tục hành chính không tồn tại.")
        return code

    procedure_code: str | None = Field(default=None, min_length=1, max_length=64)
    title: Title | None = None
    applicant: ApplicantDraft | None = None
    form: dict[str, FormValue] | None = Field(default=None, max_length=100)


def _postal_needs_an_address(schema: dict[str, Any]) -> None:
    schema["oneOf"] = [{"properties": {"method": {"enum": ["online", "at_office"]}}},
                       {"properties": {"method": {"const": "postal"},
                                       "postal_address": {"type": "string", "minLength": 5, "maxLength": 500}},
                        "required": ["postal_address"]}]


class ResultDelivery(BaseModel):
    """Online (tải về trên Cổng), at the Department's office (trực tiếp) or by post (bưu chính)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_postal_needs_an_address)

    method: Literal["online", "at_office", "postal"]
    postal_address: Annotated[str | None, Field(min_length=5, max_length=500)] = None

    @model_validator(mode="after")
    def postal_needs_an_address(self) -> Self:
        if self.method == "postal" and not self.postal_address:
            raise ValueError("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính.")
        return self


class RatingBody(BaseModel):
    """The citizen's rating of the service (đánh giá mức độ hài lòng): Rất hài lòng, Hài lòng, Không hài lòng;
    a comment (ý kiến), required when dissatisfied."""

    model_config = ConfigDict(extra="forbid")

    level: RatingLevel
    comment: str | None = Field(default=None, max_length=RATING_COMMENT_MAX)


class PaymentChoice(BaseModel):
    """Online through a bank (trực tuyến), at the Department (tại cơ quan), or by post (qua bưu chính)."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["online", "at_office", "postal"]


class StaffActionBody(BaseModel):
    """`reason` for reject and request-supplement, and for request-payment (why; required for an additional
    fee on a dossier paid before); `method` for mark-returned and confirm-payment; `items` for request-payment
    (without them, the procedure's fee items, refused once paid: `fee_already_paid`); `receipt_number` (số
    biên lai) for confirm-payment; `documents` for request-supplement (the codes of the procedure's documents
    (thành phần hồ sơ) the citizen must add files to); `new_due_date` and `reason` for reschedule (a later
    working day, and why: the apology slip says it)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, min_length=1, max_length=2000)
    method: Literal["at_office", "postal"] | None = None
    items: list[FeeLine] | None = Field(default=None, min_length=1, max_length=50)
    receipt_number: str | None = Field(default=None, min_length=1, max_length=64)
    tracking_number: str | None = Field(default=None, min_length=1, max_length=64)
    documents: list[Annotated[str, Field(pattern=DOCUMENT_CODE_PATTERN, max_length=64)]] | None = Field(
        default=None, max_length=50)
    new_due_date: date | None = Field(default=None, description="Ngày hẹn trả kết quả mới (reschedule)")


# Who a development token is for (POST /v1/dev/token), and what the development issuer signs.
class DevTokenRequest(BaseModel):
    sub: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    # The account's phone, as an OpenID provider's phone_number claim (E.164 or 0…): where SMS go.
    phone_number: str | None = Field(default=None, pattern=r"^\+?[0-9]{9,15}$")
    roles: list[Role] = Field(default_factory=lambda: list[Role](["citizen"]), min_length=1, max_length=2)


class CommandAnswer(BaseModel):
    id: str
    status: str
    version: int


class PaymentAnswer(CommandAnswer):
    """The citizen's payment: the dossier's status and version, and the payment standing for the way chosen."""

    payment_id: str
    method: str
    state: str = Field(description="pending until the provider or staff settle it")
    amount_vnd: int
    provider: str | None = None
    checkout_url: str | None = Field(default=None, description="Online: where the browser goes to pay")


class DevToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class AttachedFileOut(AttachedFile):
    """A file attached to one of the dossier's documents (tệp đính kèm), as stored: its type judged by content."""

    code: str = Field(description="The document (thành phần hồ sơ) it is attached to")

