"""The query service's read model: its repository suite, written once and run on every store engine,
and its internal API through the real bootstrap on the in-process bus.

Engines: the in-memory store always; real MongoDB when MONGO_URL is set (skipped with the reason otherwise).
"""

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.query.bootstrap import bootstrap, procedure_names
from services.query.dates import local_zone
from services.query.filters import DossierFilters
from services.query.handlers import wait_for_version, when_dossier_event_update_read_model
from services.query.notifier import AppliedNotifier
from services.query.ordering import EventOutOfOrder
from services.query.repository import ReadModelRepository
from services.query.settings import QuerySettings
from shared.messages import (
    Actor,
    DossierContent,
    DossierSubmitted,
    DraftCreated,
    DraftDeleted,
    DraftUpdated,
    Envelope,
    Payload,
    make_event,
)
from shared.messaging.memory import InProcessBus
from shared.messaging.port import PermanentFailure
from shared.procedures import load_catalog
from shared.runtime import service_app
from shared.statuses import CATALOG
from shared.store.memory import MemoryStore
from shared.store.mongo import MongoStore
from shared.store.port import DocumentStore
from tests.support.waiting import eventually

OWNER, STRANGER = "citizen-a", "citizen-b"
CLERK = Actor(kind="staff", id="clerk-1")
# 08:30 on 3 March 2025 in Vietnam.
T0 = datetime(2025, 3, 3, 1, 30, tzinfo=UTC)
VIETNAM = local_zone("Asia/Ho_Chi_Minh")


# --- engines -----------------------------------------------------------------------------------------


@pytest.fixture(params=["memory", pytest.param("mongo", marks=pytest.mark.mongo)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[DocumentStore]:
    name = f"query_contract_{uuid4().hex[:12]}"
    engine: DocumentStore
    if request.param == "memory":
        engine = MemoryStore(name)
    else:
        url = os.environ.get("MONGO_URL")
        if not url:
            pytest.skip("MONGO_URL is not set: the read model's MongoDB run needs a reachable MongoDB")
        engine = MongoStore(url, name)
    try:
        yield engine
    finally:
        for collection in await engine.db.list_collection_names():
            await engine.db.drop_collection(collection)
        await engine.close()


@pytest.fixture
async def repo(store: DocumentStore) -> ReadModelRepository:
    repository = ReadModelRepository(store.db, procedure_names(load_catalog()), VIETNAM)
    await repository.ensure_indexes()
    return repository


# --- events ------------------------------------------------------------------------------------------


def content(title: str, full_name: str = "Nguyễn Văn An",
            procedure_code: str = "SYT-KCB-01") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": title, "form": {},
        "applicant": {"full_name": full_name, "id_number": "001203004005", "phone": "0901234567",
                      "email": "an@example.vn", "address": "Đà Nẵng"}})


def event(payload: Payload, dossier_id: str, version: int, at: datetime, owner: str = OWNER) -> Envelope:
    made = make_event(payload, producer="test", dossier_id=dossier_id, version=version,
                      actor=Actor(kind="citizen", id=owner))
    return made.model_copy(update={"occurred_at": at})


def processing(dossier_id: str, version: int, at: datetime, **data: Any) -> Envelope:
    return Envelope(type=f"dossier.{data['to_status']}", producer="processing", dossier_id=dossier_id,
                    version=version, actor=CLERK, occurred_at=at, data=data)


def life(dossier_id: str, title: str, *, owner: str = OWNER, at: datetime = T0, submit: bool = True,
         full_name: str = "Nguyễn Văn An", procedure_code: str = "SYT-KCB-01") -> list[Envelope]:
    """A draft created, edited and (unless told otherwise) submitted an hour later."""
    body = content(title, full_name, procedure_code)
    events = [event(DraftCreated(owner_id=owner, content=body), dossier_id, 1, at, owner),
              event(DraftUpdated(content=body), dossier_id, 2, at + timedelta(minutes=5), owner)]
    if submit:
        events.append(event(DossierSubmitted(from_status="draft", owner_id=owner, content=body),
                            dossier_id, 3, at + timedelta(hours=1), owner))
    return events


async def apply_all(repo: ReadModelRepository, events: list[Envelope]) -> None:
    for each in events:
        await repo.apply(each)


async def ids(repo: ReadModelRepository, owner: str = OWNER, **filters: Any) -> list[str]:
    items, _total = await repo.list_dossiers(owner, DossierFilters(**filters), 1, 100)
    return [item["_id"] for item in items]


# --- applying events ---------------------------------------------------------------------------------


async def test_events_apply_in_order(repo: ReadModelRepository) -> None:
    events = life("d1", "Giấy phép hành nghề")
    assert [await repo.apply(each) for each in events] == [True, True, True]
    document = await repo.get("d1", OWNER)
    assert document is not None
    assert (document["version"], document["status"]) == (3, "submitted")
    assert [(entry["from"], entry["to"]) for entry in document["history"]] == [
        (None, "draft"), ("draft", "submitted")]
    assert await repo.current_version("d1") == 3


async def test_a_duplicate_is_dropped(repo: ReadModelRepository) -> None:
    events = life("d1", "Giấy phép hành nghề", submit=False)
    await apply_all(repo, events)
    before = await repo.get("d1", OWNER)
    assert await repo.apply(events[1]) is False
    assert await repo.apply(events[0]) is False
    assert await repo.get("d1", OWNER) == before


async def test_a_gap_raises_until_the_missing_event_arrives(repo: ReadModelRepository) -> None:
    first, second, third = life("d1", "Giấy phép hành nghề")
    await repo.apply(first)
    with pytest.raises(EventOutOfOrder) as raised:
        await repo.apply(third)
    assert (raised.value.stored_version, raised.value.incoming_version) == (1, 3)
    assert await repo.current_version("d1") == 1
    await repo.apply(second)
    assert await repo.apply(third) is True  # the redelivery
    assert await repo.current_version("d1") == 3


async def test_a_first_event_beyond_version_1_is_a_gap(repo: ReadModelRepository) -> None:
    with pytest.raises(EventOutOfOrder):
        await repo.apply(life("d1", "X")[1])
    assert await repo.current_version("d1") is None


async def test_two_replicas_racing_apply_an_event_once(store: DocumentStore,
                                                       repo: ReadModelRepository) -> None:
    other = ReadModelRepository(store.db, procedure_names(load_catalog()), VIETNAM)
    first, second, _ = life("d1", "X")
    assert sorted(await asyncio.gather(repo.apply(first), other.apply(first))) == [False, True]
    assert sorted(await asyncio.gather(repo.apply(second), other.apply(second))) == [False, True]
    document = await repo.get("d1", OWNER)
    assert document is not None and document["version"] == 2 and len(document["history"]) == 1


# --- listing, searching, counting --------------------------------------------------------------------


@pytest.fixture
async def portfolio(repo: ReadModelRepository) -> ReadModelRepository:
    """Four of the owner's dossiers (one received with a lookup code), one deleted, one of a stranger."""
    await apply_all(repo, life("d1", "Giấy phép hành nghề khám bệnh", at=T0))
    await apply_all(repo, life("d2", "Chứng chỉ hành nghề dược", at=T0 + timedelta(days=1),
                               full_name="Đỗ Thị Hoa", procedure_code="SYT-DUOC-01"))
    await apply_all(repo, life("d3", "Bản nháp", at=T0 + timedelta(days=2), submit=False,
                               procedure_code="SYT-ATTP-01"))
    await repo.apply(processing("d1", 4, T0 + timedelta(days=3), from_status="submitted",
                                to_status="received", lookup_code="H48.25-0301-0001", due_date="2025-03-20"))
    await apply_all(repo, life("d4", "Sẽ bị xoá", at=T0 + timedelta(days=4), submit=False))
    await repo.apply(event(DraftDeleted(), "d4", 3, T0 + timedelta(days=4, hours=1)))
    await apply_all(repo, life("x1", "Giấy phép của người khác", owner=STRANGER))
    return repo


async def test_newest_change_first_and_deleted_hidden(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio) == ["d1", "d3", "d2"]


async def test_list_items_leave_heavy_and_personal_fields_out(portfolio: ReadModelRepository) -> None:
    items, total = await portfolio.list_dossiers(OWNER, DossierFilters(), 1, 10)
    assert total == 3
    assert not {"applicant", "form", "history", "search_text"} & set(items[0])


async def test_filter_by_status(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, status="submitted") == ["d2"]
    assert await ids(portfolio, status="draft") == ["d3"]
    assert await ids(portfolio, status="received") == ["d1"]
    assert await ids(portfolio, status="paid") == []


async def test_search_without_accents(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, q="giay phep") == ["d1"]
    assert await ids(portfolio, q="GIẤY phép") == ["d1"]
    assert await ids(portfolio, q="chung chi hanh nghe") == ["d2"]
    assert await ids(portfolio, q="hanh nghe") == ["d1", "d2"]
    assert await ids(portfolio, q="do thi hoa") == ["d2"]  # "đ" found by "d", on the applicant's name
    assert await ids(portfolio, q="an toan thuc pham") == ["d3"]  # the procedure's name
    assert await ids(portfolio, q="h48.25") == ["d1"]  # the lookup code
    assert await ids(portfolio, q="giay duoc") == []  # every word must match
    assert await ids(portfolio, q="(.*") == []  # taken literally, not as a pattern


async def test_search_combines_with_status(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, q="hanh nghe", status="submitted") == ["d2"]


async def test_filter_by_procedure(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, procedure_code="SYT-DUOC-01") == ["d2"]


async def test_filter_by_code_prefix_or_dossier_id(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, code="h48.25-0301") == ["d1"]
    assert await ids(portfolio, code="H48") == ["d1"]
    assert await ids(portfolio, code="d3") == ["d3"]
    assert await ids(portfolio, code="0301") == []  # a prefix, not anywhere


async def test_filter_by_filing_day_in_vietnam(portfolio: ReadModelRepository) -> None:
    # Filed (submitted) d1 on 3 March 09:30 and d2 on 4 March; d3 is a draft, filed when created, 5 March.
    day = date(2025, 3, 3)
    assert await ids(portfolio, date_from=day, date_to=day) == ["d1"]
    assert await ids(portfolio, date_from=day + timedelta(days=1)) == ["d3", "d2"]
    assert await ids(portfolio, date_to=day + timedelta(days=1)) == ["d1", "d2"]


async def test_filing_day_boundaries_are_vietnamese(repo: ReadModelRepository) -> None:
    # 23:30 UTC on 4 March is 06:30 on 5 March in Vietnam.
    await apply_all(repo, life("late", "X", at=datetime(2025, 3, 4, 22, 30, tzinfo=UTC)))
    assert await ids(repo, date_from=date(2025, 3, 5), date_to=date(2025, 3, 5)) == ["late"]
    assert await ids(repo, date_to=date(2025, 3, 4)) == []


async def test_paging(repo: ReadModelRepository) -> None:
    for number in range(5):
        await apply_all(repo, life(f"p{number}", f"Hồ sơ {number}", at=T0 + timedelta(hours=number)))
    pages = [await repo.list_dossiers(OWNER, DossierFilters(), page, 2) for page in (1, 2, 3, 4)]
    assert [[item["_id"] for item in items] for items, _ in pages] == [
        ["p4", "p3"], ["p2", "p1"], ["p0"], []]
    assert {total for _, total in pages} == {5}


async def test_counts_name_every_status(portfolio: ReadModelRepository) -> None:
    counts = await portfolio.status_counts(OWNER)
    assert list(counts) == [entry.code.value for entry in CATALOG]
    assert counts == {entry.code.value: 0 for entry in CATALOG} | {"draft": 1, "submitted": 1, "received": 1}


async def test_a_stranger_sees_nothing(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, STRANGER) == ["x1"]
    assert await portfolio.get("d1", STRANGER) is None
    assert await ids(portfolio, "nobody") == []
    assert set((await portfolio.status_counts("nobody")).values()) == {0}


async def test_a_deleted_draft_is_gone_but_its_version_stays(portfolio: ReadModelRepository) -> None:
    assert await portfolio.get("d4", OWNER) is None
    assert await portfolio.get("d4", None) is None
    assert await portfolio.current_version("d4") == 3


async def test_staff_views_read_any_owner(portfolio: ReadModelRepository) -> None:
    document = await portfolio.get("x1", None)
    assert document is not None and document["owner_id"] == STRANGER


# --- read-your-writes --------------------------------------------------------------------------------


async def test_wait_returns_once_the_version_is_applied(repo: ReadModelRepository) -> None:
    notifier = AppliedNotifier()
    first, second, _ = life("d1", "X")
    await when_dossier_event_update_read_model(first, repo, notifier)
    waiting = asyncio.create_task(wait_for_version(repo, notifier, "d1", 2, within=5.0))
    await asyncio.sleep(0)  # let it look once and find version 1 only
    assert not waiting.done()
    await when_dossier_event_update_read_model(second, repo, notifier)
    assert await asyncio.wait_for(waiting, 5.0) == 2


async def test_wait_sees_what_another_replica_applied(store: DocumentStore,
                                                      repo: ReadModelRepository) -> None:
    other_replica = ReadModelRepository(store.db, procedure_names(load_catalog()), VIETNAM)
    waiting = asyncio.create_task(wait_for_version(repo, AppliedNotifier(), "d1", 1, within=5.0))
    await asyncio.sleep(0)
    await other_replica.apply(life("d1", "X")[0])
    assert await asyncio.wait_for(waiting, 5.0) == 1


async def test_wait_gives_up_with_what_it_has(repo: ReadModelRepository) -> None:
    notifier = AppliedNotifier()
    assert await wait_for_version(repo, notifier, "d1", 1, within=0.1) is None
    await repo.apply(life("d1", "X")[0])
    assert await wait_for_version(repo, notifier, "d1", 2, within=0.1) == 1


async def test_an_unreadable_event_is_a_permanent_failure(repo: ReadModelRepository) -> None:
    await repo.apply(life("d1", "X")[0])
    bad = processing("d1", 2, T0, to_status="teleported")
    with pytest.raises(PermanentFailure):
        await when_dossier_event_update_read_model(bad, repo, AppliedNotifier())


async def test_events_without_a_version_are_ignored(repo: ReadModelRepository) -> None:
    outcome = Envelope(type="dossier.command_rejected", producer="processing", dossier_id="d1", data={})
    await when_dossier_event_update_read_model(outcome, repo, AppliedNotifier())
    assert await repo.current_version("d1") is None


# --- rebuild -----------------------------------------------------------------------------------------


async def test_rebuild_reproduces_the_same_documents(store: DocumentStore,
                                                     portfolio: ReadModelRepository) -> None:
    async def everything() -> list[dict[str, Any]]:
        documents: list[dict[str, Any]] = await store.db["dossiers"].find({}).sort("_id").to_list(None)
        return documents

    before = await everything()
    assert await portfolio.rebuild() == len(before) == 5
    assert await everything() == before
    # And it keeps applying afterwards, from where the replay ended.
    await portfolio.apply(processing("d1", 5, T0 + timedelta(days=5), to_status="processing"))
    assert await portfolio.current_version("d1") == 5


# --- the internal API through the real bootstrap -----------------------------------------------------


async def test_internal_api_on_the_in_process_bus() -> None:
    bus = InProcessBus(namespace=f"test_{uuid4().hex[:8]}", retry_delay_seconds=0.05)
    store = MemoryStore(f"query_api_{uuid4().hex[:8]}")
    service = bootstrap(QuerySettings(), bus, store)
    await service.start()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service)), base_url="http://query")
    try:
        first, second, third = life("d1", "Giấy phép hành nghề khám bệnh")
        # Out of order on purpose: the bus redelivers the early ones until the first has arrived.
        for each in (third, second, first):
            await bus.publish(each)
        reached = await client.get("/dossiers/d1/version", params={"at_least": 3, "timeout": 5})
        assert reached.json() == {"id": "d1", "version": 3, "reached": True}

        async def listed() -> bool:
            answer = await client.get("/dossiers", params={"owner_id": OWNER, "q": "giay phep"})
            return answer.status_code == 200 and answer.json()["total"] == 1

        await eventually(listed, timeout=5, what="the dossier is listed")
        page = (await client.get("/dossiers", params={"owner_id": OWNER, "status": "submitted",
                                                      "from": "2025-03-03", "to": "2025-03-03"})).json()
        assert (page["total"], page["page"], page["page_size"]) == (1, 1, 20)
        item = page["items"][0]
        assert item == {
            "id": "d1", "lookup_code": None, "title": "Giấy phép hành nghề khám bệnh",
            "procedure_code": "SYT-KCB-01", "procedure_name": load_catalog().get("SYT-KCB-01").name,
            "status": "submitted", "status_label": "Đã gửi", "created_at": item["created_at"],
            "submitted_at": item["submitted_at"], "due_date": None, "overdue": False, "version": 3}
        assert datetime.fromisoformat(item["submitted_at"]) == T0 + timedelta(hours=1)

        detail = (await client.get("/dossiers/d1", params={"owner_id": OWNER})).json()
        assert detail["actions"] == ["withdraw"]
        assert [(h["from"], h["to"], h["actor"]["kind"]) for h in detail["history"]] == [
            (None, "draft", "citizen"), ("draft", "submitted", "citizen")]
        assert detail["applicant"]["full_name"] == "Nguyễn Văn An"
        assert (detail["payment"], detail["result"], detail["form"]) == (None, None, {})

        foreign = await client.get("/dossiers/d1", params={"owner_id": STRANGER})
        assert foreign.status_code == 404
        assert foreign.json() == {"error": {"code": "dossier_not_found", "message": "Không tìm thấy hồ sơ."}}

        counts = (await client.get("/status-counts", params={"owner_id": OWNER})).json()
        assert counts["submitted"] == 1 and len(counts) == len(CATALOG)

        late = await client.get("/dossiers/d1/version", params={"at_least": 4, "timeout": 0.05})
        assert late.json() == {"id": "d1", "version": 3, "reached": False}
        unknown = await client.get("/dossiers/nope/version", params={"at_least": 1, "timeout": 0})
        assert unknown.json() == {"id": "nope", "version": None, "reached": False}

        assert (await client.post("/rebuild")).json() == {"dossiers": 1}
        assert (await client.get("/dossiers/d1", params={"owner_id": OWNER})).json() == detail
        assert await bus.take_dead_letters("query") == []
    finally:
        await client.aclose()
        await service.stop()
        await bus.close()
        await store.close()


@pytest.mark.parametrize(("params", "field"), [
    ({"page": "0"}, "page"),
    ({"page_size": "101"}, "page_size"),
    ({"page_size": "0"}, "page_size"),
    ({"from": "03/03/2025"}, "from"),
    ({"to": "2025-02-30"}, "to"),
    ({"status": "lost"}, "status"),
    ({"from": "2025-03-04", "to": "2025-03-03"}, "from"),
    ({"owner_id": None}, "owner_id"),
])
async def test_invalid_queries_name_the_field(params: dict[str, str | None], field: str) -> None:
    service = bootstrap(QuerySettings(), InProcessBus(), MemoryStore(f"query_api_{uuid4().hex[:8]}"))
    query = {key: value for key, value in ({"owner_id": OWNER} | params).items() if value is not None}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service)),
                                 base_url="http://query") as client:
        answer = await client.get("/dossiers", params=query)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_error" and error["message"]
    assert list(error["fields"]) == [field]
