"""What payment's handlers and reactions are given: its store adapters, the online provider, the clock, ids.

Wired once by bootstrap (and by the tests, through it). How a decision gets stored is the holder kit's
(shared/holder/write.py), which intake and processing use too.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from uuid import uuid4

from services.payment.adapters.providers.port import PaymentProvider
from services.payment.adapters.references import PaymentReferences
from services.payment.adapters.refusals import CallbackRefusals
from services.payment.adapters.repository import PaymentRequests
from services.payment.domain.receipts import new_reference
from services.payment.errors import UnknownProvider
from shared.messages import utc_now
from shared.statuses import Holder

# The name payment's events and answers go out under.
PRODUCER = Holder.PAYMENT.value


@dataclass
class Payments:
    """The dependencies every handler and reaction of payment needs."""

    requests: PaymentRequests
    references: PaymentReferences
    refusals: CallbackRefusals
    online: PaymentProvider  # where new online payments go
    zone: tzinfo
    checkout_minutes: int
    published: Callable[[], None] = lambda: None
    refusal_stored: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[], str] = lambda: uuid4().hex
    new_reference: Callable[[], str] = new_reference

    def provider(self, name: str) -> PaymentProvider:
        """The provider whose reports are accepted under `name`: only the one configured."""
        if name != self.online.name:
            raise UnknownProvider(provider=name[:32])
        return self.online

    def today(self, now: datetime) -> date:
        """The day `now` is in Vietnam."""
        return now.astimezone(self.zone).date()
