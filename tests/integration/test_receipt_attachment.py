"""The acceptance mail carries the receipt slip: notify and the slips service on one bus, the mail at a
real SMTP server, the slip's bytes fetched from the slips service's own API, as in both runs."""

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.notify.adapters.slips_client import SlipsClient
from services.notify.tests.events import REGISTERED  # the address notify's stand-in for intake answers
from services.notify.tests.harness import NotifyHarness, start_notify, stop_notify
from services.slips.tests.events import LOOKUP_CODE, OWNER, new_dossier_id, received, submitted
from services.slips.tests.harness import SlipsHarness, start_slips, stop_slips
from shared.messaging.memory import InProcessBus
from tests.support.slip_pdfs import pdf_text, verifies
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually


@dataclass
class Pair:
    notify: NotifyHarness
    slips: SlipsHarness
    sink: SmtpSink


@pytest.fixture()
async def pair(tmp_path: Path) -> AsyncIterator[Pair]:
    sink = SmtpSink()
    await sink.start()
    bus = InProcessBus(namespace="attach-test", retry_delay_seconds=0.05, max_attempts=20)
    slips = await start_slips(tmp_path, bus=bus)
    client = SlipsClient(slips.api_client())
    notify = await start_notify(bus=bus, slips=client, attach_slips=True, smtp_host="127.0.0.1",
                                smtp_port=sink.port, smtp_tls="none")
    yield Pair(notify, slips, sink)
    await stop_notify(notify, close_bus=False)
    await stop_slips(slips)
    await client.close()
    await sink.stop()


async def test_the_acceptance_mail_carries_the_receipt_slip(pair: Pair) -> None:
    dossier_id = new_dossier_id()
    await pair.notify.publish(submitted(dossier_id), received(dossier_id))
    await eventually(lambda: len(pair.sink.to(REGISTERED)) == 1, timeout=15, what="the acceptance mail")
    mail = pair.sink.to(REGISTERED)[0].message
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"receipt-{LOOKUP_CODE}-TNHS.pdf"
    attached = attachment.get_content()
    issued = (await pair.slips.download(dossier_id, "receipt", owner_id=OWNER)).content
    assert hashlib.sha256(attached).digest() == hashlib.sha256(issued).digest()
    assert await asyncio.to_thread(verifies, attached, (await pair.slips.client.get("/certificate")).content)
    assert LOOKUP_CODE in pdf_text(attached)
    assert "được đính kèm thư này" in pair.sink.to(REGISTERED)[0].body("plain")
    await eventually(lambda: len(pair.notify.reported("notification.sent", dossier_id)) == 1, what="sent report")


async def test_a_slip_announced_before_its_reception_reaches_notify_is_not_waited_for(tmp_path: Path) -> None:
    """Notify on a bus of its own, fed by hand: the slip's announcement first, the reception after."""
    sink = SmtpSink()
    await sink.start()
    slips = await start_slips(tmp_path)
    client = SlipsClient(slips.api_client())
    notify = await start_notify(slips=client, attach_slips=True, smtp_host="127.0.0.1", smtp_port=sink.port,
                                smtp_tls="none")
    try:
        dossier_id = new_dossier_id()
        sending, reception = submitted(dossier_id), received(dossier_id)
        await slips.publish(sending, reception)
        await eventually(lambda: len(slips.issued) == 1, what="the receipt slip issued")
        await notify.publish(sending, slips.issued[0])
        await notify.publish(reception, reception)  # and delivered twice
        await eventually(lambda: len(sink.to(REGISTERED)) == 1, timeout=15, what="the acceptance mail")
        assert len(list(sink.to(REGISTERED)[0].message.iter_attachments())) == 1
        await eventually(lambda: len(notify.reported("notification.sent", dossier_id)) == 1, what="sent report")
        assert [item["state"] for item in await notify.deliveries(dossier_id)] == ["sent"]
        assert len(sink.to(REGISTERED)) == 1
    finally:
        await stop_notify(notify)
        await stop_slips(slips)
        await client.close()
        await sink.stop()
