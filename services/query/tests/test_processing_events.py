"""Applying processing's events (tiếp nhận, bổ sung, giải quyết, trả kết quả) to a read-model document."""

from datetime import date, timedelta

import pytest

from services.query.domain.dates import stored_time
from services.query.domain.document import Document
from services.query.domain.projection import UnreadableEvent, project
from services.query.domain.views import result_view
from services.query.tests.factory import (
    LOOKUP_CODE,
    START,
    created,
    delivery,
    due_changed,
    event,
    fold,
    issued,
    received,
    rejected,
    resubmitted,
    returned,
    staff_event,
    started,
    status_change,
    submitted,
    supplement,
    withdrawn,
)
from shared.lifecycle import ResultReturned
from shared.messages import Envelope


def names(code: str) -> str | None:
    return "Cấp giấy phép hành nghề"


def fold_all(*events: Envelope) -> Document:
    return fold(events, names)


def sent() -> list[Envelope]:
    """A draft (version 1) submitted (version 2)."""
    return [event(created(), 1), event(submitted(), 2)]


def accepted() -> list[Envelope]:
    """Sent, then received (version 3)."""
    return [*sent(), staff_event(received(), 3)]


def ready(with_document: bool = True) -> list[Envelope]:
    """Accepted, processed (4) and with its result issued (5)."""
    return [*accepted(), staff_event(started(), 4), staff_event(issued(with_document), 5)]


def test_withdrawn_is_a_draft_again_without_filing_time() -> None:
    document = fold_all(*sent(), event(withdrawn(), 3))
    assert (document["status"], document["submitted_at"], document["lookup_code"]) == ("draft", None, None)
    assert document["filed_at"] == document["created_at"]
    assert document["history"][-1]["from"] == "submitted" and document["history"][-1]["to"] == "draft"
    assert document["history"][-1]["actor"]["kind"] == "citizen"


def test_received_sets_lookup_code_dates_and_search_text() -> None:
    document = fold_all(*accepted())
    assert (document["status"], document["lookup_code"]) == ("received", LOOKUP_CODE)
    assert document["lookup_key"] == LOOKUP_CODE.upper()
    assert document["received_at"] == stored_time(START + timedelta(hours=3))
    assert (document["due_date"], document["processing_days"]) == ("2025-03-24", 15)
    assert document["clock_paused"] is False
    assert LOOKUP_CODE.lower() in document["search_text"]
    assert document["history"][-1] == {"at": stored_time(START + timedelta(hours=3)), "from": "submitted",
                                       "to": "received", "actor": {"kind": "staff", "id": "clerk-7"},
                                       "reason": None, "documents": []}


def test_lookup_key_is_case_free() -> None:
    document = fold_all(*sent(), staff_event(received(code="h35.22-abc"), 3))
    assert (document["lookup_code"], document["lookup_key"]) == ("h35.22-abc", "H35.22-ABC")


def test_rejected_keeps_the_reason_for_the_citizen() -> None:
    document = fold_all(*sent(), staff_event(rejected("Sai thủ tục"), 3))
    assert (document["status"], document["last_reason"]) == ("rejected", "Sai thủ tục")
    assert document["history"][-1]["reason"] == "Sai thủ tục"


def test_supplement_after_reception_stops_the_clock() -> None:
    document = fold_all(*accepted(), staff_event(supplement(remaining=7), 4))
    assert document["status"] == "supplement_requested"
    assert (document["clock_paused"], document["remaining_working_days"]) == (True, 7)
    assert document["last_reason"] == document["history"][-1]["reason"] == "Thiếu bản sao văn bằng"
    assert document["lookup_code"] == LOOKUP_CODE


def test_supplement_before_reception_has_no_clock_to_stop() -> None:
    document = fold_all(*sent(), staff_event(supplement(from_status="submitted", remaining=None), 3))
    assert (document["clock_paused"], document["remaining_working_days"]) == (False, None)
    assert document["lookup_code"] is None


def test_resubmission_replaces_content_keeps_filing_time_and_code() -> None:
    first = fold_all(*accepted())
    document = fold_all(*accepted(), staff_event(supplement(), 4), event(resubmitted(title="Đã bổ sung"), 5))
    assert (document["status"], document["title"]) == ("submitted", "Đã bổ sung")
    assert document["submitted_at"] == first["submitted_at"]
    assert document["lookup_code"] == LOOKUP_CODE and document["received_at"] == first["received_at"]
    assert (document["clock_paused"], document["remaining_working_days"]) == (False, None)
    assert document["history"][-1]["from"] == "supplement_requested"
    assert "da bo sung" in document["search_text"]


def test_due_date_changed_moves_the_date_without_a_status_change() -> None:
    before = fold_all(*accepted(), staff_event(supplement(), 4), event(resubmitted(), 5))
    document = project(before, staff_event(due_changed(date(2025, 4, 2)), 6), names)
    assert (document["due_date"], document["status"], document["version"]) == ("2025-04-02", "submitted", 6)
    assert len(document["history"]) == len(before["history"])


def test_processing_started() -> None:
    document = fold_all(*accepted(), staff_event(started(), 4))
    assert document["status"] == "processing"
    assert [entry["to"] for entry in document["history"]] == ["draft", "submitted", "received", "processing"]


def test_result_issued_keeps_metadata_only_and_is_not_downloadable_yet() -> None:
    document = fold_all(*ready())
    assert document["status"] == "result_ready"
    assert document["result"] == {
        "summary": "Cấp giấy phép số 12/GP", "delivery": None, "downloadable": False,
        "document": {"id": "doc-1", "filename": "giay-phep.pdf", "content_type": "application/pdf",
                     "size_bytes": 52_000}}


@pytest.mark.parametrize(("method", "address", "downloadable", "kept_address"), [
    ("online", None, True, None),
    ("at_office", "12 Lê Lợi, Huế", False, None),  # an address for nothing is not kept
    ("postal", "12 Lê Lợi, Huế", False, "12 Lê Lợi, Huế"),
])
def test_delivery_chosen(method: str, address: str | None, downloadable: bool, kept_address: str | None) -> None:
    document = fold_all(*ready(), event(delivery(method, address), 6))
    assert document["status"] == "result_ready" and len(document["history"]) == 5
    assert document["result"]["delivery"] == {"method": method, "postal_address": kept_address}
    assert document["result"]["downloadable"] is downloadable


def test_online_delivery_without_a_document_is_not_downloadable() -> None:
    document = fold_all(*ready(with_document=False), event(delivery("online"), 6))
    assert document["result"]["downloadable"] is False


def test_result_returned_online_stays_downloadable() -> None:
    document = fold_all(*ready(), event(delivery("online"), 6), staff_event(returned("online"), 7))
    assert document["status"] == "result_returned"
    assert document["result"]["downloadable"] is True
    assert document["history"][-1]["from"] == "result_ready"


def test_result_returned_otherwise_records_how_it_went() -> None:
    chose_post = event(delivery("postal", "12 Lê Lợi, Huế"), 6)
    by_post = fold_all(*ready(), chose_post, staff_event(returned("postal"), 7))
    assert by_post["result"]["delivery"] == {"method": "postal", "postal_address": "12 Lê Lợi, Huế"}
    at_office = fold_all(*ready(), event(delivery("online"), 6), staff_event(returned("at_office"), 7))
    assert at_office["result"]["delivery"] == {"method": "at_office", "postal_address": None}
    assert at_office["result"]["downloadable"] is False


def test_a_posted_result_shows_its_tracking_number() -> None:
    chose_post = event(delivery("postal", "12 Lê Lợi, Huế"), 6)
    posted = ResultReturned.model_validate({"method": "postal", "tracking_number": "EV123456789VN"})
    document = fold_all(*ready(), chose_post, staff_event(posted, 7))
    assert document["result"]["delivery"] == {"method": "postal", "postal_address": "12 Lê Lợi, Huế",
                                              "tracking_number": "EV123456789VN"}
    shown = result_view(document["result"])
    assert shown is not None and shown["tracking_number"] == "EV123456789VN"


@pytest.mark.parametrize("bad", [
    status_change("dossier.received", 3, {"from_status": "submitted", "to_status": "received"}),
    status_change("dossier.result_delivery_chosen", 3, {"method": "pigeon"}),
    status_change("dossier.due_date_changed", 3, {"due_date": "soon"}),
])
def test_processing_events_are_parsed_by_their_contract(bad: Envelope) -> None:
    with pytest.raises(UnreadableEvent):
        project(fold_all(*sent()), bad, names)
