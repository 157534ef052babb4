"""The retry schedule of a delivery, what follows a failed attempt, and the delivery's stable ids."""

from datetime import UTC, datetime, timedelta

from services.notify.domain.delivery import GiveUp, RetryAt, RetryPolicy, after_failed_attempt, delivery_id, message_id

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
POLICY = RetryPolicy(max_attempts=8, first_delay_seconds=30, max_delay_seconds=1800)


def test_backoff_doubles_from_the_first_delay_up_to_the_cap() -> None:
    delays = [POLICY.delay_after(attempt).total_seconds() for attempt in range(1, 9)]
    assert delays == [30, 60, 120, 240, 480, 960, 1800, 1800]


def test_a_passing_failure_is_tried_again_after_the_backoff() -> None:
    assert after_failed_attempt(POLICY, 3, permanent=False, now=NOW) == RetryAt(NOW + timedelta(seconds=120))


def test_the_last_attempt_gives_up() -> None:
    assert after_failed_attempt(POLICY, 8, permanent=False, now=NOW) == GiveUp()
    assert after_failed_attempt(POLICY, 9, permanent=False, now=NOW) == GiveUp()  # claimed again after a crash


def test_a_refusal_for_good_gives_up_at_once() -> None:
    assert after_failed_attempt(POLICY, 1, permanent=True, now=NOW) == GiveUp()


def test_one_delivery_per_status_change_and_template_with_one_message_id() -> None:
    first = delivery_id("d-1", 3, "received")
    assert first == delivery_id("d-1", 3, "received") == "d-1.v3.received"
    sender = "Cổng Dịch vụ công Sở Y tế <khong-tra-loi@syt.example.vn>"
    assert message_id(first, sender) == "<notify.d-1.v3.received@syt.example.vn>"
    assert message_id("d 1/x.v3.received", sender) == "<notify.d-1-x.v3.received@syt.example.vn>"
