"""Reception's decisions, over every status: what each allows, what it refuses, and what it records."""

from collections.abc import Callable
from datetime import date

import pytest

from services.processing.domain import reception
from services.processing.domain.dossier import Dossier
from services.processing.errors import AlreadyReceived, SubmissionOutOfTurn
from services.processing.tests.dossiers import NOW, TODAY, WeekdaysOnly, dossier
from services.processing.tests.harness import content, sent
from shared.errors import InvalidCommand, TransitionNotAllowed
from shared.holder.write import Change
from shared.lifecycle import DossierReceived, DossierWithdrawn, SupplementRequested
from shared.messages import DossierSubmitted
from shared.procedures import load_catalog
from shared.statuses import Status

CALENDAR = WeekdaysOnly()
PROCEDURE = load_catalog().get("SYT-KCB-02")


def supplement(before: Dossier, today: date = TODAY, documents: tuple[str, ...] = ()) -> Change[Dossier]:
    return reception.request_supplement(before, "Bổ sung", documents, PROCEDURE, NOW, today, CALENDAR)

FIRST = reception.FirstReception("000.00.17.H00-260303-0001", NOW, date(2026, 3, 17))

ACTIONS: dict[str, tuple[Callable[[Dossier], Change], set[Status], Status]] = {
    "accept": (lambda d: reception.accept(d, None if d.received_once else FIRST, 10, NOW),
               {Status.SUBMITTED}, Status.RECEIVED),
    "reject": (lambda d: reception.reject(d, "Thiếu giấy tờ", NOW), {Status.SUBMITTED}, Status.REJECTED),
    "request_supplement": (supplement, {Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING},
                           Status.SUPPLEMENT_REQUESTED),
    "withdraw": (lambda d: reception.withdraw(d, NOW), {Status.SUBMITTED}, Status.DRAFT),
}
CASES = [(name, status) for name in ACTIONS for status in Status]


@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{name}-from-{status}" for name, status in CASES])
def test_each_action_moves_exactly_the_statuses_the_table_allows(action: str, status: Status) -> None:
    decide, allowed, target = ACTIONS[action]
    before = dossier(status, received=False if action == "withdraw" else None)
    if status not in allowed:
        with pytest.raises(TransitionNotAllowed) as refused:
            decide(before)
        assert (refused.value.current, refused.value.wanted) == (status.value, target.value)
        assert refused.value.http_status == 409
        return
    after, [payload] = decide(before)
    assert (after.status, after.version) == (target, before.version + 1)
    assert payload.model_dump()["to_status"] == target


def test_accept_records_the_lookup_code_receipt_and_due_date_and_tells_the_owner() -> None:
    received, [payload] = reception.accept(dossier(Status.SUBMITTED), FIRST, 10, NOW)
    assert (received.lookup_code, received.received_at, received.due_date) == (
        FIRST.lookup_code, NOW, date(2026, 3, 17))
    assert isinstance(payload, DossierReceived)
    assert (payload.lookup_code, payload.processing_days, payload.owner_id) == (FIRST.lookup_code, 10, "citizen-1")


def test_accepting_again_after_a_supplement_keeps_the_code_and_the_due_date() -> None:
    resubmitted = dossier(Status.SUBMITTED, received=True)
    received, [payload] = reception.accept(resubmitted, None, 10, NOW)
    assert (received.lookup_code, received.due_date) == (resubmitted.lookup_code, resubmitted.due_date)
    assert isinstance(payload, DossierReceived) and payload.lookup_code == resubmitted.lookup_code


def test_a_received_dossier_cannot_be_withdrawn_even_when_submitted_again() -> None:
    with pytest.raises(AlreadyReceived):
        reception.withdraw(dossier(Status.SUBMITTED, received=True), NOW)
    _, [payload] = reception.withdraw(dossier(Status.SUBMITTED), NOW)
    assert isinstance(payload, DossierWithdrawn)


def test_a_supplement_stops_the_clock_with_the_working_days_left() -> None:
    # Due Monday 16 March; on Tuesday 3 March there are 9 working days left (4-6, 9-13, 16).
    sent_back, [payload] = supplement(dossier(Status.PROCESSING))
    assert sent_back.remaining_working_days == 9
    assert isinstance(payload, SupplementRequested)
    assert (payload.from_status, payload.remaining_working_days, payload.reason) == (
        Status.PROCESSING, 9, "Bổ sung")
    _, [before_reception] = supplement(dossier(Status.SUBMITTED))
    assert isinstance(before_reception, SupplementRequested) and before_reception.remaining_working_days is None
    _, [overdue] = supplement(dossier(Status.RECEIVED), date(2026, 4, 1))
    assert isinstance(overdue, SupplementRequested) and overdue.remaining_working_days == 0


def submitted(from_status: Status = Status.SUPPLEMENT_REQUESTED) -> DossierSubmitted:
    return DossierSubmitted(from_status=from_status, owner_id="citizen-1", content=content())


def test_a_new_submission_is_held_at_the_version_intake_gave_it() -> None:
    taken = reception.take_new_submission("d-9", 4, submitted(Status.DRAFT), NOW)
    assert (taken.status, taken.version, taken.lookup_code, taken.procedure_code) == (
        Status.SUBMITTED, 4, None, "SYT-KCB-02")
    assert reception.is_stale_submission(taken, 4) and reception.is_stale_submission(taken, 3)
    assert not reception.is_stale_submission(taken, 5)


def test_a_resubmission_resumes_the_clock_of_a_dossier_received_before() -> None:
    waiting, _ = supplement(dossier(Status.RECEIVED))
    taken, changed = reception.resubmit(waiting, waiting.version + 3, submitted(), NOW, date(2026, 3, 20), CALENDAR)
    # 9 working days after Friday 20 March: 23-27 March, 30-31 March, 1-2 April.
    assert changed is not None and changed.due_date == date(2026, 4, 2) == taken.due_date
    assert (taken.status, taken.version, taken.lookup_code) == (
        Status.SUBMITTED, waiting.version + 4, waiting.lookup_code)
    assert taken.remaining_working_days is None


def test_a_resubmission_before_reception_sets_no_due_date() -> None:
    waiting, _ = supplement(dossier(Status.SUBMITTED))
    taken, changed = reception.resubmit(waiting, waiting.version + 2, submitted(), NOW, TODAY, CALENDAR)
    assert changed is None and (taken.version, taken.due_date) == (waiting.version + 2, None)


@pytest.mark.parametrize("status", sorted(set(Status) - reception.HELD_BY_INTAKE))
def test_a_newer_submission_of_a_dossier_processing_holds_is_out_of_turn(status: Status) -> None:
    with pytest.raises(SubmissionOutOfTurn):
        reception.resubmit(dossier(status), 99, submitted(), NOW, TODAY, CALENDAR)


def test_a_supplement_names_the_procedures_documents_once_each_in_the_catalogs_order() -> None:
    _, [payload] = supplement(dossier(Status.RECEIVED), documents=("anh-chan-dung", "don-de-nghi", "anh-chan-dung"))
    assert isinstance(payload, SupplementRequested) and payload.documents == ["don-de-nghi", "anh-chan-dung"]
    _, [without] = supplement(dossier(Status.RECEIVED))
    assert isinstance(without, SupplementRequested) and without.documents == []


def test_a_supplement_naming_a_document_the_procedure_does_not_list_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        supplement(dossier(Status.RECEIVED), documents=("don-de-nghi", "khong-co", "cung-khong", "khong-co"))
    assert refused.value.details["fields"] == {
        "documents": "Thành phần hồ sơ không có trong thủ tục: khong-co, cung-khong"}
    assert refused.value.http_status == 422


def test_a_submission_brings_its_documents_and_a_resubmission_replaces_them() -> None:
    first = submitted(Status.DRAFT).model_copy(update={"documents": [sent("don-de-nghi", "don.pdf")]})
    taken = reception.take_new_submission("d-9", 2, first, NOW)
    assert [document.code for document in taken.documents] == ["don-de-nghi"]
    waiting, _ = supplement(taken)
    again = submitted().model_copy(update={"documents": [*first.documents, sent("anh-chan-dung", "anh.jpg")]})
    resent, _ = reception.resubmit(waiting, 5, again, NOW, TODAY, CALENDAR)
    assert [document.code for document in resent.documents] == ["don-de-nghi", "anh-chan-dung"]
