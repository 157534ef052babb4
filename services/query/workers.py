"""The gap watch: reports the dossiers whose read model has waited too long for a missing version.

An early event waits, kept, for its predecessors (see adapters/read_model.py); one that never arrives would
leave the dossier behind in silence. Every so often the watch lists the gaps older than the bound, logs each
once as it goes unclosed (and once as it closes), and publishes how many there are (the
`hoso_read_model_unclosed_gaps` gauge and /readyz's `unclosed_gaps`).
"""

import asyncio
import contextlib
from datetime import timedelta

from services.query.adapters.read_model import ReadModelRepository
from shared.logging import get_logger
from shared.messages import utc_now
from shared.metrics import UNCLOSED_GAPS

log = get_logger(__name__)


class GapWatch:
    def __init__(self, read_model: ReadModelRepository, *, bound_seconds: float) -> None:
        self._read_model = read_model
        self._bound = timedelta(seconds=bound_seconds)
        self._every = max(bound_seconds / 2, 0.1)
        self._reported: set[str] = set()
        self._stopping = asyncio.Event()

    @property
    def unclosed(self) -> int:
        return len(self._reported)

    def details(self) -> dict[str, object]:
        return {"unclosed_gaps": self.unclosed}

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.look()
            except Exception as error:  # the store is away: look again next time
                log.warning("gap_watch_failed", error_type=type(error).__name__)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._every):
                    await self._stopping.wait()

    async def look(self) -> None:
        """Report the gaps older than the bound, and those closed since the last look."""
        now = utc_now()
        unclosed = await self._read_model.unclosed_gaps(now - self._bound)
        for gap in unclosed:
            if gap.dossier_id not in self._reported:
                log.warning("read_model_gap_unclosed", dossier_id=gap.dossier_id,
                            stored_version=gap.stored_version, highest_kept=gap.highest_kept,
                            waiting_seconds=round((now - gap.waiting_since).total_seconds(), 1))
        still = {gap.dossier_id for gap in unclosed}
        for closed in self._reported - still:
            log.info("read_model_gap_closed", dossier_id=closed)
        self._reported = still
        UNCLOSED_GAPS.labels("query").set(len(still))
