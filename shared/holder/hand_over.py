"""The shape of every reaction that takes a dossier over from another holder (a hand-over on the bus).

Intake hands a dossier to processing (`dossier.submitted`), processing to payment
(`dossier.payment_requested`) and back to intake (`dossier.supplement_requested`), payment back to
processing (`dossier.paid`). Each reaction checks the envelope, reads its payload, and takes the dossier
at the event's version; what it cannot ever take is dead-lettered, a write conflict is tried again, and a
dossier that stays busy is left to the bus's retries.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import ValidationError

from shared.errors import DomainError
from shared.holder.errors import DossierBusy, VersionConflict
from shared.holder.write import MAX_ATTEMPTS
from shared.messages import Envelope, Payload
from shared.messaging.port import PermanentFailure

P = TypeVar("P", bound=Payload)

# Take the dossier `dossier_id` at `version` as the payload says; VersionConflict when someone wrote meanwhile,
# a DomainError when the hand-over is out of turn (the sender could not have held the dossier).
TakeOver = Callable[[str, int, P], Awaitable[None]]


async def take_hand_over(event: Envelope, payload_type: type[P], take: TakeOver[P]) -> None:
    """Read the hand-over and take the dossier; PermanentFailure for what can never be taken."""
    if event.dossier_id is None or event.version is None:
        raise PermanentFailure(f"{event.type} {event.id} without a dossier id or version")
    try:
        payload = payload_type.model_validate(event.data)
    except ValidationError as error:
        # The count only: the invalid values may be someone's personal data.
        raise PermanentFailure(f"{event.type} {event.id}: {error.error_count()} invalid fields") from None
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
