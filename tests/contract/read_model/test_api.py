"""The internal API the gateway reads from, through the real bootstrap on the in-process bus."""

from datetime import datetime, timedelta
from uuid import uuid4

import pytest

from shared.procedures import load_catalog
from shared.statuses import CATALOG
from shared.store.memory import MemoryStore
from tests.contract.read_model.events import OWNER, STRANGER, T0, full_life, life
from tests.contract.read_model.service import QueryApi, running_query
from tests.support.waiting import eventually


async def published(api: QueryApi, events: list, dossier_id: str, version: int) -> None:
    """Publish and wait until the read model holds `version` of the dossier."""
    for each in events:
        await api.bus.publish(each)
    reached = await api.client.get(f"/dossiers/{dossier_id}/version", params={"at_least": version, "timeout": 5})
    assert reached.json()["reached"] is True


async def test_internal_api_on_the_in_process_bus(api: QueryApi) -> None:
    client = api.client
    first, second, third = life("d1", "Giấy phép hành nghề khám bệnh")
    # Out of order on purpose: the bus redelivers the early ones until the first has arrived.
    for each in (third, second, first):
        await api.bus.publish(each)
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
        "id": "d1", "lookup_code": None, "title": "Giấy phép hành nghề khám bệnh", "applicant_name": "Nguyễn Văn An",
        "procedure_code": "SYT-KCB-01", "procedure_name": load_catalog().get("SYT-KCB-01").name,
        "status": "submitted", "status_label": "Đã gửi", "created_at": item["created_at"],
        "submitted_at": item["submitted_at"], "due_date": None, "overdue": False, "version": 3,
        "attached_files": 0, "working_days_left": None, "deadline_state": None, "original_due_date": None,
        "rescheduled_late": False}
    assert datetime.fromisoformat(item["submitted_at"]) == T0 + timedelta(hours=1)

    detail = (await client.get("/dossiers/d1", params={"owner_id": OWNER})).json()
    assert detail["actions"] == ["withdraw"]
    assert [(h["from"], h["to"], h["actor"]["kind"]) for h in detail["history"]] == [
        (None, "draft", "citizen"), ("draft", "submitted", "citizen")]
    assert detail["applicant"]["full_name"] == "Nguyễn Văn An"
    assert (detail["payment"], detail["result"], detail["reason"], detail["received_at"]) == (None, None, None, None)

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
    assert await api.bus.take_dead_letters("query") == []


async def test_detail_after_a_full_life(api: QueryApi) -> None:
    await published(api, full_life(), "d1", 12)
    detail = (await api.client.get("/dossiers/d1", params={"owner_id": OWNER})).json()
    assert (detail["status"], detail["status_label"], detail["version"]) == ("result_returned", "Đã trả kết quả", 12)
    assert (detail["lookup_code"], detail["due_date"], detail["overdue"]) == ("H48.25-0303-0007", "2025-03-28", False)
    assert detail["reason"] == "Thiếu bản sao chứng chỉ hành nghề"
    assert datetime.fromisoformat(detail["received_at"]) == T0 + timedelta(days=1)
    assert detail["result"] == {
        "summary": "Cấp giấy phép hành nghề số 12/GP", "delivery_method": "online", "postal_address": None,
        "tracking_number": None,
        "downloadable": True,
        "document": {"filename": "ket-qua.pdf", "content_type": "application/pdf", "size_bytes": 40_960}}
    assert detail["actions"] == ["download_result", "rate"]
    assert [entry["to"] for entry in detail["history"]] == [
        "draft", "submitted", "received", "supplement_requested", "submitted", "received", "processing",
        "result_ready", "result_returned"]
    assert await api.bus.take_dead_letters("query") == []


async def test_staff_views_without_an_owner(api: QueryApi) -> None:
    await published(api, life("a1", "Giấy phép hành nghề", owner=OWNER), "a1", 3)
    await published(api, life("b1", "Chứng chỉ hành nghề", owner=STRANGER, at=T0 + timedelta(hours=2)), "b1", 3)
    await published(api, life("b2", "Bản nháp", owner=STRANGER, submit=False), "b2", 2)
    page = (await api.client.get("/dossiers", params={"status": "submitted", "q": "hanh nghe"})).json()
    assert [item["id"] for item in page["items"]] == ["b1", "a1"] and page["total"] == 2
    assert (await api.client.get("/dossiers", params={"status": "draft"})).json()["total"] == 0
    assert (await api.client.get("/dossiers/b1")).json()["applicant"]["full_name"] == "Nguyễn Văn An"
    assert (await api.client.get("/dossiers/b2")).status_code == 404  # a draft is the citizen's alone
    counts = (await api.client.get("/status-counts")).json()
    assert (counts["submitted"], counts["draft"]) == (2, 0)
    # An owner given still restricts.
    mine = (await api.client.get("/dossiers", params={"owner_id": OWNER})).json()
    assert [item["id"] for item in mine["items"]] == ["a1"]
    assert (await api.client.get("/dossiers/b1", params={"owner_id": OWNER})).status_code == 404


@pytest.mark.parametrize(("params", "field"), [
    ({"page": "0"}, "page"),
    ({"page_size": "101"}, "page_size"),
    ({"page_size": "0"}, "page_size"),
    ({"from": "03/03/2025"}, "from"),
    ({"to": "2025-02-30"}, "to"),
    ({"status": "lost"}, "status"),
    ({"from": "2025-03-04", "to": "2025-03-03"}, "from"),
    ({"owner_id": ""}, "owner_id"),  # an empty owner is an error, never the staff view
])
async def test_invalid_queries_name_the_field(params: dict[str, str], field: str) -> None:
    store = MemoryStore(f"query_api_{uuid4().hex[:8]}")
    async with running_query(store) as api:
        answer = await api.client.get("/dossiers", params={"owner_id": OWNER} | params)
    await store.close()
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_error" and error["message"]
    assert list(error["fields"]) == [field]


async def test_an_empty_owner_never_opens_a_dossier(api: QueryApi) -> None:
    assert (await api.client.get("/dossiers/d1", params={"owner_id": ""})).status_code == 422
