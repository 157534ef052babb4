"""Intake, processing and notify on one in-process bus, over a real SMTP server on loopback: the clerk
accepts a submitted dossier and the citizen's registered address gets the acceptance email, with the
lookup code processing gave it — the real events, not hand-made ones, and the address from intake's own
contacts route, since no event carries it."""

from uuid import uuid4

import httpx

from services.intake.bootstrap import bootstrap as bootstrap_intake
from services.intake.settings import IntakeSettings
from services.notify.tests.events import REGISTERED, TYPED_IN_FORM, content
from services.notify.tests.harness import start_notify, stop_notify
from services.processing.bootstrap import bootstrap as bootstrap_processing
from services.processing.settings import ProcessingSettings
from shared.dossier_content import IntakeContents
from shared.messaging.memory import InProcessBus
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
from tests.support.documents import attach_required_to_intake
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually


def client_of(service: Service) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                             base_url=f"http://{service.name}")


async def test_accepting_a_dossier_emails_the_registered_address_its_lookup_code() -> None:
    sink = SmtpSink()
    await sink.start()
    bus = InProcessBus(namespace=f"notify-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=3)
    intake_service = bootstrap_intake(IntakeSettings(outbox_poll_seconds=0.05), bus, MemoryStore("hoso_intake"))
    intake_api = IntakeContents(client_of(intake_service))
    notify = await start_notify(bus=bus, intake=intake_api, smtp_host="127.0.0.1", smtp_port=sink.port,
                                smtp_tls="none")
    services = [bootstrap_processing(ProcessingSettings(outbox_poll_seconds=0.05), bus,
                                     MemoryStore("hoso_processing")), intake_service]
    for service in services:
        await service.start()
    processing, intake = (client_of(service) for service in services)
    try:
        owner = {"owner_id": "citizen-1", "owner_email": REGISTERED}
        created = await intake.post("/dossiers", json={**owner, "content": content().model_dump()})
        assert created.status_code == 201, created.text
        dossier_id = created.json()["id"]
        await attach_required_to_intake(intake, dossier_id, content().procedure_code, owner["owner_id"])
        assert (await intake.post(f"/dossiers/{dossier_id}/submit", json=owner)).status_code == 200

        async def accepted() -> bool:
            answer = await processing.post(f"/dossiers/{dossier_id}/actions/accept", json={"actor_id": "clerk-7"})
            return answer.status_code == 200  # 404 until processing has taken the submission over

        await eventually(accepted, timeout=10, what="the dossier accepted")
        await eventually(lambda: sink.received, timeout=10, what="the acceptance email")
        [mail] = sink.received
        book_entry = await notify.store.db["dossiers"].find_one({"_id": dossier_id})
        assert book_entry is not None
        lookup_code = book_entry["lookup_code"]
        assert mail.rcpt_tos == [REGISTERED] and sink.to(TYPED_IN_FORM) == []
        assert mail.message["Subject"] == f"Hồ sơ {lookup_code} đã được tiếp nhận"
        assert lookup_code in mail.body("plain") and "Cấp lại chứng chỉ hành nghề" in mail.body("plain")
        [delivery] = await notify.wait_for_state(dossier_id, "sent")
        assert delivery["template"] == "received"
        assert notify.contacts.asked == []  # the test's stand-in was never asked: intake answered
    finally:
        await processing.aclose()
        await intake.aclose()
        await intake_api.close()
        for service in services:
            await service.stop()
        await stop_notify(notify)
        await sink.stop()
