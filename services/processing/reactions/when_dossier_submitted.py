"""The reaction to intake's `dossier.submitted`: processing takes the dossier over (đã gửi).

A dossier seen for the first time gets its record at the event's version. One sent again after a
supplement or a withdrawal is taken back at the new version; if it had been received, its due-date clock
resumes and the new due date is published. A duplicate or older delivery changes nothing.
"""

from services.processing.dependencies import PRODUCER, Processing
from services.processing.domain import reception
from shared.holder.hand_over import take_hand_over
from shared.logging import get_logger
from shared.messages import SYSTEM, DossierSubmitted, Envelope, make_event

log = get_logger(__name__)


async def when_dossier_submitted_take_over(processing: Processing, event: Envelope) -> None:
    async def take(dossier_id: str, version: int, submitted: DossierSubmitted) -> None:
        now = processing.clock()
        known = await processing.dossiers.get(dossier_id)
        if known is None:
            await processing.dossiers.add(reception.take_new_submission(dossier_id, version, submitted, now), [])
            log.info("dossier_taken_over", dossier_id=dossier_id, version=version)
            return
        if reception.is_stale_submission(known, version):
            log.info("submission_already_known", dossier_id=dossier_id, version=version,
                     known_version=known.version)
            return
        taken, due_date_changed = reception.resubmit(
            known, version, submitted, now, processing.today(now), processing.calendar)
        events = []
        if due_date_changed is not None:
            events.append(make_event(due_date_changed, producer=PRODUCER, dossier_id=dossier_id,
                                     version=taken.version, actor=SYSTEM, causation_id=event.id))
        await processing.dossiers.save(taken, known.revision, events)
        if events:
            processing.published()
        log.info("dossier_resubmitted", dossier_id=dossier_id, version=taken.version,
                 due_date_resumed=due_date_changed is not None)

    await take_hand_over(event, DossierSubmitted, take)
