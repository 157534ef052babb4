"""The result (kết quả) through both doors: staff issue it, the citizen chooses online and downloads it."""

import asyncio

import httpx

from services.processing.tests.harness import (
    OWNER,
    PDF,
    Harness,
    start_processing_service,
    stop_processing_service,
)
from tests.support.waiting import eventually


async def with_result(processing: Harness, document: bytes | None = PDF) -> str:
    dossier_id = await processing.submit()
    for action in ("accept", "start-processing"):
        assert (await processing.act(dossier_id, action)).status_code == 200
    issued = await processing.issue_result(
        dossier_id, ("giấy chứng nhận.pdf", document, "application/pdf") if document is not None else None)
    assert issued.json() == {"id": dossier_id, "status": "result_ready", "version": 5}, issued.text
    return dossier_id


async def choose(processing: Harness, dossier_id: str, owner: str = OWNER, **choice: str) -> httpx.Response:
    return await processing.client.put(f"/dossiers/{dossier_id}/result-delivery", json={"owner_id": owner, **choice})


async def download(processing: Harness, dossier_id: str, owner: str = OWNER) -> httpx.Response:
    return await processing.client.get(f"/dossiers/{dossier_id}/result", params={"owner_id": owner})


async def test_the_document_is_stored_and_the_event_only_refers_to_it(processing: Harness) -> None:
    dossier_id = await with_result(processing)
    await eventually(lambda: processing.published("dossier.result_issued", dossier_id), timeout=5)
    [issued] = processing.published("dossier.result_issued", dossier_id)
    assert issued.data["summary"] == "Đủ điều kiện"
    document = issued.data["document"]
    assert document["filename"] == "giấy chứng nhận.pdf"
    assert (document["content_type"], document["size_bytes"]) == ("application/pdf", len(PDF))
    assert "Giay chung nhan" not in issued.model_dump_json()
    assert await processing.blobs.ids() == [document["id"]]
    assert await processing.blob(document["id"]) == PDF
    assert (await processing.record(dossier_id))["result"]["document"] == document


async def test_the_first_online_download_returns_the_result_and_later_ones_only_the_bytes(
    processing: Harness,
) -> None:
    dossier_id = await with_result(processing)
    not_chosen = await download(processing, dossier_id)
    assert (not_chosen.status_code, not_chosen.json()["error"]["code"]) == (409, "online_delivery_not_chosen")
    assert (await choose(processing, dossier_id, method="online")).json()["version"] == 6

    first = await download(processing, dossier_id)
    assert (first.status_code, first.content, first.headers["content-type"]) == (200, PDF, "application/pdf")
    assert first.headers["content-disposition"] == (
        "attachment; filename=\"giay chung nhan.pdf\"; "
        "filename*=UTF-8''gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn.pdf")
    record = await processing.record(dossier_id)
    assert (record["status"], record["version"], record["result"]["delivery"]["method"]) == (
        "result_returned", 7, "online")

    second = await download(processing, dossier_id)
    assert (second.status_code, second.content) == (200, PDF)
    assert (await processing.record(dossier_id))["version"] == 7
    expected = ["dossier.result_issued", "dossier.result_delivery_chosen", "dossier.result_returned"]
    await eventually(lambda: [e.type for e in processing.events if e.dossier_id == dossier_id][-3:] == expected,
                     timeout=5, what="delivery chosen, then returned, once")
    [returned] = processing.published("dossier.result_returned", dossier_id)
    assert (returned.version, returned.data["method"], returned.actor.kind) == (7, "online", "citizen")


async def test_simultaneous_first_downloads_return_the_result_once(processing: Harness) -> None:
    dossier_id = await with_result(processing)
    await choose(processing, dossier_id, method="online")
    answers = await asyncio.gather(*(download(processing, dossier_id) for _ in range(5)))
    assert {(answer.status_code, answer.content) for answer in answers} == {(200, PDF)}
    assert (await processing.record(dossier_id))["version"] == 7
    await eventually(lambda: processing.published("dossier.result_returned", dossier_id), timeout=5)
    assert len(processing.published("dossier.result_returned", dossier_id)) == 1


async def test_someone_elses_or_an_unknown_dossier_is_not_found(processing: Harness) -> None:
    dossier_id = await with_result(processing)
    await choose(processing, dossier_id, method="online")
    for answer in (await download(processing, dossier_id, owner="citizen-2"),
                   await choose(processing, dossier_id, owner="citizen-2", method="at_office"),
                   await processing.client.post(f"/dossiers/{dossier_id}/withdraw", json={"owner_id": "citizen-2"}),
                   await download(processing, "d-nobody")):
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "dossier_not_found")
    assert (await processing.record(dossier_id))["status"] == "result_ready"


async def test_the_delivery_choice_is_checked(processing: Harness) -> None:
    dossier_id = await with_result(processing, document=None)
    postal = await choose(processing, dossier_id, method="postal")
    assert (postal.status_code, list(postal.json()["error"]["fields"])) == (422, ["postal_address"])
    online = await choose(processing, dossier_id, method="online")
    assert (online.status_code, online.json()["error"]["code"]) == (409, "result_has_no_document")
    chosen = await choose(processing, dossier_id, method="postal", postal_address="12 Lý Thường Kiệt, Hà Nội")
    assert chosen.json() == {"id": dossier_id, "status": "result_ready", "version": 6}
    again = await choose(processing, dossier_id, method="postal", postal_address="12 Lý Thường Kiệt, Hà Nội")
    assert again.json()["version"] == 6  # the same choice again records nothing new
    early = await choose(processing, await processing.submit(), method="at_office")
    assert (early.status_code, early.json()["error"]["code"]) == (409, "delivery_choice_not_open")


async def test_withdraw_is_refused_once_received(processing: Harness) -> None:
    dossier_id = await processing.submit()
    await processing.act(dossier_id, "accept")
    refused = await processing.client.post(f"/dossiers/{dossier_id}/withdraw", json={"owner_id": OWNER})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "transition_not_allowed")


async def test_an_oversize_document_is_refused_and_nothing_is_stored() -> None:
    processing = await start_processing_service(max_document_bytes=1024)
    try:
        dossier_id = await processing.submit()
        for action in ("accept", "start-processing"):
            await processing.act(dossier_id, action)
        refused = await processing.issue_result(dossier_id, ("lon.pdf", PDF + b"x" * 1025, "application/pdf"))
        assert (refused.status_code, refused.json()["error"]["code"]) == (413, "document_too_large")
        assert (await processing.record(dossier_id))["status"] == "processing"
        assert await processing.blobs.ids() == []
    finally:
        await stop_processing_service(processing)


async def test_a_document_for_a_dossier_not_ready_for_a_result_is_not_kept(processing: Harness) -> None:
    dossier_id = await processing.submit()
    refused = await processing.issue_result(dossier_id, ("kq.pdf", PDF, "application/pdf"))
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "transition_not_allowed")
    assert await processing.blobs.ids() == []
