"""The gateway's own public shapes (DESIGN.md): the catalogs, the bodies frontends send, the commands' answers.

What it passes on from the read model (lists, details, the lookup) is shared/read_model.py's.
"""

from pydantic import BaseModel, ConfigDict, Field

from shared.messages import Applicant, DossierContent, FormValue
from shared.read_model import FeeItemOut
from shared.statuses import Status


class StatusOut(BaseModel):
    code: Status
    label: str


class FormFieldOut(BaseModel):
    name: str
    label: str
    type: str
    required: bool


class ProcedureOut(BaseModel):
    code: str
    name: str
    field: str
    fee_vnd: int
    # The same fee items a payment request lists: one shape in the published contract.
    fee_items: list[FeeItemOut]
    processing_days: int
    form_fields: list[FormFieldOut]


class DossierCreate(DossierContent):
    """A new draft (hồ sơ chưa gửi): the procedure, a title, the applicant and the form."""

    model_config = ConfigDict(extra="forbid")


class DossierPatch(BaseModel):
    """The parts of a draft to replace; parts left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    procedure_code: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    applicant: Applicant | None = None
    form: dict[str, FormValue] | None = Field(default=None, max_length=100)


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
