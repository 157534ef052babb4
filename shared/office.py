"""The Department's office (nơi nộp hồ sơ, nộp phí): where it is, when it is open, and its account for fees.

Kept as data beside the procedure catalog (shared/catalog/office.json, or the file the `OFFICE_FILE` setting
names), so that an operator changes an address, the opening hours or the account without a release. The file
shipped is a sample shaped like a real Department's: every deployment replaces it with its own. The portal shows
it to a citizen paying at the office or by post; payment names the payee on its checkout.
"""

import json
import os
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_FILE = Path(__file__).parent / "catalog" / "office.json"


class BankAccount(BaseModel):
    """The account a fee paid by transfer goes to; the transfer's content is the dossier's code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bank: str = Field(min_length=1)
    number: str = Field(min_length=1)
    # The beneficiary's name as the bank holds it (tên người thụ hưởng): what a transfer form asks for.
    holder: str = Field(min_length=1)


class Office(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    address: str = Field(min_length=1)
    opening_hours: str = Field(min_length=1)
    # The unit's telephone, for a citizen's question before coming or paying (absent from an older file).
    phone: str | None = Field(default=None, min_length=1, max_length=40)
    # Working days from the payment request within which a fee paid at the office or by post is expected.
    payment_days: int = Field(ge=1, le=60)
    bank_account: BankAccount
    postal_address: str = Field(min_length=1)


@cache
def load_office(path: str | Path | None = None) -> Office:
    """The office from `path` (a service's `office_file` setting), else the file `OFFICE_FILE` names, else
    the sample shipped beside the catalog."""
    source = Path(path or os.environ.get("OFFICE_FILE") or DEFAULT_FILE)
    return Office.model_validate(json.loads(source.read_text(encoding="utf-8")))
