"""Receipt numbers (số biên lai) of online payments, and payment references (mã giao dịch)."""

import secrets
from datetime import date

REFERENCE_BYTES = 10


def new_reference() -> str:
    """A transaction reference for a provider: 20 upper-case hex characters, unguessable (it opens the
    sandbox's checkout page), letters and digits only (VNPay's vnp_TxnRef). Its uniqueness is the store's
    (payment_references), not chance's."""
    return secrets.token_hex(REFERENCE_BYTES).upper()


def online_receipt_number(reference: str, day: date) -> str:
    """The receipt of an online payment: the day it was paid (in Vietnam) and its unique reference."""
    return f"BL-{day:%y%m%d}-{reference}"
