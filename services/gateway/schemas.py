"""The gateway's own public shapes (DESIGN.md): the catalogs, the bodies frontends send, the commands' answers.

What it passes on from the read model (lists, details, the lookup) is shared/read_model.py's.
"""

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.documents import DOCUMENT_CODE_PATTERN, AttachedFile
from shared.lifecycle import RATING_COMMENT_MAX, RatingLevel
from shared.messages import ApplicantDraft, DraftContent, FormValue, Title
from shared.payments import FeeLine
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


class DossierCreate(DraftContent):
    """A new draft (hồ sơ chưa gửi): the procedure, and as much of the title, the applicant and the form as is
    filled in. What is given must be right (a malformed email or id number is refused); sending needs it all."""

    model_config = ConfigDict(extra="forbid")


class DossierPatch(BaseModel):
    """The parts of a draft to replace; parts left out stay as they are. `applicant` replaces the whole
    applicant (fields left out are emptied); a `title` of null empties the title."""

    model_config = ConfigDict(extra="forbid")

    procedure_code: str | None = Field(default=None, min_length=1, max_length=64)
    title: Title | None = None
    applicant: ApplicantDraft | None = None
    form: dict[str, FormValue] | None = Field(default=None, max_length=100)


class ResultDelivery(BaseModel):
    """Online (tải về trên Cổng), at the Department's office (trực tiếp) or by post (bưu chính)."""

    model_config = ConfigDict(extra="forbid")

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
    (thành phần hồ sơ) the citizen must add files to)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, min_length=1, max_length=2000)
    method: Literal["at_office", "postal"] | None = None
    items: list[FeeLine] | None = Field(default=None, min_length=1, max_length=50)
    receipt_number: str | None = Field(default=None, min_length=1, max_length=64)
    tracking_number: str | None = Field(default=None, min_length=1, max_length=64)
    documents: list[Annotated[str, Field(pattern=DOCUMENT_CODE_PATTERN, max_length=64)]] | None = Field(
        default=None, max_length=50)


# Who a development token is for (POST /v1/dev/token), and what the development issuer signs.
class DevTokenRequest(BaseModel):
    sub: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
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


class ErrorDetail(BaseModel):
    code: str
    message: str = Field(description="In Vietnamese, for the person")
    fields: dict[str, str] | None = Field(default=None, description="On validation errors: each field's message")


class ErrorOut(BaseModel):
    """Every refusal's body (DESIGN.md): `{"error": {"code", "message", "fields"}}`."""

    error: ErrorDetail


def refusals(*codes: int) -> dict[int | str, dict[str, object]]:
    """The refusals a route answers, for its OpenAPI `responses`, each with the error body."""
    said = {401: "Chưa đăng nhập hoặc phiên đăng nhập không hợp lệ", 403: "Không có quyền",
            404: "Không tìm thấy hồ sơ (hoặc hồ sơ của người khác)", 409: "Trạng thái hồ sơ không cho phép",
            422: "Dữ liệu không hợp lệ"}
    return {code: {"model": ErrorOut, "description": said[code]} for code in codes}
