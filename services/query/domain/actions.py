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
_PAID_IN_PERSON = frozenset({"at_office", "postal"})
# The result stays downloadable after it is returned, for the citizen to review it (tra cứu lại kết quả).
_RESULT_SHOWN = frozenset({Status.RESULT_READY, Status.RESULT_RETURNED})


def actions_open_to_owner(status: Status, result: dict[str, Any] | None, *, received: bool = False,
                          payment: dict[str, Any] | None = None, rated: bool = False) -> list[str]:
    """The actions by name; `received` tells a dossier that was once accepted (it has a lookup code), `rated`
    one the citizen rated already (once only)."""
    actions = list(_BY_STATUS.get(status, ()))
    if status is Status.PAYMENT_REQUESTED and _awaiting_staff(payment):
        # Chosen to pay at the office or by post: the citizen brings the money, staff confirm it. Until the
        # money arrives that choice may still give way to paying online (payment supersedes it).
        actions[actions.index("pay")] = "pay_online"
    if status is Status.SUBMITTED and received:
        # Sent again after a supplement: it was received already, and only what is not yet received can
        # be withdrawn.
        actions.remove("withdraw")
    if status in _RESULT_SHOWN and result and result.get("downloadable"):
        actions.append("download_result")
    if status is Status.RESULT_RETURNED and not rated:
        actions.append("rate")
    return actions


def _awaiting_staff(payment: dict[str, Any] | None) -> bool:
    if payment is None:
        return False
    return payment.get("state") == "pending" and payment.get("method") in _PAID_IN_PERSON
