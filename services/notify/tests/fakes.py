"""A hand-written mail transport and SMS provider for the tests, which keep what they are given, and
intake's contacts route, which answers what the test told it."""

from services.notify.domain.mail import MailRefused, OutgoingMail
from services.notify.domain.sms import OutgoingSms
from services.notify.tests.events import REGISTERED
from shared.dossier_content import DossierContactsAnswer, IntakeUnreachable


class FakeTransport:
    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []
        self.passing_failures = 0  # how many of the next sends fail as a mail server that is away would
        self.refuse = False  # refuse every mail for good, as a server answering 550 would

    async def send(self, mail: OutgoingMail) -> None:
        if self.refuse:
            raise MailRefused(550)
        if self.passing_failures > 0:
            self.passing_failures -= 1
            raise ConnectionRefusedError("mail server away")
        self.sent.append(mail)

    def templates(self) -> list[str]:
        return [mail.delivery_id.rsplit(".", 1)[1] for mail in self.sent]


class FakeSmsProvider:
    def __init__(self) -> None:
        self.sent: list[OutgoingSms] = []

    async def send(self, sms: OutgoingSms) -> None:
        self.sent.append(sms)


class KnownContacts:
    """Intake's contacts (`POST /dossiers/contacts`) as the tests tell it: every owner registered `email` and no
    phone, unless `hold` said otherwise for a dossier; `asked` lists the questions, in order."""

    def __init__(self, email: str = REGISTERED) -> None:
        self.every = DossierContactsAnswer(owner_email=email)
        self.answers: dict[str, DossierContactsAnswer | None] = {}
        self.asked: list[str] = []
        self.away = False  # intake does not answer: every question raises IntakeUnreachable

    def hold(self, dossier_id: str, *, email: str | None = REGISTERED, phone: str | None = None) -> None:
        """What intake answers of `dossier_id` from now on."""
        self.answers[dossier_id] = DossierContactsAnswer(owner_email=email, owner_phone=phone)

    def forget(self, dossier_id: str) -> None:
        """Intake has no such dossier (404)."""
        self.answers[dossier_id] = None

    async def contacts(self, dossier_id: str) -> DossierContactsAnswer | None:
        self.asked.append(dossier_id)
        if self.away:
            raise IntakeUnreachable("ConnectError")
        return self.answers.get(dossier_id, self.every)
