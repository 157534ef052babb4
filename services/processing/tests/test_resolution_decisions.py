"""Processing and result decisions, over every status: what each allows, refuses and records."""

from collections.abc import Callable

import pytest

from services.processing.domain import resolution
from services.processing.domain.dossier import Delivery, Dossier
from services.processing.errors import (
    DeliveryChoiceNotOpen,
    OnlineDeliveryNotChosen,
    PostalAddressRequired,
    ResultHasNoDocument,
    ResultNotAvailable,
)
from services.processing.tests.dossiers import DOCUMENT, NOW, dossier
from shared.errors import InvalidCommand, TransitionNotAllowed
from shared.holder.write import Change
from shared.lifecycle import DeliveryMethod, ResultDeliveryChosen, ResultIssued, ResultReturned
from shared.statuses import Status

ACTIONS: dict[str, tuple[Callable[[Dossier], Change], set[Status], Status]] = {
    "start_processing": (lambda d: resolution.start_processing(d, NOW),
                         {Status.RECEIVED, Status.PAID}, Status.PROCESSING),
    "issue_result": (lambda d: resolution.issue_result(d, "Cấp giấy phép", DOCUMENT, NOW),
                     {Status.PROCESSING, Status.PAID}, Status.RESULT_READY),
    "mark_returned": (lambda d: resolution.mark_returned(d, "at_office", NOW),
                      {Status.RESULT_READY}, Status.RESULT_RETURNED),
}
CASES = [(name, status) for name in ACTIONS for status in Status]


@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{name}-from-{status}" for name, status in CASES])
def test_each_action_moves_exactly_the_statuses_the_table_allows(action: str, status: Status) -> None:
    decide, allowed, target = ACTIONS[action]
    before = dossier(status)
    if status not in allowed:
        with pytest.raises(TransitionNotAllowed) as refused:
            decide(before)
        assert (refused.value.current, refused.value.wanted) == (status.value, target.value)
        return
    after, [payload] = decide(before)
    assert (after.status, after.version) == (target, before.version + 1)
    assert payload.model_dump()["to_status"] == target
    assert (after.lookup_code, after.due_date) == (before.lookup_code, before.due_date)


def test_the_issued_result_refers_to_the_document_and_carries_no_bytes() -> None:
    issued, [payload] = resolution.issue_result(dossier(Status.PROCESSING), "Cấp giấy phép", DOCUMENT, NOW)
    assert isinstance(payload, ResultIssued)
    assert issued.result is not None and issued.result.document == DOCUMENT
    assert payload.model_dump(mode="json")["document"] == {
        "id": "doc-1", "filename": "giay-phep.pdf", "content_type": "application/pdf", "size_bytes": 3}


@pytest.mark.parametrize("status", sorted(set(Status) - {Status.RESULT_READY}))
def test_the_delivery_can_be_chosen_only_while_the_result_waits(status: Status) -> None:
    with pytest.raises(DeliveryChoiceNotOpen):
        resolution.choose_delivery(dossier(status), Delivery("at_office"), NOW)


def test_choosing_the_delivery_records_it_once() -> None:
    ready = dossier(Status.RESULT_READY)
    chosen, [payload] = resolution.choose_delivery(ready, Delivery("postal", "12 Lý Thường Kiệt, Hà Nội"), NOW) or (
        None, (None,))
    assert chosen is not None and chosen.version == ready.version + 1 and chosen.status is Status.RESULT_READY
    assert isinstance(payload, ResultDeliveryChosen) and payload.postal_address == "12 Lý Thường Kiệt, Hà Nội"
    assert resolution.choose_delivery(chosen, Delivery("postal", "12 Lý Thường Kiệt, Hà Nội"), NOW) is None
    with pytest.raises(PostalAddressRequired):
        resolution.choose_delivery(ready, Delivery("postal", "  "), NOW)
    with pytest.raises(ResultHasNoDocument):
        resolution.choose_delivery(dossier(Status.RESULT_READY, document=False), Delivery("online"), NOW)


def test_only_the_first_online_download_returns_the_result() -> None:
    ready = dossier(Status.RESULT_READY, delivery="online")
    returned, [payload] = resolution.return_online(ready, NOW) or (None, (None,))
    assert returned is not None and returned.status is Status.RESULT_RETURNED
    assert isinstance(payload, ResultReturned) and payload.method == "online"
    assert resolution.return_online(returned, NOW) is None


@pytest.mark.parametrize(("record", "refusal"), [
    (dossier(Status.PROCESSING), ResultNotAvailable),
    (dossier(Status.RESULT_READY, document=False, delivery="at_office"), ResultHasNoDocument),
    (dossier(Status.RESULT_READY), OnlineDeliveryNotChosen),
    (dossier(Status.RESULT_READY, delivery="postal"), OnlineDeliveryNotChosen),
    (dossier(Status.RESULT_RETURNED, delivery="at_office"), OnlineDeliveryNotChosen),
])
def test_a_download_needs_a_document_and_the_online_delivery(record: Dossier, refusal: type[Exception]) -> None:
    with pytest.raises(refusal):
        resolution.return_online(record, NOW)


def test_marking_returned_takes_the_citizens_choice_by_default() -> None:
    returned, [payload] = resolution.mark_returned(dossier(Status.RESULT_READY, delivery="postal"), None, NOW)
    assert isinstance(payload, ResultReturned) and payload.method == "postal"
    assert returned.result is not None and returned.result.delivery == Delivery("postal")
    _, [at_office] = resolution.mark_returned(dossier(Status.RESULT_READY, delivery="at_office"), None, NOW)
    assert isinstance(at_office, ResultReturned) and at_office.method == "at_office"


@pytest.mark.parametrize("chosen", [None, "online"])
def test_without_a_choice_to_follow_staff_must_say_how_they_handed_it_over(chosen: DeliveryMethod | None) -> None:
    with pytest.raises(InvalidCommand) as refused:
        resolution.mark_returned(dossier(Status.RESULT_READY, delivery=chosen), None, NOW)
    assert set(refused.value.details["fields"]) == {"method"}


def test_a_posted_result_keeps_its_tracking_number_and_only_a_posted_one() -> None:
    ready = dossier(Status.RESULT_READY, delivery="postal")
    returned, [payload] = resolution.mark_returned(ready, None, NOW, " EV123456789VN ")
    assert isinstance(payload, ResultReturned) and payload.tracking_number == "EV123456789VN"
    assert returned.result is not None and returned.result.delivery is not None
    assert returned.result.delivery.tracking_number == "EV123456789VN"
    with pytest.raises(InvalidCommand) as refused:
        resolution.mark_returned(ready, "at_office", NOW, "EV123456789VN")
    assert set(refused.value.details["fields"]) == {"tracking_number"}
