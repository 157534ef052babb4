"""Notify's delivery reports as the citizen sees them: the latest word, but a sent mail stays sent."""

from datetime import UTC, datetime

from services.query.adapters.notification_log import NotificationLog
from shared.messages import Envelope
from shared.notifications import NotificationFailed, NotificationSent
from shared.store.memory import MemoryStore

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def report(payload: NotificationSent | NotificationFailed) -> Envelope:
    return Envelope(type=payload.message_type, producer="notify", dossier_id="d-1",
                    data=payload.model_dump(mode="json"))


def sent(notification_id: str = "d-1.v4.received") -> Envelope:
    return report(NotificationSent(notification_id=notification_id, template="received", for_event_id="e-4",
                                   masked_recipient="a***@example.vn", sent_at=AT))


def failed(notification_id: str = "d-1.v4.received") -> Envelope:
    return report(NotificationFailed(notification_id=notification_id, template="received", for_event_id="e-4",
                                     error_type="MailRefused(550)", failed_at=AT))


async def test_a_report_is_kept_once_and_a_late_failure_never_undoes_a_sent_mail() -> None:
    log = NotificationLog(MemoryStore("query").db)
    await log.ensure_indexes()
    await log.record(sent())
    await log.record(sent())
    await log.record(failed())
    shown = await log.of_dossier("d-1")
    assert [(entry["label"], entry["state"], entry["state_label"]) for entry in shown] == [
        ("Xác nhận tiếp nhận hồ sơ", "sent", "Đã gửi")]
    assert "a***@example.vn" not in str(shown)


async def test_a_failure_then_a_successful_retry_shows_sent() -> None:
    log = NotificationLog(MemoryStore("query").db)
    await log.record(failed())
    assert [entry["state"] for entry in await log.of_dossier("d-1")] == ["failed"]
    await log.record(sent())
    assert [entry["state"] for entry in await log.of_dossier("d-1")] == ["sent"]
    assert await log.of_dossier("d-2") == []
