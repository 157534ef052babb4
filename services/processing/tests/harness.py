"""Processing as the tests drive it (tests/support/service_harness.py): the real bootstrap on the in-process
bus and the in-memory store, and intake's hand-over, `dossier.submitted`, as the tests publish it."""

from typing import Any
from uuid import uuid4

import httpx

from services.processing.bootstrap import bootstrap
from services.processing.settings import ProcessingSettings
from shared.messages import Actor, DossierContent, DossierSubmitted, Envelope
from shared.messaging.port import Bus
from shared.store.memory import MemoryStore
from tests.support.interleaving import InterleavingStore
from tests.support.service_harness import OWNER, STAFF, Clock, ServiceHarness, in_process_bus, stop_service

__all__ = ["OWNER", "STAFF", "Harness", "content", "start_processing_service", "stop_processing_service"]


def content(procedure_code: str = "SYT-KCB-02") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": "Cấp lại chứng chỉ hành nghề",
        "applicant": {"full_name": "Trần Thị Bình", "id_number": "001190000222", "phone": "0912000111",
                      "email": "binh@example.vn", "address": "Hà Nội"},
        "form": {"chuyen_mon": "Điều dưỡng", "ly_do": "Bị mất"}})


class Harness(ServiceHarness):
    async def record(self, dossier_id: str) -> dict[str, Any]:
        return await self.stored("dossiers", dossier_id)

    async def submit(self, dossier_id: str | None = None, *, version: int = 2, owner: str = OWNER,
                     procedure_code: str = "SYT-KCB-02", from_status: str = "draft") -> str:
        """Publish intake's `dossier.submitted` and wait until processing holds that version."""
        dossier_id = dossier_id or f"d-{uuid4().hex[:8]}"
        payload = DossierSubmitted(from_status=from_status, owner_id=owner, owner_email=f"{owner}@example.vn",
                                   content=content(procedure_code))
        await self.bus.publish(Envelope(
            type=payload.message_type, producer="intake", dossier_id=dossier_id, version=version,
            actor=Actor(kind="citizen", id=owner), data=payload.model_dump(mode="json")))
        await self.holds("dossiers", dossier_id, version)
        return dossier_id

    async def act(self, dossier_id: str, action: str, actor_id: str = STAFF.id, **fields: Any) -> httpx.Response:
        return await self.client.post(f"/dossiers/{dossier_id}/actions/{action}",
                                      json={"actor_id": actor_id, **fields})


async def start_processing_service(
    *, bus: Bus | None = None, memory: MemoryStore | None = None, **settings: Any,
) -> Harness:
    """Processing on its own bus and store, or as one more replica on those of another harness."""
    bus = bus or in_process_bus("processing")
    store = InterleavingStore(memory or MemoryStore("hoso_processing"))
    clock = Clock()
    service = bootstrap(ProcessingSettings(outbox_poll_seconds=0.05, **settings), bus, store, clock=clock)
    return await Harness.start(service, bus, store, clock)


stop_processing_service = stop_service
