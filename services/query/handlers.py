"""The query service's use cases: rebuild the read model, wait for a version."""

import asyncio

from services.query.adapters.notifier import AppliedNotifier
from services.query.adapters.read_model import ReadModelRepository
from shared.logging import get_logger

log = get_logger(__name__)

# Another replica may apply the awaited event; only the store can tell, so it is asked this often.
POLL_SECONDS = 0.05


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
