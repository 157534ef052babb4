"""The shape of every reaction that takes a dossier over from another holder (a hand-over on the bus).

Intake hands a dossier to processing (`dossier.submitted`), processing to payment
(`dossier.payment_requested`) and back to intake (`dossier.supplement_requested`), payment back to
processing (`dossier.paid`). Each reaction checks the envelope (its type, and its producer: the holder
handing over), reads its payload, and takes the dossier at the event's version; what it cannot ever take
is dead-lettered, a write conflict is tried again, and a dossier that stays busy is left to the bus's
retries.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from shared.errors import DomainError
from shared.holder.errors import DossierBusy, VersionConflict
from shared.holder.write import MAX_ATTEMPTS
from shared.messages import Envelope, Payload
from shared.messaging.port import PermanentFailure
from shared.producers import read_event

P = TypeVar("P", bound=Payload)

# Take the dossier `dossier_id` at `version` as the payload says; VersionConflict when someone wrote meanwhile,
# a DomainError when the hand-over is out of turn (the sender could not have held the dossier).
TakeOver = Callable[[str, int, P], Awaitable[None]]


async def take_hand_over(event: Envelope, payload_type: type[P], take: TakeOver[P]) -> None:
    """Read the hand-over and take the dossier; PermanentFailure for what can never be taken."""
    # Only from the holder that hands it over (shared/producers.py): anyone else's is dead-lettered.
    payload = cast(P, read_event(event, frozenset({payload_type.model_fields["message_type"].default})))
    assert event.dossier_id is not None and event.version is not None  # read_event refuses one without
    for _ in range(MAX_ATTEMPTS):
        try:
            await take(event.dossier_id, event.version, payload)
        except VersionConflict:
            continue
        except DossierBusy:
            raise
        except DomainError as refusal:
            raise PermanentFailure(f"{refusal.code}: {event.type} {event.id} for dossier {event.dossier_id} "
                                   f"v{event.version}") from None
        return
    raise DossierBusy(dossier_id=event.dossier_id)
