"""The SMTP mail transport (aiosmtplib): one connection per message, TLS as configured, and the server's
refusals sorted into those worth trying again (4xx, connection trouble) and final ones (5xx)."""

from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import aiosmtplib

from services.notify.domain.mail import MailRefused, OutgoingMail
from services.notify.settings import NotifySettings


def compose(mail: OutgoingMail) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative, then any attachment; headers encoded for Vietnamese."""
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = mail.recipient
    message.set_raw("Subject", encoded_subject(mail.subject))
    message["Date"] = format_datetime(mail.date)
    message["Message-ID"] = mail.message_id
    # RFC 3834: an automatic message; vacation responders and the like should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    # base64: 7-bit clean for any server, and a third the size of quoted-printable for Vietnamese text.
    message.set_content(mail.text, cte="base64")
    message.add_alternative(mail.html, subtype="html", cte="base64")
    for attachment in mail.attachments:  # the slip it carries, as a file of its own beside the text
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


def encoded_subject(subject: str) -> str:
    """The subject as one line of text, in RFC 2047 encoded words folded under 78 characters a line.

    Folded by `email.header.Header`, and stored raw so the message's policy does not fold it again: the policy's
    own folding (Python 3.11's email.policy.default) puts the space it folds at between two encoded words, where
    a reader drops it, so a long Vietnamese subject arrived as "trả kếtquả". A line break in it is a space: a
    subject is one line, and nothing in it may start a header of its own.
    """
    return Header(" ".join(subject.split()), "utf-8", header_name="Subject").encode(linesep="\n")


class SmtpTransport:
    def __init__(self, settings: NotifySettings) -> None:
        if not settings.smtp_host:
            raise ValueError("the SMTP transport needs SMTP_HOST")
        self._host = settings.smtp_host
        self._port = settings.effective_smtp_port
        self._tls = settings.tls_mode
        self._user = settings.smtp_user
        self._password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        self._timeout = settings.smtp_timeout_seconds

    async def send(self, mail: OutgoingMail) -> None:
        try:
            await aiosmtplib.send(
                compose(mail), sender=parseaddr(mail.sender)[1], recipients=[mail.recipient],
                hostname=self._host, port=self._port, username=self._user, password=self._password,
                use_tls=self._tls == "tls", start_tls=self._tls == "starttls", timeout=self._timeout)
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [recipient.code for recipient in refused.recipients]
            if codes and all(code >= 500 for code in codes):
                raise MailRefused(min(codes)) from None
            raise
        except aiosmtplib.SMTPAuthenticationError:
            raise  # a wrong password is the operator's to fix: keep trying meanwhile
        except aiosmtplib.SMTPResponseException as error:
            if error.code >= 500:
                raise MailRefused(error.code) from None
            raise
