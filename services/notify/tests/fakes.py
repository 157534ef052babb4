"""A hand-written mail transport and SMS provider for the tests: they keep what they are given."""

from services.notify.domain.mail import MailRefused, OutgoingMail
from services.notify.domain.sms import OutgoingSms


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
