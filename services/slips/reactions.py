"""The slips service's bus reactions: learn from each event (and from intake, for the applicant the events do
not carry) what its slips will say of the dossier, and issue the slip a step calls for (reception,
supplement request, rejection, payment)."""

from services.slips.dependencies import Slips
from services.slips.domain.facts import FACT_TYPES, applicant_facts, learned_from
from services.slips.domain.kinds import RULES_BY_EVENT, SLIP_EVENT_TYPES
from services.slips.handlers import issue_slip
from shared.dossier_content import DossierContentAnswer
from shared.messages import DossierSubmitted, Envelope, Payload
from shared.messaging.port import PermanentFailure
from shared.producers import read_event

CONSUMED = frozenset({*FACT_TYPES, *SLIP_EVENT_TYPES})


async def when_dossier_event_learn_facts(slips: Slips, event: Envelope) -> None:
    """A submission, a reception, a choice of result delivery: what the next slips say of the dossier."""
    dossier_id, version, payload = _read(event)
    learned = learned_from(payload)
    if isinstance(payload, DossierSubmitted):
        learned = {**(learned or {}), **applicant_facts(await _content(slips, dossier_id))}
    if learned is not None:
        await slips.book.learn(dossier_id, version, learned)


async def when_step_done_issue_slip(slips: Slips, event: Envelope) -> None:
    """Issue the step's slip, once: the receipt on reception, a supplement slip on each request, the
    refusal on rejection, the fee receipt when a payment is settled (the kind table, domain/kinds.py)."""
    await when_dossier_event_learn_facts(slips, event)
    rule = RULES_BY_EVENT.get(event.type)
    if rule is not None:
        await issue_slip(slips, event, _read(event)[2], rule.kind)


async def _content(slips: Slips, dossier_id: str) -> DossierContentAnswer:
    answer = await slips.contents.content(dossier_id)  # IntakeUnreachable: the bus tries the event again
    if answer is None:  # intake never deletes a dossier once sent: no retry will find it
        raise PermanentFailure(f"intake has no content for submitted dossier {dossier_id[:64]}")
    return answer


def _read(event: Envelope) -> tuple[str, int, Payload]:
    # Only the types the queue is bound to, each from the service that writes it (shared/producers.py).
    payload = read_event(event, CONSUMED)
    assert event.dossier_id is not None and event.version is not None  # read_event refuses one without
    return event.dossier_id, event.version, payload
