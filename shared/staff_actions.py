"""Who applies each staff action, and who holds the dossier after it: one table, read off the status catalog.

Each action names the status it leads to. The service that applies it is the holder of the statuses the
action starts from (one writer per dossier state); the service that holds the dossier after it is the
holder of the status it leads to. The gateway's routing, its read-your-writes waits, the portal's buttons
and the services' command bindings are all derived from here.
"""

from dataclasses import dataclass
from functools import cached_property

from shared.statuses import CATALOG, Holder, Status, info

COMMAND_PREFIX = "staff."


@dataclass(frozen=True)
class StaffAction:
    """One action of the Reception and Result Return Unit (thao tác của cán bộ): `staff.<name>` on the bus,
    `POST /v1/staff/dossiers/{id}/<name>` over HTTP."""

    name: str
    # None for an action that moves no status (reschedule): it is applied in `stays_in` and stays there.
    leads_to: Status | None
    stays_in: frozenset[Status] = frozenset()

    @cached_property
    def starts_from(self) -> frozenset[Status]:
        if self.leads_to is None:
            return self.stays_in
        return frozenset(entry.code for entry in CATALOG if self.leads_to in entry.next)

    @cached_property
    def applied_by(self) -> Holder:
        """The holder of the statuses the action starts from: the only service that may apply it."""
        holders = {info(status).holder for status in self.starts_from}
        if len(holders) != 1:
            raise ValueError(f"staff action {self.name}: its starting statuses have holders {sorted(holders)}")
        return holders.pop()

    @property
    def hands_to(self) -> Holder:
        """Who holds the dossier once the action is applied."""
        return self.applied_by if self.leads_to is None else info(self.leads_to).holder

    @property
    def hands_over(self) -> bool:
        """The action passes the dossier to another service (which must have it before the next command)."""
        return self.hands_to is not self.applied_by

    @property
    def routing_key(self) -> str:
        return COMMAND_PREFIX + self.name


S = Status
STAFF_ACTIONS: tuple[StaffAction, ...] = (
    StaffAction("accept", S.RECEIVED),
    StaffAction("reject", S.REJECTED),
    StaffAction("request-supplement", S.SUPPLEMENT_REQUESTED),
    StaffAction("start-processing", S.PROCESSING),
    StaffAction("request-payment", S.PAYMENT_REQUESTED),
    StaffAction("confirm-payment", S.PAID),
    StaffAction("issue-result", S.RESULT_READY),
    StaffAction("mark-returned", S.RESULT_RETURNED),
    # Xin lỗi và hẹn lại ngày trả kết quả: a later due date while the Department still works on the dossier.
    StaffAction("reschedule", None, frozenset({S.RECEIVED, S.PROCESSING, S.PAID})),
)
BY_NAME: dict[str, StaffAction] = {action.name: action for action in STAFF_ACTIONS}


def applied_by(holder: Holder) -> tuple[str, ...]:
    """The names of the actions `holder` applies, in the table's order (its command bindings)."""
    return tuple(action.name for action in STAFF_ACTIONS if action.applied_by is holder)
