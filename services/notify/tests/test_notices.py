"""The decision table: which status changes are told to the citizen, with which template and facts."""

from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from services.notify.domain.dossier_facts import learned_from
from services.notify.domain.notices import notice_for
from services.notify.tests import events
from services.notify.tests.events import LOOKUP_CODE, OWNER, REGISTERED, TYPED_IN_FORM
from shared.lifecycle import DossierWithdrawn, DueDateChanged, ProcessingStarted, ResultDeliveryChosen
from shared.messages import DraftDeleted, Envelope, Payload
from shared.payments import PaymentStarted

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def payload_of(event: Envelope) -> Payload:
    return cast(Payload, event.payload())


def decide(event: Envelope) -> tuple[str, dict[str, Any], str | None] | None:
    notice = notice_for(payload_of(event), VIETNAM)
    return (notice.template, notice.facts, notice.recipient) if notice else None


def test_reception_is_told_with_code_dates_to_the_owner_whose_address_intake_answers() -> None:
    assert decide(events.received("d-1")) == ("received", {
        "lookup_code": LOOKUP_CODE, "received_on": "2026-03-03", "due_date": "2026-03-31", "processing_days": 20,
    }, None)


def test_a_reception_again_after_a_supplement_is_not_told_twice() -> None:
    assert decide(events.received("d-1", 6, first_reception=False)) is None


@pytest.mark.parametrize(("event", "template", "facts"), [
    (events.supplement_requested("d-1"), "supplement_requested",
     {"reason": "Bổ sung ảnh 4x6", "remaining_working_days": 15}),
    (events.rejected("d-1"), "rejected", {"reason": "Thiếu bản sao văn bằng chuyên môn"}),
    (events.payment_requested("d-1"), "payment_requested",
     {"amount_vnd": 360_000, "items": [{"kind": "phi", "name": "Phí thẩm định", "amount_vnd": 360_000}],
      "reason": None}),
    (events.payment_requested("d-1", reason="Thẩm định thực tế lần hai"), "payment_requested",
     {"amount_vnd": 360_000, "items": [{"kind": "phi", "name": "Phí thẩm định", "amount_vnd": 360_000}],
      "reason": "Thẩm định thực tế lần hai"}),
    # Paid at 17:30 UTC on 5 March: 6 March in Vietnam.
    (events.paid("d-1"), "paid",
     {"receipt_number": "BL-0001234", "amount_vnd": 360_000, "method": "at_office", "paid_on": "2026-03-06"}),
    (events.result_issued("d-1"), "result_ready",
     {"summary": "Cấp chứng chỉ hành nghề số 123/HCM-CCHN", "has_document": True}),
    (events.result_returned("d-1"), "result_returned", {"method": "online"}),
    (events.rescheduled("d-1"), "rescheduled",
     {"reason": "Chờ ý kiến thẩm định", "previous_due_date": "2026-03-31", "new_due_date": "2026-04-07"}),
])
def test_each_told_change_has_its_template_and_facts(event: Envelope, template: str, facts: dict[str, Any]) -> None:
    decided = decide(event)
    assert decided is not None and decided[:2] == (template, facts)


@pytest.mark.parametrize("payload", [
    DossierWithdrawn(), ProcessingStarted(from_status="received"), DraftDeleted(),
    DueDateChanged(due_date="2026-04-01"), ResultDeliveryChosen(method="online"),
    PaymentStarted(payment_id="p", method="online", amount_vnd=1),
])
def test_other_changes_send_nothing(payload: Payload) -> None:
    assert notice_for(payload, VIETNAM) is None


def test_a_submission_sends_nothing_but_names_the_owner_and_the_title_never_an_address() -> None:
    submitted = payload_of(events.submitted("d-1"))
    assert notice_for(submitted, VIETNAM) is None
    learned = learned_from(submitted)
    assert learned is not None and learned.owner_id == OWNER
    assert (learned.title, learned.procedure_code) == ("Cấp lại chứng chỉ hành nghề", "SYT-KCB-01")
    assert TYPED_IN_FORM not in str(learned)


def test_an_old_event_that_still_carries_the_address_is_read_and_the_address_ignored() -> None:
    old = events.received("d-1")
    old = old.model_copy(update={"data": {**old.data, "owner_email": REGISTERED, "owner_phone": "+84987654321"}})
    decided = decide(old)
    assert decided is not None and decided[0] == "received" and decided[2] is None
    assert REGISTERED not in str(learned_from(payload_of(old)))
