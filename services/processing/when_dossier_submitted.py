"""The reaction to intake's `dossier.submitted`: processing takes the dossier over (đã gửi).

A dossier seen for the first time gets its record at the event's version. One sent again after a
supplement or a withdrawal is taken back at the new version; if it had been received, its due-date clock
resumes and the new due date is published. A duplicate or older delivery changes nothing.
"""

from pydantic import ValidationError

from services.processing import reception
from services.processing.command_answers import PRODUCER
from services.processing.errors import DossierBusy, SubmissionOutOfTurn, VersionConflict
from services.processing.handlers import MAX_ATTEMPTS, Processing
from shared.logging import get_logger
from shared.messages import SYSTEM, DossierSubmitted, Envelope, make_event
from shared.messaging.port import PermanentFailure

log = get_logger(__name__)


async def when_dossier_submitted_take_over(processing: Processing, event: Envelope) -> None:
    if event.dossier_id is None or event.version is None:
        raise PermanentFailure(f"dossier.submitted {event.id} without a dossier id or version")
    try:
        submitted = DossierSubmitted.model_validate(event.data)
    except ValidationError as error:
        # The count only: the invalid values may be someone's personal data.
        raise PermanentFailure(f"dossier.submitted {event.id}: {error.error_count()} invalid fields") from None
    for _ in range(MAX_ATTEMPTS):
        try:
            await _take_over(processing, event.dossier_id, event.version, submitted, event.id)
        except VersionConflict:
            continue
        return
    raise DossierBusy(dossier_id=event.dossier_id)


async def _take_over(
    processing: Processing, dossier_id: str, version: int, submitted: DossierSubmitted, event_id: str,
) -> None:
    now = processing.clock()
    known = await processing.dossiers.get(dossier_id)
    if known is None:
        await processing.dossiers.add(reception.take_new_submission(dossier_id, version, submitted, now), [])
        log.info("dossier_taken_over", dossier_id=dossier_id, version=version)
        return
    if reception.is_stale_submission(known, version):
        log.info("submission_already_known", dossier_id=dossier_id, version=version, known_version=known.version)
        return
    try:
        taken, due_date_changed = reception.resubmit(
            known, version, submitted, now, processing.today(now), processing.calendar)
    except SubmissionOutOfTurn as refusal:
        raise PermanentFailure(f"{refusal.code}: dossier {dossier_id} v{version} while {known.status}") from None
    events = []
    if due_date_changed is not None:
        events.append(make_event(due_date_changed, producer=PRODUCER, dossier_id=dossier_id,
                                 version=taken.version, actor=SYSTEM, causation_id=event_id))
    await processing.dossiers.save(taken, known.version, events)
    if events:
        processing.published()
    log.info("dossier_resubmitted", dossier_id=dossier_id, version=taken.version,
             due_date_resumed=due_date_changed is not None)
