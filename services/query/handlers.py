"""The query service's use cases: keep the read model up to date, rebuild it, wait for a version."""

import asyncio
from datetime import UTC

from services.query.notifier import AppliedNotifier
from services.query.projection import UnreadableEvent
from services.query.repository import ReadModelRepository
from shared.logging import get_logger
from shared.messages import Envelope, utc_now
from shared.messaging.port import PermanentFailure
from shared.metrics import READ_MODEL_LAG

log = get_logger(__name__)

# Another replica may apply the awaited event; only the store can tell, so it is asked this often.
POLL_SECONDS = 0.05


async def when_dossier_event_update_read_model(
    event: Envelope, repo: ReadModelRepository, notifier: AppliedNotifier,
) -> None:
    """Apply a dossier event to its read-model document; a gap raises `EventOutOfOrder` for a retry."""
    if event.dossier_id is None or event.version is None:
        # Without a version it cannot be ordered, and it is not a change of the dossier (an outcome, a
        # notification log): nothing for the read model to show.
        log.debug("event_without_version_ignored", event_id=event.id, type=event.type)
        return
    try:
        applied = await repo.apply(event)
    except UnreadableEvent as error:
        raise PermanentFailure(str(error)) from error
    if applied:
        record_lag(event)
        await notifier.notify()


def record_lag(event: Envelope) -> None:
    """How late the read model shows this change: taken as it is applied, so an idle read model, which
    is up to date, does not look further behind with every second."""
    occurred_at = event.occurred_at if event.occurred_at.tzinfo else event.occurred_at.replace(tzinfo=UTC)
    READ_MODEL_LAG.labels("query").set(max((utc_now() - occurred_at).total_seconds(), 0.0))


async def rebuild_read_model(repo: ReadModelRepository) -> int:
    """Replay every kept event into fresh documents; answers how many dossiers were rebuilt."""
    rebuilt = await repo.rebuild()
    log.info("read_model_rebuilt", dossiers=rebuilt)
    return rebuilt


async def wait_for_version(
    repo: ReadModelRepository, notifier: AppliedNotifier, dossier_id: str, at_least: int, within: float,
) -> int | None:
    """The version the read model holds, as soon as it is `at_least`, or whatever it is `within` seconds.

    None when it holds nothing for that dossier (yet).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        seen = notifier.applied
        version = await repo.current_version(dossier_id)
        remaining = deadline - loop.time()
        if (version is not None and version >= at_least) or remaining <= 0:
            return version
        await notifier.wait_past(seen, min(POLL_SECONDS, remaining))
