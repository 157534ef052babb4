"""The MIME message the SMTP transport hands over: text with an HTML alternative, Vietnamese headers."""

import email
import email.policy
from datetime import UTC, datetime

from services.notify.adapters.smtp import compose
from services.notify.domain.mail import OutgoingMail, describe_failure

MAIL = OutgoingMail(
    message_id="<notify.d-1.v3.received@syt.example.vn>", sender="Cổng Dịch vụ công Sở Y tế <no-reply@syt.example.vn>",
    recipient="binh.tran@example.vn", subject="Hồ sơ 000.00.17.H00-260303-0001 đã được tiếp nhận",
    text="Kính gửi Ông/Bà,\n", html="<p>Kính gửi Ông/Bà,</p>\n", date=datetime(2026, 3, 3, 2, 0, tzinfo=UTC),
    delivery_id="d-1.v3.received")


def test_the_message_reads_back_as_written() -> None:
    raw = compose(MAIL).as_bytes()
    assert raw.isascii()  # headers encoded, bodies transfer-encoded: any mail server takes it
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == MAIL.subject and message["To"] == MAIL.recipient
    assert message["From"] == MAIL.sender and message["Message-ID"] == MAIL.message_id
    assert message["Auto-Submitted"] == "auto-generated" and message["Date"] == "Tue, 03 Mar 2026 02:00:00 +0000"
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == MAIL.text  # type: ignore[union-attr]
    assert message.get_body(("html",)).get_content() == MAIL.html  # type: ignore[union-attr]


def test_failures_are_named_by_type_and_code_never_by_text() -> None:
    class Refused(Exception):
        code = 550

    assert describe_failure(Refused("550 no such user binh.tran@example.vn")) == "Refused(550)"
    assert describe_failure(ConnectionRefusedError("binh.tran@example.vn")) == "ConnectionRefusedError"
