"""The query service's use cases: rebuild the read model from the events it kept."""

from services.query.adapters.read_model import ReadModelRepository
from shared.logging import get_logger

log = get_logger(__name__)


async def rebuild_read_model(repo: ReadModelRepository) -> int:
    """Replay every kept event into fresh documents; answers how many dossiers were rebuilt."""
    rebuilt = await repo.rebuild()
    log.info("read_model_rebuilt", dossiers=rebuilt)
    return rebuilt
