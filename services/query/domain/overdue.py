"""Whether a dossier is late (quá hạn): computed when read, since days pass without any event."""

from datetime import date

from shared.statuses import Status

# The statuses in which the Department owes the dossier a result and its clock can run. Not a draft or a
# dossier awaiting a supplement (the citizen holds it), not a rejected one, not once the result exists.
CLOCK_RUNS = frozenset({
    Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.PAYMENT_REQUESTED, Status.PAID,
})


def is_overdue(status: Status, due_date: date | None, today: date, clock_paused: bool = False) -> bool:
    """A due date already past (in Vietnam) while the Department still owes a result and the clock runs."""
    if due_date is None or clock_paused or status not in CLOCK_RUNS:
        return False
    return due_date < today
