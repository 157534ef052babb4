"""A hand-written mail transport for the tests: keeps what it is given, or fails as told."""

from services.notify.domain.mail import MailRefused, OutgoingMail


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
