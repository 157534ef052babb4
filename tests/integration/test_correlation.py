"""A correlation id given with an HTTP request is echoed and carried by every event the request causes."""

import httpx

from services.embedded import build_embedded_app
from services.gateway.settings import GatewaySettings
from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from tests.support.waiting import eventually


async def test_the_correlation_id_travels_from_the_request_to_the_events() -> None:
    bus = InProcessBus(namespace="correlation-test")
    seen: list[Envelope] = []

    async def spy(envelope: Envelope) -> None:
        seen.append(envelope)

    await bus.consume("spy", ["dossier.#"], spy)
    app = await build_embedded_app(GatewaySettings(dev_tokens=True), demo_data=False, bus=bus)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://hoso") as client:
        token = (await client.post("/v1/dev/token", json={
            "sub": "c-corr", "name": "Hà", "email": "ha@example.vn"})).json()["access_token"]
        created = await client.post("/v1/dossiers", headers={
            "Authorization": f"Bearer {token}", "X-Correlation-ID": "portal-req-42"}, json={
            "procedure_code": "SYT-MP-01", "title": "Mỹ phẩm", "form": {},
            "applicant": {"full_name": "Hà", "id_number": "001190000111", "phone": "0911222333",
                          "email": "ha@example.vn", "address": "Hải Phòng"}})
        assert created.status_code == 201, created.text
        assert created.headers["X-Correlation-ID"] == "portal-req-42"
        await eventually(lambda: len(seen) == 1, timeout=5, what="the draft_created event")
        assert (seen[0].type, seen[0].correlation_id) == ("dossier.draft_created", "portal-req-42")
        anonymous = await client.get("/v1/statuses")
        assert anonymous.headers["X-Correlation-ID"] not in ("", "portal-req-42")
