"""The mail transport port: what a message is, how it is handed over, and how a handover can fail.

Two adapters: SMTP (`adapters/smtp.py`) and the development mailbox (`adapters/dev_mailbox.py`). A
transport raises `UndeliverableMail` when trying again cannot help (the server refused the mailbox for
good); anything else it raises is taken as passing (the server is down, busy or slow) and the delivery is
tried later.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.notify.domain.attachments import Attachment


@dataclass(frozen=True)
class OutgoingMail:
    message_id: str
    sender: str
    recipient: str
    subject: str
    text: str
    html: str
    date: datetime
    delivery_id: str
    attachments: tuple[Attachment, ...] = ()


class SlipSource(Protocol):
    """Where the sender gets the bytes of a slip a message carries (the slips service)."""

    async def fetch(self, dossier_id: str, kind: str, slip_id: str) -> bytes:
        """The slip's signed PDF; raise if it cannot be had now (the delivery is tried again later)."""
        ...


class MailTransport(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Return once the mail is accepted for delivery; raise if it was not."""
        ...


class UndeliverableMail(Exception):
    """The message can never be delivered as it is: do not try again."""


class MailRefused(UndeliverableMail):
    """The mail server refused the message or its recipient for good (an SMTP 5xx reply)."""

    def __init__(self, code: int) -> None:
        self.code = code
        super().__init__(f"refused with SMTP code {code}")


class TemplateBroken(UndeliverableMail):
    """The message could not be written from its template and facts (a fault in the template)."""


def describe_failure(error: BaseException) -> str:
    """A failure as the log and NotificationFailed name it: its type, and the SMTP code when there is one.

    Never its text: a server's reply may quote the recipient's address.
    """
    code = getattr(error, "code", None)
    return f"{type(error).__name__}({code})" if isinstance(code, int) else type(error).__name__
