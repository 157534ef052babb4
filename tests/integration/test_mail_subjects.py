"""Every mail subject reads back whole after a real SMTP server has it: the SMTP transport to aiosmtpd on
loopback, the message parsed there as a mail client would. A long Vietnamese subject is folded over several
lines of encoded words, and no space may be lost where it is folded ("trả kết quả", never "trả kếtquả")."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import jinja2
import pytest

from services.notify.adapters.smtp import SmtpTransport
from services.notify.domain.mail import OutgoingMail
from services.notify.domain.rendering import SUBJECTS
from services.notify.settings import NotifySettings
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually

LOOKUP_CODE = "000.00.17.H00-261202-0001"
TITLE = "“Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh cho bác sĩ Nguyễn Thị Phương Thảo”"


def subjects() -> list[str]:
    """Every template's subject, with a lookup code and with a long title before reception, and for staff."""
    made = []
    for template in SUBJECTS.values():
        for reference in (LOOKUP_CODE, TITLE):
            made.append(jinja2.Template(template).render(lookup_code=reference, dossier_ref=reference,
                                                         kind="overdue"))
    return made


@pytest.fixture()
async def sink() -> AsyncIterator[SmtpSink]:
    server = SmtpSink()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_every_subject_reads_back_whole_after_the_smtp_server(sink: SmtpSink) -> None:
    transport = SmtpTransport(NotifySettings(smtp_host="127.0.0.1", smtp_port=sink.port, smtp_tls="none"))
    sent = subjects()
    assert any(len(subject.encode()) > 78 for subject in sent), "some subjects are long enough to be folded"
    for number, subject in enumerate(sent):
        await transport.send(OutgoingMail(
            message_id=f"<subject-{number}@syt.example.vn>", sender="Cổng Dịch vụ công Sở Y tế <no-reply@syt.vn>",
            recipient="thao.nguyen@example.vn", subject=subject, text="Kính gửi Bà,\n", html="<p>Kính gửi Bà,</p>",
            date=datetime(2026, 12, 2, 3, 0, tzinfo=UTC), delivery_id=f"d-{number}"))
    await eventually(lambda: len(sink.received) == len(sent), timeout=10, what="every mail at the server")
    read_back = {mail.message["Message-ID"]: str(mail.message["Subject"]) for mail in sink.received}
    assert [read_back[f"<subject-{number}@syt.example.vn>"] for number in range(len(sent))] == sent


async def test_a_line_break_in_a_subject_adds_no_header(sink: SmtpSink) -> None:
    transport = SmtpTransport(NotifySettings(smtp_host="127.0.0.1", smtp_port=sink.port, smtp_tls="none"))
    subject = "Hồ sơ “Giấy phép”\r\nBcc: ke-gian@example.vn"
    await transport.send(OutgoingMail(
        message_id="<injected@syt.example.vn>", sender="no-reply@syt.vn", recipient="thao.nguyen@example.vn",
        subject=subject, text="x\n", html="<p>x</p>", date=datetime(2026, 12, 2, 3, 0, tzinfo=UTC),
        delivery_id="d-x"))
    await eventually(lambda: sink.received, timeout=10, what="the mail at the server")
    [mail] = sink.received
    assert mail.message["Bcc"] is None and mail.rcpt_tos == ["thao.nguyen@example.vn"]
    assert mail.message["Subject"] == "Hồ sơ “Giấy phép” Bcc: ke-gian@example.vn"  # one line, as sent
