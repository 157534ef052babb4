"""What the owner may do with a dossier now (thao tác), by status: the buttons the portal shows."""

from typing import Any

from shared.statuses import Status

_BY_STATUS: dict[Status, tuple[str, ...]] = {
    Status.DRAFT: ("edit", "delete", "submit"),
    Status.SUPPLEMENT_REQUESTED: ("edit", "submit"),
    Status.SUBMITTED: ("withdraw",),
    Status.PAYMENT_REQUESTED: ("pay",),
    Status.RESULT_READY: ("choose_delivery",),
}


def actions_open_to_owner(status: Status, result: dict[str, Any] | None) -> list[str]:
    actions = list(_BY_STATUS.get(status, ()))
    if status is Status.RESULT_READY and result and result.get("downloadable"):
        actions.append("download_result")
    return actions
