"""The applicant and the form come from intake, not from the events: intake's content events carry only the
procedure and the title, and query asks intake for the rest as it applies each, through its real bootstrap
and reaction on the in-process bus."""

from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest

from services.query.bootstrap import bootstrap
from services.query.settings import QuerySettings
from services.query.tests.factory import OWNER, content, created, event, submitted, updated
from shared.dossier_content import DossierContentAnswer, IntakeUnreachable
from shared.messages import Envelope, Payload, make_event
from shared.messaging.memory import InProcessBus
from shared.producers import PRODUCERS
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
from tests.support.contents import KnownContents
from tests.support.waiting import eventually

HELD = content(title="Cấp giấy phép", full_name="Lê Thị Riêng Tư")


def on_the_wire(built: Envelope) -> Envelope:
    """The event as intake publishes it: the factory's, stripped of what query adds after asking intake."""
    payload = built.payload()
    assert isinstance(payload, Payload)
    return make_event(payload, producer=PRODUCERS[built.type], dossier_id=built.dossier_id or "",
                      version=built.version or 1, actor=built.actor)


class AwayThenBack(KnownContents):
    """Intake away for the first `away` questions, then answering."""

    def __init__(self, away: int) -> None:
        super().__init__(every=HELD)
        self.away = away

    async def content(self, dossier_id: str) -> DossierContentAnswer | None:
        if self.away > 0:
            self.away -= 1
            raise IntakeUnreachable("ConnectError")
        return await super().content(dossier_id)


@pytest.fixture
async def bus() -> AsyncIterator[InProcessBus]:
    bus = InProcessBus(namespace=f"query-intake-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=5)
    yield bus
    await bus.close()


async def started(bus: InProcessBus, contents: KnownContents) -> tuple[httpx.AsyncClient, Service]:
    service = bootstrap(QuerySettings(), bus, MemoryStore(f"query_{uuid4().hex[:6]}"), contents=contents)
    await service.start()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                               base_url="http://query")
    return client, service


async def shown(client: httpx.AsyncClient, dossier_id: str, version: int) -> dict[str, object]:
    async def reached() -> bool:
        answer = await client.get(f"/dossiers/{dossier_id}/version", params={"at_least": version, "timeout": 0})
        return bool(answer.json().get("reached"))

    await eventually(reached, timeout=5, what=f"{dossier_id} v{version} in the read model")
    detail: dict[str, object] = (await client.get(f"/dossiers/{dossier_id}", params={"owner_id": OWNER})).json()
    return detail


async def test_the_detail_list_and_search_show_the_applicant_intake_answers(bus: InProcessBus) -> None:
    intake = KnownContents(every=HELD)
    client, service = await started(bus, intake)
    try:
        for each in (event(created(title="Cấp giấy phép"), 1), event(updated(title="Cấp giấy phép"), 2),
                     event(submitted(title="Cấp giấy phép"), 3)):
            wire = on_the_wire(each)
            assert "applicant" not in wire.data["content"] and "form" not in wire.data["content"]
            await bus.publish(wire)
        detail = await shown(client, "d-1", 3)
        assert detail["applicant"] == HELD.applicant.model_dump(mode="json")
        assert detail["form"] == HELD.form
        found = (await client.get("/dossiers", params={"owner_id": OWNER, "q": "le thi rieng tu"})).json()
        assert [item["applicant_name"] for item in found["items"]] == ["Lê Thị Riêng Tư"]
        assert intake.asked == ["d-1"] * 3  # once per content event
    finally:
        await client.aclose()
        await service.stop()


async def test_an_event_waits_for_intake_to_answer_rather_than_showing_no_applicant(bus: InProcessBus) -> None:
    client, service = await started(bus, AwayThenBack(away=2))
    try:
        await bus.publish(on_the_wire(event(created(title="Cấp giấy phép"), 1)))
        detail = await shown(client, "d-1", 1)  # applied on the third try, the bus retrying it
        assert detail["applicant"] == HELD.applicant.model_dump(mode="json")
    finally:
        await client.aclose()
        await service.stop()
