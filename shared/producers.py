"""Who may write each event a consumer applies, read off the status table, and the check consumers make.

Only the holder of a status may move a dossier out of it (shared/statuses.py), so a status change is
written by the holder of the statuses it moves from: `dossier.received` (from `submitted`) by processing,
`dossier.paid` (from `payment_requested`) by payment, `dossier.draft_created` (from nothing) by the holder of
the draft. An event that moves nothing is written by the holder of the statuses it is written in.

A consumer applies an event only if it knows its type, it comes from that producer, and its payload reads
as its contract, moving the dossier where its type says: anything else is refused (`RefusedEvent`) and
dead-lettered at once, since no retry can make it right.
"""

from typing import cast

from pydantic import ValidationError

from shared.logging import get_logger
from shared.messages import Envelope, Payload, StatusChange
from shared.messaging.port import PermanentFailure
from shared.registry import MODELS
from shared.statuses import CATALOG, Holder, Status, info

log = get_logger(__name__)

S = Status
# The events that move no status, and the statuses they are written in.
WRITTEN_IN: dict[str, frozenset[Status]] = {
    "dossier.draft_updated": frozenset({S.DRAFT, S.SUPPLEMENT_REQUESTED}),
    "dossier.draft_deleted": frozenset({S.DRAFT}),
    "dossier.document_attached": frozenset({S.DRAFT, S.SUPPLEMENT_REQUESTED}),
    "dossier.document_removed": frozenset({S.DRAFT, S.SUPPLEMENT_REQUESTED}),
    "dossier.due_date_changed": frozenset({S.SUBMITTED}),
    "dossier.rescheduled": frozenset({S.RECEIVED, S.PROCESSING, S.PAID}),
    # Processing's deadline watch warns of the dossiers it holds (payment's wait for their return).
    "dossier.due_soon": frozenset({S.RECEIVED, S.PROCESSING, S.PAID}),
    "dossier.overdue": frozenset({S.RECEIVED, S.PROCESSING, S.PAID}),
    "dossier.result_delivery_chosen": frozenset({S.RESULT_READY}),
    "dossier.payment_started": frozenset({S.PAYMENT_REQUESTED}),
    "dossier.payment_failed": frozenset({S.PAYMENT_REQUESTED}),
    "dossier.rated": frozenset({S.RESULT_RETURNED}),
}
# Events about dossiers that are not dossier state, and the one service that writes them.
OTHER_PRODUCERS = {"notification.sent": "notify", "notification.failed": "notify",
                   "payment.completed": Holder.PAYMENT.value, "payment.callback_refused": Holder.PAYMENT.value,
                   "payment.paid_recalled": Holder.PAYMENT.value, "slip.issued": "slips"}
# Logged values that came off the wire are cut to this: enough to recognise, never a payload.
LOGGED_CHARACTERS = 64


class RefusedEvent(PermanentFailure):
    """An event a consumer will never apply; `reason` says why, in one word the logs and dead letters carry."""

    def __init__(self, reason: str, event: Envelope) -> None:
        self.reason = reason
        super().__init__(f"{reason}: {event.type[:LOGGED_CHARACTERS]} {event.id[:LOGGED_CHARACTERS]}")


def moved_from(model: type[StatusChange]) -> frozenset[Status]:
    """The statuses a change of this type moves a dossier from (its own target when it starts a dossier)."""
    target = cast(Status, model.model_fields["to_status"].default)
    source = model.model_fields["from_status"]
    if isinstance(source.default, Status):
        return frozenset({source.default})
    if not source.is_required():
        return frozenset({target})  # it starts the dossier, from nothing
    return frozenset(entry.code for entry in CATALOG if target in entry.next)


def _producers() -> dict[str, str]:
    found = dict(OTHER_PRODUCERS)
    for model in MODELS:
        message_type = model.model_fields["message_type"].default
        if not message_type.startswith("dossier."):
            continue
        statuses = moved_from(model) if issubclass(model, StatusChange) else WRITTEN_IN[message_type]
        holders = {info(status).holder.value for status in statuses}
        if len(holders) != 1:
            raise ValueError(f"{message_type} is written in statuses of several holders: {sorted(holders)}")
        found[message_type] = holders.pop()
    return found


# Every event type a consumer may apply, to the service that alone writes it.
PRODUCERS: dict[str, str] = _producers()
_MODELS: dict[str, type[Payload]] = {model.model_fields["message_type"].default: model for model in MODELS}


def read_event(event: Envelope, known: frozenset[str] | None = None) -> Payload:
    """The event's typed payload, if it is one of the `known` types (any in PRODUCERS by default), from the
    producer that writes that type, moving the dossier where its type says; `RefusedEvent` otherwise."""
    producer = PRODUCERS.get(event.type)
    if producer is None or (known is not None and event.type not in known):
        raise _refuse("unknown_type", event)
    if event.producer != producer:
        raise _refuse("wrong_producer", event, expected_producer=producer)
    if event.type.startswith("dossier.") and (event.dossier_id is None or event.version is None):
        raise _refuse("no_dossier_version", event)
    model = _MODELS[event.type]
    try:
        payload = model.model_validate(event.data)
    except ValidationError as error:
        # The count only: the invalid values may be someone's personal data.
        raise _refuse("invalid_payload", event, invalid_fields=error.error_count()) from None
    if isinstance(payload, StatusChange) and not _moves_as_its_type_says(payload, producer):
        raise _refuse("wrong_status", event)
    return payload


def _moves_as_its_type_says(payload: StatusChange, producer: str) -> bool:
    target = type(payload).model_fields["to_status"].default
    source = payload.from_status
    return payload.to_status is target and (source is None or info(source).holder.value == producer)


def _refuse(reason: str, event: Envelope, **detail: object) -> RefusedEvent:
    log.warning("event_refused", reason=reason, event_id=event.id[:LOGGED_CHARACTERS],
                message_type=event.type[:LOGGED_CHARACTERS], producer=event.producer[:LOGGED_CHARACTERS],
                dossier_id=(event.dossier_id or "")[:LOGGED_CHARACTERS] or None, version=event.version, **detail)
    return RefusedEvent(reason, event)
