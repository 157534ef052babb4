"""Whether a dossier is late (quá hạn): computed when read, since days pass without any event."""

from datetime import date

from shared.statuses import Status, info

# Once the result exists the Department has done its part, whatever the citizen does next.
_DONE = frozenset({Status.RESULT_READY, Status.RESULT_RETURNED})


def is_overdue(status: Status, due_date: date | None, today: date) -> bool:
    """A due date already past (in Vietnam) while the Department still owes the dossier a result."""
    if due_date is None or status in _DONE or info(status).final:
        return False
    return due_date < today
