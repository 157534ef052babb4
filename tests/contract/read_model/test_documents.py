"""Component documents (thành phần hồ sơ) through the read model on every engine, and through its API: files
attached and removed, what was sent, a supplement asking for some, the detail and the list answering them,
the public lookup showing none."""

import json
from datetime import date, datetime, timedelta
from typing import Any

from services.query.adapters.read_model import ReadModelRepository
from services.query.domain.filters import DossierFilters
from shared.messages import DossierSubmitted, Envelope
from shared.procedures import load_catalog
from tests.contract.read_model.events import (
    DAY,
    OWNER,
    T0,
    a_file,
    apply_all,
    attached,
    content,
    event,
    life,
    received,
    removed,
    resubmitted,
    sent,
    staff,
    supplement,
)
from tests.contract.read_model.service import QueryApi

CODE = "H48.25-0303-0011"
TITLE = "Giấy phép hành nghề khám bệnh"
ASKED = "Thiếu giấy khám sức khoẻ, văn bằng chưa rõ"
FORM, DIPLOMA, HEALTH, PHOTO = "don-de-nghi", "van-bang-chuyen-mon", "giay-kham-suc-khoe", "anh-chan-dung"
APPLICATION = a_file("f-1", "don-de-nghi.pdf", T0 + timedelta(minutes=10))
DIPLOMA_SCAN = a_file("f-2", "van-bang.pdf", T0 + timedelta(minutes=20), size=480_000)
PORTRAIT = a_file("f-3", "anh.pdf", T0 + timedelta(minutes=30))
HEALTH_CHECK = a_file("f-4", "giay-kham.pdf", T0 + 3 * DAY)
DIPLOMA_CLEAR = a_file("f-5", "van-bang-ro.pdf", T0 + 3 * DAY + timedelta(minutes=5))


def asked_for_documents(dossier_id: str = "d1") -> list[Envelope]:
    """Versions 1 to 9: a draft with three files, one removed, sent with two, received, then a supplement
    asked for the health certificate and a clearer diploma."""
    return [
        *life(dossier_id, TITLE, submit=False),
        event(attached(FORM, APPLICATION), dossier_id, 3, T0 + timedelta(minutes=10)),
        event(attached(DIPLOMA, DIPLOMA_SCAN), dossier_id, 4, T0 + timedelta(minutes=20)),
        event(attached(PHOTO, PORTRAIT), dossier_id, 5, T0 + timedelta(minutes=30)),
        event(removed(PHOTO, "f-3"), dossier_id, 6, T0 + timedelta(minutes=35)),
        event(DossierSubmitted(from_status="draft", owner_id=OWNER, content=content(TITLE),
                               documents=[sent(FORM, APPLICATION), sent(DIPLOMA, DIPLOMA_SCAN)]),
              dossier_id, 7, T0 + timedelta(hours=1)),
        staff(received(CODE, T0 + DAY, date(2025, 3, 24)), dossier_id, 8, T0 + DAY),
        staff(supplement(ASKED, remaining=10, documents=[HEALTH, DIPLOMA]), dossier_id, 9, T0 + 2 * DAY),
    ]


def supplemented(dossier_id: str = "d1") -> list[Envelope]:
    """Versions 10 to 12: the two files added, and the dossier sent again with what changed."""
    again = resubmitted(f"{TITLE} (đã bổ sung)", changed=[DIPLOMA, HEALTH], documents=[
        sent(FORM, APPLICATION), sent(DIPLOMA, DIPLOMA_SCAN, DIPLOMA_CLEAR), sent(HEALTH, HEALTH_CHECK)])
    return [event(attached(HEALTH, HEALTH_CHECK), dossier_id, 10, T0 + 3 * DAY),
            event(attached(DIPLOMA, DIPLOMA_CLEAR), dossier_id, 11, T0 + 3 * DAY + timedelta(minutes=5)),
            event(again, dossier_id, 12, T0 + 3 * DAY + timedelta(hours=1))]


def file_ids(document: dict[str, Any]) -> dict[str, list[str]]:
    return {entry["code"]: [file["id"] for file in entry["files"]] for entry in document["documents"]}


async def test_the_files_are_stored_listed_and_rebuilt(repo: ReadModelRepository) -> None:
    await apply_all(repo, asked_for_documents())
    document = await repo.get("d1", OWNER)
    assert document is not None
    assert file_ids(document) == {FORM: ["f-1"], DIPLOMA: ["f-2"]}
    assert (document["requested_documents"], document["attached_files"]) == ([HEALTH, DIPLOMA], 2)
    assert document["documents"][1]["files"][0]["uploaded_at"] == DIPLOMA_SCAN.uploaded_at  # a round trip keeps it
    await apply_all(repo, supplemented())
    document = await repo.get("d1", OWNER)
    assert document is not None
    assert file_ids(document) == {FORM: ["f-1"], DIPLOMA: ["f-2", "f-5"], HEALTH: ["f-4"]}
    assert (document["requested_documents"], document["attached_files"]) == ([], 4)
    assert document["history"][-1]["documents"] == [DIPLOMA, HEALTH]
    items, _ = await repo.list_dossiers(OWNER, DossierFilters(), 1, 10)
    assert items[0]["attached_files"] == 4
    assert "documents" not in items[0] and "requested_documents" not in items[0]  # the files stay in the store
    assert await repo.rebuild() == 1
    assert await repo.get("d1", OWNER) == document


async def published(api: QueryApi, events: list[Envelope], version: int) -> None:
    for each in events:
        await api.bus.publish(each)
    reached = await api.client.get("/dossiers/d1/version", params={"at_least": version, "timeout": 5})
    assert reached.json()["reached"] is True


async def test_the_detail_and_the_list_answer_the_documents(api: QueryApi) -> None:
    listed = load_catalog().get("SYT-KCB-01").documents
    await published(api, asked_for_documents(), 9)
    detail = (await api.client.get("/dossiers/d1", params={"owner_id": OWNER})).json()
    assert [(entry["code"], entry["name"], entry["required"]) for entry in detail["documents"]] == [
        (entry.code, entry.name, entry.required) for entry in listed]
    by_code = {entry["code"]: entry for entry in detail["documents"]}
    assert [code for code, entry in by_code.items() if entry["requested"]] == [DIPLOMA, HEALTH]  # catalog order
    assert by_code[FORM]["files"] == [{
        "id": "f-1", "filename": "don-de-nghi.pdf", "content_type": "application/pdf", "size": 120_000,
        "sha256": APPLICATION.sha256, "uploaded_at": by_code[FORM]["files"][0]["uploaded_at"]}]
    assert datetime.fromisoformat(by_code[FORM]["files"][0]["uploaded_at"]) == APPLICATION.uploaded_at
    assert by_code[PHOTO]["files"] == [] and by_code[HEALTH]["files"] == []
    assert detail["attached_files"] == 2
    assert detail["history"][-1]["documents"] == [HEALTH, DIPLOMA]
    staff_view = (await api.client.get("/dossiers/d1")).json()
    assert staff_view["documents"] == detail["documents"]  # the Reception Unit sees the same documents

    await published(api, supplemented(), 12)
    detail = (await api.client.get("/dossiers/d1", params={"owner_id": OWNER})).json()
    by_code = {entry["code"]: entry for entry in detail["documents"]}
    assert not any(entry["requested"] for entry in detail["documents"])
    assert [file["id"] for file in by_code[DIPLOMA]["files"]] == ["f-2", "f-5"]
    assert [file["filename"] for file in by_code[HEALTH]["files"]] == ["giay-kham.pdf"]
    assert [(entry["to"], entry["documents"]) for entry in detail["history"]][-2:] == [
        ("supplement_requested", [HEALTH, DIPLOMA]), ("submitted", [DIPLOMA, HEALTH])]
    page = (await api.client.get("/dossiers", params={"owner_id": OWNER})).json()
    assert [(item["id"], item["attached_files"]) for item in page["items"]] == [("d1", 4)]
    assert "documents" not in page["items"][0]

    assert (await api.client.post("/rebuild")).json() == {"dossiers": 1}
    assert (await api.client.get("/dossiers/d1", params={"owner_id": OWNER})).json() == detail
    assert await api.bus.take_dead_letters("query") == []


async def test_the_lookup_shows_no_documents(api: QueryApi) -> None:
    await published(api, [*asked_for_documents(), *supplemented()], 12)
    answer = (await api.client.get(f"/lookup/{CODE}")).json()
    assert set(answer) == {"lookup_code", "procedure_name", "status", "status_label", "received_at", "due_date",
                           "history"}
    assert all(set(entry) == {"at", "to"} for entry in answer["history"])
    text = json.dumps(answer, ensure_ascii=False)
    for private in ("f-1", "don-de-nghi.pdf", APPLICATION.sha256, DIPLOMA, HEALTH):
        assert private not in text
