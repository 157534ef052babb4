"""A supplement request naming the documents (thành phần hồ sơ) the citizen must add files to, through both
doors: codes the procedure lists go into `dossier.supplement_requested`; any other refuses the request."""

import pytest

from services.processing.tests.harness import Harness
from shared.procedures import load_catalog
from tests.support.waiting import eventually

# SYT-KCB-02 lists, in this order: don-de-nghi, giay-phep-da-cap, anh-chan-dung, tai-lieu-thay-doi, …
LISTED = [document.code for document in load_catalog().get("SYT-KCB-02").documents]


async def test_the_codes_asked_for_go_into_the_event_once_each_in_the_catalogs_order(processing: Harness) -> None:
    assert LISTED[:3] == ["don-de-nghi", "giay-phep-da-cap", "anh-chan-dung"]
    dossier_id = await processing.submit()
    answer = await processing.act(dossier_id, "request-supplement", reason="Bổ sung ảnh và giấy phép đã cấp",
                                  documents=["anh-chan-dung", "giay-phep-da-cap", "anh-chan-dung"])
    assert answer.json() == {"id": dossier_id, "status": "supplement_requested", "version": 3}, answer.text
    await eventually(lambda: processing.published("dossier.supplement_requested", dossier_id), timeout=5)
    [requested] = processing.published("dossier.supplement_requested", dossier_id)
    assert requested.data["documents"] == ["giay-phep-da-cap", "anh-chan-dung"]
    assert requested.data["reason"] == "Bổ sung ảnh và giấy phép đã cấp"


async def test_without_documents_the_reason_alone_says_what_is_missing(processing: Harness) -> None:
    dossier_id = await processing.submit()
    command = await processing.command("request-supplement", dossier_id, {"reason": "Bổ sung bản sao"})
    assert (await processing.outcome_of(command)).type == "command.completed"
    await eventually(lambda: processing.published("dossier.supplement_requested", dossier_id), timeout=5)
    assert processing.published("dossier.supplement_requested", dossier_id)[0].data["documents"] == []


async def test_a_code_the_procedure_does_not_list_is_refused_over_http_and_nothing_changes(
    processing: Harness,
) -> None:
    dossier_id = await processing.submit()
    before = await processing.record(dossier_id)
    # "van-bang-chuyen-mon" is another procedure's document (SYT-KCB-01), not this one's.
    refused = await processing.act(dossier_id, "request-supplement", reason="Bổ sung",
                                   documents=["anh-chan-dung", "van-bang-chuyen-mon"])
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {"documents": "Thành phần hồ sơ không có trong thủ tục: van-bang-chuyen-mon"}
    assert await processing.record(dossier_id) == before


async def test_a_code_the_procedure_does_not_list_is_refused_over_the_bus_and_nothing_changes(
    processing: Harness,
) -> None:
    dossier_id = await processing.submit()
    before = await processing.record(dossier_id)
    command = await processing.command("request-supplement", dossier_id,
                                       {"reason": "Bổ sung", "documents": ["giay-phep-da-cap", "khong-co"]})
    outcome = await processing.outcome_of(command)
    assert (outcome.type, outcome.data["code"]) == ("command.rejected", "validation_error")
    assert "documents" in outcome.data["reason"]
    assert await processing.record(dossier_id) == before
    assert processing.published("dossier.supplement_requested", dossier_id) == []


@pytest.mark.parametrize("documents", [["Anh Chan Dung"], ["../etc"], [7], "anh-chan-dung"])
async def test_what_cannot_be_a_code_is_refused_as_the_contract_says(processing: Harness, documents: object) -> None:
    dossier_id = await processing.submit()
    before = await processing.record(dossier_id)
    refused = await processing.act(dossier_id, "request-supplement", reason="Bổ sung", documents=documents)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "validation_error"), refused.text
    assert any(field.startswith("documents") for field in refused.json()["error"]["fields"])
    assert await processing.record(dossier_id) == before
