"""What notify's reactions and use cases take, wired once by bootstrap (and by the tests).

Recording a delivery and sending it are separate: the status change is acknowledged as soon as what it
owes is recorded (`Notify`, for the reaction and the operators' retry), and the sender works through the
log at the mail server's pace (`Sending`, for the workers' use case).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from services.notify.adapters.delivery_log import DeliveryLog
from services.notify.adapters.dossier_book import DossierBook
from services.notify.adapters.issued_slips import IssuedSlips
from services.notify.domain.delivery import RetryPolicy
from services.notify.domain.mail import MailTransport, SlipSource
from services.notify.domain.rendering import Renderer
from services.notify.domain.sms import SmsProvider
from shared.dossier_content import ContactsSource
from shared.messages import utc_now
from shared.procedures import ProcedureCatalog


@dataclass
class Notify:
    book: DossierBook
    deliveries: DeliveryLog
    catalog: ProcedureCatalog
    zone: tzinfo
    issued_slips: IssuedSlips
    attach_slips: bool  # the acceptance mail waits for its receipt slip, and carries it
    contacts: ContactsSource  # the owner's registered address and phone: intake's, asked per delivery recorded
    sends_sms: bool = False  # an SMS provider is configured: the account's phone gets an SMS too
    # Called when a pending delivery was recorded (wakes the sender), and when a report awaits its relay.
    recorded: Callable[[], None] = lambda: None
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
    # The staff mailbox of each division (phòng chuyên môn, a procedure's `field` in the catalog), told of
    # dossiers due soon or overdue; `staff_mailbox` for a division without one of its own (None: nobody).
    division_mailboxes: dict[str, str] = field(default_factory=dict)
    staff_mailbox: str | None = None

    def procedure_name(self, code: str | None) -> str | None:
        return self.catalog.get(code).name if code and code in self.catalog else None

    def mailbox_of(self, procedure_code: str) -> str | None:
        """The staff address of the division that handles the procedure."""
        division = self.catalog.get(procedure_code).field if procedure_code in self.catalog else None
        return self.division_mailboxes.get(division or "", self.staff_mailbox)


@dataclass(frozen=True)
class SmsSending:
    """The SMS provider and how its messages are written (unaccented or not, how long at most)."""

    provider: SmsProvider
    unicode: bool
    max_length: int


@dataclass
class Sending:
    deliveries: DeliveryLog
    transport: MailTransport
    renderer: Renderer
    policy: RetryPolicy
    sender_address: str
    lease: timedelta
    slips: SlipSource | None  # None: messages carry no slip
    sms: SmsSending | None = None  # None: no SMS provider (its deliveries are never recorded)
    published: Callable[[], None] = lambda: None
    clock: Callable[[], datetime] = utc_now
