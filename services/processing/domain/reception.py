"""Reception (tiếp nhận hồ sơ): taking a submission over, accepting, rejecting, asking for a supplement,
letting the citizen withdraw. Pure decisions over `Dossier`, no I/O."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from services.processing.domain.dossier import Dossier, WorkingDays
from services.processing.errors import AlreadyReceived, SubmissionOutOfTurn
from shared.errors import InvalidCommand
from shared.holder.write import Change
from shared.lifecycle import DossierReceived, DossierRejected, DossierWithdrawn, DueDateChanged, SupplementRequested
from shared.messages import DossierSubmitted
from shared.procedures import Procedure
from shared.statuses import Status, ensure_can_move

# Intake holds a dossier in these; a newer submission can only come from one of them.
HELD_BY_INTAKE = frozenset({Status.DRAFT, Status.SUPPLEMENT_REQUESTED})


@dataclass(frozen=True)
class FirstReception:
    """What a dossier gets when it is received for the first time: its lookup code and due date."""

    lookup_code: str
    received_at: datetime
    due_date: date


def take_new_submission(dossier_id: str, version: int, submitted: DossierSubmitted, now: datetime) -> Dossier:
    """The record of a dossier processing has never seen, as intake handed it over (version included)."""
    return Dossier(id=dossier_id, owner_id=submitted.owner_id, procedure_code=submitted.content.procedure_code,
                   status=Status.SUBMITTED, version=version, updated_at=now, documents=tuple(submitted.documents))


def is_stale_submission(dossier: Dossier, version: int) -> bool:
    """A redelivered or older submission: processing already knows this version or a later one."""
    return version <= dossier.version


def resubmit(
    dossier: Dossier, version: int, submitted: DossierSubmitted, now: datetime, today: date,
    calendar: WorkingDays,
) -> tuple[Dossier, DueDateChanged | None]:
    """Take back a dossier the citizen sent again (after a supplement or a withdrawal).

    A dossier received before keeps its lookup code, and its due-date clock resumes with what was left. The
    documents are those sent now: a supplement adds files, so the latest submission lists them all.
    """
    if dossier.status not in HELD_BY_INTAKE:
        raise SubmissionOutOfTurn(status=dossier.status, version=version)
    taken = replace(dossier, status=Status.SUBMITTED, version=version, updated_at=now,
                    procedure_code=submitted.content.procedure_code, documents=tuple(submitted.documents))
    if dossier.remaining_working_days is None:
        return taken, None
    due_date = calendar.add_working_days(today, dossier.remaining_working_days)
    resumed = replace(taken, due_date=due_date, remaining_working_days=None, version=version + 1)
    return resumed, DueDateChanged(due_date=due_date)


def ensure_can_accept(dossier: Dossier) -> None:
    ensure_can_move(dossier.status, Status.RECEIVED)


def accept(dossier: Dossier, first: FirstReception | None, processing_days: int, now: datetime) -> Change[Dossier]:
    """Receive the dossier (tiếp nhận). Received once before, it keeps its lookup code and due date."""
    ensure_can_accept(dossier)
    if not dossier.received_once:
        if first is None:
            raise ValueError("a dossier received for the first time needs its lookup code and due date")
        dossier = replace(dossier, lookup_code=first.lookup_code, received_at=first.received_at,
                          due_date=first.due_date)
    assert dossier.lookup_code and dossier.received_at and dossier.due_date
    received = replace(dossier, status=Status.RECEIVED, version=dossier.version + 1, updated_at=now)
    return Change(received, [DossierReceived(
        lookup_code=dossier.lookup_code, received_at=dossier.received_at, due_date=dossier.due_date,
        processing_days=processing_days, owner_id=dossier.owner_id)])


def reject(dossier: Dossier, reason: str, now: datetime) -> Change[Dossier]:
    """Refuse to receive the dossier (từ chối tiếp nhận), saying why; final."""
    ensure_can_move(dossier.status, Status.REJECTED)
    rejected = replace(dossier, status=Status.REJECTED, version=dossier.version + 1, updated_at=now)
    return Change(rejected, [DossierRejected(reason=reason)])


def request_supplement(
    dossier: Dossier, reason: str, documents: Sequence[str], procedure: Procedure, now: datetime, today: date,
    calendar: WorkingDays,
) -> Change[Dossier]:
    """Send the dossier back for the citizen to complete (yêu cầu bổ sung): the due-date clock stops.

    `documents` names the procedure's documents (their codes) the citizen must add files to.
    """
    requested = requested_documents(procedure, documents)
    ensure_can_move(dossier.status, Status.SUPPLEMENT_REQUESTED)
    remaining = None
    if dossier.due_date is not None:
        remaining = max(0, calendar.working_days_between(today, dossier.due_date))
    sent_back = replace(dossier, status=Status.SUPPLEMENT_REQUESTED, version=dossier.version + 1,
                        updated_at=now, remaining_working_days=remaining)
    return Change(sent_back, [SupplementRequested(from_status=dossier.status, reason=reason,
                                                  remaining_working_days=remaining, documents=requested)])


def requested_documents(procedure: Procedure, codes: Sequence[str]) -> list[str]:
    """The codes as the procedure lists its documents: each once, in the catalog's order, which is the order
    the citizen sees them in; a code the procedure does not list refuses the whole request."""
    listed = [document.code for document in procedure.documents]
    unknown = list(dict.fromkeys(code for code in codes if code not in listed))
    if unknown:
        raise InvalidCommand({"documents": f"Thành phần hồ sơ không có trong thủ tục: {', '.join(unknown)}"})
    return [code for code in listed if code in codes]


def withdraw(dossier: Dossier, now: datetime) -> Change[Dossier]:
    """The citizen takes back a submission not yet received (rút hồ sơ): a draft again, held by intake."""
    ensure_can_move(dossier.status, Status.DRAFT)
    if dossier.received_once:
        raise AlreadyReceived(lookup_code=dossier.lookup_code)
    withdrawn = replace(dossier, status=Status.DRAFT, version=dossier.version + 1, updated_at=now)
    return Change(withdrawn, [DossierWithdrawn()])
