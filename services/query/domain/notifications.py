"""The notifications sent about a dossier (thông báo đã gửi), as the citizen sees them in its detail.

Notify reports each delivery with `notification.sent` or `notification.failed`. They are not changes of
the dossier and carry no version, so they are kept beside the dossiers, one entry per notification
(adapters/notification_log.py). Pure: the entry a report makes, and how the detail shows it.
"""

from typing import Any

from shared.messages import Envelope
from shared.notifications import NotificationFailed, NotificationSent

LABELS = {
    "received": "Xác nhận tiếp nhận hồ sơ",
    "supplement_requested": "Yêu cầu bổ sung hồ sơ",
    "rejected": "Thông báo từ chối tiếp nhận",
    "payment_requested": "Yêu cầu thanh toán phí, lệ phí",
    "paid": "Xác nhận đã thanh toán",
    "result_ready": "Thông báo đã có kết quả",
    "result_returned": "Xác nhận đã trả kết quả",
    "rescheduled": "Thư xin lỗi và hẹn lại ngày trả kết quả",
    "due_soon": "Thông báo hồ sơ sắp đến hạn",
    "overdue": "Thông báo hồ sơ quá hạn",
    "deadline_staff": "Cảnh báo thời hạn gửi phòng chuyên môn",
}
STATE_LABELS = {"sent": "Đã gửi", "failed": "Gửi không thành công"}


def notification_entry(event: Envelope) -> dict[str, Any]:
    """The stored entry for one report; the address is never kept, only whether it reached it."""
    if event.type == "notification.sent":
        sent = NotificationSent.model_validate(event.data)
        return {"_id": sent.notification_id, "dossier_id": event.dossier_id, "template": sent.template,
                "channel": sent.channel, "state": "sent", "at": sent.sent_at}
    failed = NotificationFailed.model_validate(event.data)
    return {"_id": failed.notification_id, "dossier_id": event.dossier_id, "template": failed.template,
            "channel": failed.channel, "state": "failed", "at": failed.failed_at}


def notification_view(entry: dict[str, Any]) -> dict[str, Any]:
    return {"template": entry["template"], "label": LABELS.get(entry["template"], entry["template"]),
            "channel": entry["channel"], "state": entry["state"], "state_label": STATE_LABELS[entry["state"]],
            "at": entry["at"]}

