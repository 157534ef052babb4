"""The status catalog is DESIGN.md's table, and the transition rule refuses everything else."""

import pytest

from shared.errors import TransitionNotAllowed
from shared.statuses import CATALOG, Holder, Status, can_move, ensure_can_move, info, label

ALLOWED = {
    ("draft", "submitted"),
    ("submitted", "draft"), ("submitted", "received"), ("submitted", "supplement_requested"),
    ("submitted", "rejected"),
    ("supplement_requested", "submitted"),
    ("received", "processing"), ("received", "payment_requested"), ("received", "supplement_requested"),
    ("processing", "payment_requested"), ("processing", "result_ready"),
    ("processing", "supplement_requested"),
    ("payment_requested", "paid"),
    ("paid", "processing"), ("paid", "result_ready"),
    ("result_ready", "result_returned"),
}


def test_catalog_order_labels_and_holders() -> None:
    assert [entry.code.value for entry in CATALOG] == [
        "draft", "submitted", "supplement_requested", "rejected", "received", "processing",
        "payment_requested", "paid", "result_ready", "result_returned"]
    assert label(Status.RESULT_RETURNED) == "Đã trả kết quả"
    assert label(Status.SUPPLEMENT_REQUESTED) == "Yêu cầu bổ sung"
    assert {entry.code for entry in CATALOG if entry.holder == Holder.INTAKE} == {
        Status.DRAFT, Status.SUPPLEMENT_REQUESTED}
    assert info(Status.PAYMENT_REQUESTED).holder == Holder.PAYMENT
    assert {entry.code for entry in CATALOG if entry.final} == {Status.REJECTED, Status.RESULT_RETURNED}


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("wanted", list(Status))
def test_every_transition_is_allowed_or_refused_as_the_table_says(current: Status, wanted: Status) -> None:
    expected = (current.value, wanted.value) in ALLOWED
    assert can_move(current, wanted) is expected
    if expected:
        ensure_can_move(current, wanted)
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            ensure_can_move(current, wanted)
        assert (refused.value.current, refused.value.wanted) == (current.value, wanted.value)
        assert refused.value.http_status == 409
