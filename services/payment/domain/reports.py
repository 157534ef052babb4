"""A provider's report on one online payment (kết quả thanh toán), as the decisions read it once verified."""

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["paid", "cancelled", "failed"]


@dataclass(frozen=True)
class ProviderReport:
    """A provider's report on one payment, once its signature is verified."""

    reference: str
    amount_vnd: int
    outcome: Outcome
    provider_code: str | None = None
    provider_transaction_id: str | None = None
