"""The actions open to the owner, and when a dossier is overdue."""

from datetime import date

import pytest

from services.query.domain.actions import actions_open_to_owner
from services.query.domain.overdue import is_overdue
from shared.statuses import Status


@pytest.mark.parametrize(("status", "actions"), [
    (Status.DRAFT, ["edit", "delete", "submit"]),
    (Status.SUPPLEMENT_REQUESTED, ["edit", "submit"]),
    (Status.SUBMITTED, ["withdraw"]),
    (Status.PAYMENT_REQUESTED, ["pay"]),
    (Status.RESULT_READY, ["choose_delivery"]),
    (Status.RECEIVED, []),
    (Status.PROCESSING, []),
    (Status.PAID, []),
    (Status.REJECTED, []),
    (Status.RESULT_RETURNED, ["rate"]),  # until rated
])
def test_actions_by_status(status: Status, actions: list[str]) -> None:
    assert actions_open_to_owner(status, None) == actions


def test_download_only_once_the_result_can_be_downloaded() -> None:
    assert actions_open_to_owner(Status.RESULT_READY, {"downloadable": False}) == ["choose_delivery"]
    assert actions_open_to_owner(Status.RESULT_READY, {"downloadable": True}) == [
        "choose_delivery", "download_result"]


def test_a_returned_result_stays_downloadable_for_review() -> None:
    assert actions_open_to_owner(Status.RESULT_RETURNED, {"downloadable": True}, rated=True) == ["download_result"]
    assert actions_open_to_owner(Status.RESULT_RETURNED, {"downloadable": False}, rated=True) == []


@pytest.mark.parametrize("status", [Status.PROCESSING, Status.PAID, Status.REJECTED])
def test_no_download_elsewhere(status: Status) -> None:
    assert "download_result" not in actions_open_to_owner(status, {"downloadable": True})


def test_a_resubmission_of_a_received_dossier_cannot_be_withdrawn() -> None:
    assert actions_open_to_owner(Status.SUBMITTED, None, received=True) == []
    assert actions_open_to_owner(Status.SUBMITTED, None, received=False) == ["withdraw"]


TODAY = date(2025, 4, 10)


@pytest.mark.parametrize(("status", "due", "overdue"), [
    (Status.PROCESSING, date(2025, 4, 9), True),
    (Status.RECEIVED, date(2025, 4, 9), True),
    (Status.SUBMITTED, date(2025, 4, 9), True),  # resubmitted after a supplement, new date not yet set
    (Status.PAYMENT_REQUESTED, date(2025, 4, 1), True),
    (Status.PAID, date(2025, 4, 1), True),
    (Status.PROCESSING, date(2025, 4, 10), False),  # due today is not late yet
    (Status.PROCESSING, None, False),
    (Status.DRAFT, date(2025, 4, 1), False),
    (Status.SUPPLEMENT_REQUESTED, date(2025, 4, 1), False),
    (Status.RESULT_READY, date(2025, 4, 1), False),
    (Status.RESULT_RETURNED, date(2025, 4, 1), False),
    (Status.REJECTED, date(2025, 4, 1), False),
])
def test_overdue(status: Status, due: date | None, overdue: bool) -> None:
    assert is_overdue(status, due, TODAY) is overdue


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED])
def test_a_paused_clock_is_never_overdue(status: Status) -> None:
    assert is_overdue(status, date(2025, 4, 1), TODAY, clock_paused=True) is False
