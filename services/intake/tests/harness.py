"""Intake as the tests drive it: the real bootstrap on the in-process bus and the in-memory stores, its
internal API through httpx (as the gateway calls it), processing's hand-backs published on the bus, and a
spy on every event intake publishes. Files are small but real PDF, JPEG and PNG bytes."""

from collections.abc import AsyncIterable
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx

from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings
from shared.blobs.memory import MemoryBlobStore
from shared.lifecycle import DossierWithdrawn, SupplementRequested
from shared.messages import Actor, Envelope, Payload
from shared.messaging.memory import InProcessBus
from shared.procedures import load_catalog
from shared.runtime import Service, service_app
from shared.statuses import Status
from shared.store.memory import MemoryStore
from tests.support.interleaving import InterleavingStore
from tests.support.waiting import eventually

OWNER = "citizen-1"
STAFF = Actor(kind="staff", id="clerk-7")


PROCEDURE = load_catalog().get("SYT-KCB-01")
# Its documents a dossier cannot be sent without, and the versions a dossier reaches through `ready` and
# `submitted`: created (1), a file attached to each required document, sent.
REQUIRED = [document.code for document in PROCEDURE.documents if document.required]
OPTIONAL = [document.code for document in PROCEDURE.documents if not document.required]
READY_VERSION = 1 + len(REQUIRED)
SENT_VERSION = READY_VERSION + 1


def name_of(code: str) -> str:
    return PROCEDURE.document(code).name


def pdf(text: str = "Đơn đề nghị") -> bytes:
    """A small PDF, whole: its signature first, its end marker last (with the trailing newline writers add)."""
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n% " + text.encode() +
            b"\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64) + b"\xff\xd9"


def png() -> bytes:
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
            b"\x90wS\xde\x00\x00\x00\x00IEND\xaeB`\x82")


def content(**overrides: Any) -> dict[str, Any]:
    """A complete dossier for SYT-KCB-01 (both its required form fields filled in)."""
    return {"procedure_code": "SYT-KCB-01", "title": "Cấp giấy phép hành nghề",
            "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678",
                          "email": "an@example.vn", "address": "Hà Nội"},
            "form": {"chuyen_mon": "Bác sĩ", "pham_vi": "Nội khoa"}, **overrides}


def hand_back_event(kind: str, dossier_id: str | None, version: int | None, documents: list[str] | None = None,
                    **data: Any) -> Envelope:
    """Processing's event giving the dossier back: `withdrawn` (a draft) or `supplement_requested`, which may
    name the documents to complete."""
    payload: Payload = (DossierWithdrawn() if kind == "withdrawn"
                        else SupplementRequested(from_status=Status.RECEIVED, reason="Thiếu bản sao văn bằng.",
                                                 documents=documents or []))
    return Envelope(type=payload.message_type, producer="processing", dossier_id=dossier_id, version=version,
                    actor=STAFF, data={**payload.model_dump(mode="json"), **data})


@dataclass
class Harness:
    service: Service
    bus: InProcessBus
    store: InterleavingStore
    blobs: MemoryBlobStore
    client: httpx.AsyncClient
    events: list[Envelope] = field(default_factory=list)
    spy_queue: str = field(default_factory=lambda: f"spy-{uuid4().hex[:6]}")

    def published(self, message_type: str | None = None, dossier_id: str | None = None) -> list[Envelope]:
        """What intake has published (through its outbox), oldest first."""
        return [event for event in self.events if event.producer == "intake"
                and message_type in (None, event.type) and dossier_id in (None, event.dossier_id)]

    async def record(self, dossier_id: str) -> dict[str, Any] | None:
        """The stored document (a tombstone too) without its outbox, or None once it is gone."""
        return await self.store.memory.db["dossiers"].find_one({"_id": dossier_id}, {"outbox": 0, "outbox_pending": 0})

    async def outbox(self, dossier_id: str) -> list[tuple[str, int]]:
        """The events stored with the dossier and not yet relayed: (type, version) each."""
        found = await self.store.memory.db["dossiers"].find_one({"_id": dossier_id})
        return [] if found is None else [(event["type"], event["version"]) for event in found["outbox"]]

    async def create(self, owner: str = OWNER, **overrides: Any) -> str:
        answer = await self.client.post("/dossiers", json={
            "owner_id": owner, "owner_email": f"{owner}@example.vn", "content": content(**overrides)})
        assert answer.status_code == 201, answer.text
        dossier_id: str = answer.json()["id"]
        return dossier_id

    async def edit(self, dossier_id: str, changes: dict[str, Any], expected_version: int,
                   owner: str = OWNER) -> httpx.Response:
        return await self.client.patch(f"/dossiers/{dossier_id}", json={
            "owner_id": owner, "changes": changes, "expected_version": expected_version})

    async def delete(self, dossier_id: str, expected_version: int | None = None,
                     owner: str = OWNER) -> httpx.Response:
        params: dict[str, Any] = {"owner_id": owner}
        if expected_version is not None:
            params["expected_version"] = expected_version
        return await self.client.delete(f"/dossiers/{dossier_id}", params=params)

    async def submit(self, dossier_id: str, owner: str = OWNER) -> httpx.Response:
        return await self.client.post(f"/dossiers/{dossier_id}/submit", json={"owner_id": owner})

    async def submitted(self, owner: str = OWNER) -> str:
        """A dossier created, completed and sent: processing holds it, intake's record is `submitted` at
        SENT_VERSION."""
        dossier_id = await self.ready(owner)
        assert (await self.submit(dossier_id, owner)).status_code == 200
        return dossier_id

    async def ready(self, owner: str = OWNER, **overrides: Any) -> str:
        """A draft with a file for each required document, at READY_VERSION: ready to be sent."""
        dossier_id = await self.create(owner, **overrides)
        for code in REQUIRED:
            await self.attached(dossier_id, code, pdf(code), owner=owner)
        return dossier_id

    async def attach(self, dossier_id: str, code: str, body: bytes | AsyncIterable[bytes],
                     filename: str | None = "tep.pdf", owner: str = OWNER) -> httpx.Response:
        """The upload as the gateway sends it: the raw bytes as the body (or a stream of chunks)."""
        params = {"owner_id": owner} | ({} if filename is None else {"filename": filename})
        return await self.client.post(f"/dossiers/{dossier_id}/documents/{code}", params=params, content=body)

    async def attached(self, dossier_id: str, code: str, body: bytes | AsyncIterable[bytes],
                       filename: str = "tep.pdf", owner: str = OWNER) -> dict[str, Any]:
        """An upload that must go through: its answer."""
        answer = await self.attach(dossier_id, code, body, filename, owner)
        assert answer.status_code == 201, answer.text
        attached: dict[str, Any] = answer.json()
        return attached

    async def remove(self, dossier_id: str, code: str, file_id: str, owner: str = OWNER) -> httpx.Response:
        return await self.client.delete(f"/dossiers/{dossier_id}/documents/{code}/{file_id}",
                                        params={"owner_id": owner})

    async def download(self, dossier_id: str, code: str, file_id: str, owner: str | None = OWNER,
                       for_staff: bool = False) -> httpx.Response:
        params: dict[str, Any] = {} if owner is None else {"owner_id": owner}
        if for_staff:
            params["for_staff"] = "true"
        return await self.client.get(f"/dossiers/{dossier_id}/documents/{code}/{file_id}", params=params)

    async def files(self, dossier_id: str) -> list[dict[str, Any]]:
        """The stored record's files: code, file metadata, attached_version, sent."""
        found = await self.record(dossier_id)
        return [] if found is None else list(found.get("files") or [])

    async def deliver(self, event: Envelope) -> None:
        """Hand `event` to intake's consumer directly, as one more delivery (another replica's, say) would."""
        await self.service.consumers[0].handler(event)

    async def hand_back(self, kind: str, dossier_id: str, version: int,
                        documents: list[str] | None = None) -> dict[str, Any]:
        """Publish processing's hand-back on the bus and wait until intake holds the dossier at `version`."""
        await self.bus.publish(hand_back_event(kind, dossier_id, version, documents))
        return await self.held_at(dossier_id, version)

    async def held_at(self, dossier_id: str, version: int) -> dict[str, Any]:
        async def reached() -> bool:
            found = await self.record(dossier_id)
            return found is not None and found["version"] >= version

        await eventually(reached, timeout=5, what=f"intake holds {dossier_id} v{version}")
        found = await self.record(dossier_id)
        assert found is not None
        return found

    async def dead_letters(self, at_least: int) -> list[Envelope]:
        """The messages intake's queue gave up on, once there are `at_least` of them."""
        taken: list[Envelope] = []

        async def enough() -> bool:
            taken.extend(await self.bus.take_dead_letters("intake"))
            return len(taken) >= at_least

        await eventually(enough, timeout=5, what=f"{at_least} dead letters on intake's queue")
        return taken


async def start_intake_service(*, start: bool = True, blobs: MemoryBlobStore | None = None,
                               **settings: Any) -> Harness:
    """Intake on its own bus and stores; `start=False` leaves its consumer and outbox relay stopped.

    `blobs` replaces the memory blob store (a spy, say); `settings` override IntakeSettings' (a small
    `max_file_bytes`, say)."""
    bus = InProcessBus(namespace=f"intake-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=3)
    store = InterleavingStore(MemoryStore("hoso_intake"))
    # Given, rather than opened from the settings, so that the tests can see every blob left.
    blobs = MemoryBlobStore() if blobs is None else blobs
    service = bootstrap(IntakeSettings(**{"outbox_poll_seconds": 0.05, **settings}), bus, store, blobs=blobs)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                               base_url="http://intake")
    harness = Harness(service, bus, store, blobs, client)

    async def spy(event: Envelope) -> None:
        harness.events.append(event)

    await bus.consume(harness.spy_queue, ["#"], spy)
    if start:
        await service.start()
    else:
        for prepare in service.on_start:
            await prepare()
    return harness


async def stop_intake_service(harness: Harness) -> None:
    await harness.client.aclose()
    await harness.service.stop()
    await harness.bus.close()
