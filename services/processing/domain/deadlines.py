"""Rescheduling (xin lỗi và hẹn lại ngày trả kết quả): when the Department cannot keep the due date, staff
set a later working day and say why; the citizen gets an apology slip. Pure, no I/O."""

from dataclasses import replace
from datetime import date, datetime

from services.processing.domain.dossier import Dossier, WorkingDays
from services.processing.errors import RescheduleNotLater, RescheduleNotOpen, RescheduleNotWorkingDay
from shared.holder.write import Change
from shared.lifecycle import DossierDueSoon, DossierOverdue, DossierRescheduled
from shared.staff_actions import BY_NAME

RESCHEDULABLE = BY_NAME["reschedule"].starts_from
# The statuses processing holds while the Department owes a result: where its deadline watch warns. A dossier
# awaiting payment is payment's; it is warned of once back (paid), if still at risk.
WATCHED = RESCHEDULABLE


def reschedule(dossier: Dossier, new_due_date: date, reason: str, today: date, now: datetime,
               calendar: WorkingDays) -> Change[Dossier]:
    """The dossier with its new appointment; the first due date is kept, and lateness is remembered.

    `today` is the day in Vietnam: a dossier rescheduled after its due date has passed is late, for good.
    """
    if dossier.status not in RESCHEDULABLE or dossier.due_date is None:
        raise RescheduleNotOpen(status=dossier.status.value)
    if new_due_date <= dossier.due_date or new_due_date < today:
        raise RescheduleNotLater(due_date=dossier.due_date.isoformat(), new_due_date=new_due_date.isoformat())
    if not calendar.is_working_day(new_due_date):
        raise RescheduleNotWorkingDay(new_due_date=new_due_date.isoformat())
    original = dossier.original_due_date or dossier.due_date
    late = dossier.rescheduled_late or today > dossier.due_date
    changed = replace(dossier, due_date=new_due_date, original_due_date=original, rescheduled_late=late,
                      version=dossier.version + 1, updated_at=now)
    return Change(changed, [DossierRescheduled(
        status=dossier.status, previous_due_date=dossier.due_date, new_due_date=new_due_date,
        original_due_date=original, reason=reason, late=late, owner_id=dossier.owner_id)])


def warn(dossier: Dossier, today: date, now: datetime, calendar: WorkingDays,
         due_soon_working_days: int) -> Change[Dossier] | None:
    """The deadline warning the dossier is owed on `today` (sắp đến hạn, or quá hạn), or None.

    Once per due date and kind: the warnings given are kept in the record, whose write is conditional on
    its version, so two replicas of the watch publish each warning once. A rescheduled date warns again.
    """
    if dossier.status not in WATCHED or dossier.due_date is None:
        return None
    due = dossier.due_date
    payload: DossierDueSoon | DossierOverdue
    if due < today:
        kind = "overdue"
        payload = DossierOverdue(due_date=due, procedure_code=dossier.procedure_code, owner_id=dossier.owner_id)
    else:
        left = calendar.working_days_between(today, due)
        if left > due_soon_working_days:
            return None
        kind = "due_soon"
        payload = DossierDueSoon(due_date=due, working_days_left=left, procedure_code=dossier.procedure_code,
                                 owner_id=dossier.owner_id)
    key = f"{kind}:{due.isoformat()}"
    if key in dossier.warned:
        return None
    warned = replace(dossier, warned=(*dossier.warned, key), version=dossier.version + 1, updated_at=now)
    return Change(warned, [payload])
