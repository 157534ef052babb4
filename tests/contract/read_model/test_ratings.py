"""The ratings given, read off the read model for the staff's summary, on every engine: only the dossiers
rated, in the range asked for (bounds in Vietnam time), of the procedure asked for."""

from datetime import UTC, datetime, timedelta

from services.query.adapters.ratings import RatingsGiven
from services.query.adapters.read_model import ReadModelRepository
from services.query.domain.ratings import MonthRange, summarize
from shared.lifecycle import DossierRated
from shared.store.port import DocumentStore
from tests.contract.read_model.events import VIETNAM, apply_all, event, full_life

# 23:30 on 31 March 2025 in Hà Nội, and 00:30 on 1 April there.
LAST_OF_MARCH = datetime(2025, 3, 31, 16, 30, tzinfo=UTC)
FIRST_OF_APRIL = datetime(2025, 3, 31, 17, 30, tzinfo=UTC)


async def rated(repo: ReadModelRepository, dossier_id: str, level: str, at: datetime) -> None:
    life = full_life(dossier_id)
    comment = "Chờ lâu" if level == "dissatisfied" else None
    await apply_all(repo, [*life, event(DossierRated(level=level, comment=comment, rated_at=at), dossier_id, 13,
                                        at + timedelta(seconds=1))])


async def test_only_rated_dossiers_in_the_range_are_read(store: DocumentStore, repo: ReadModelRepository) -> None:
    ratings = RatingsGiven(store.db)
    await ratings.ensure_indexes()
    await rated(repo, "march", "very_satisfied", LAST_OF_MARCH)
    await rated(repo, "april", "dissatisfied", FIRST_OF_APRIL)
    await apply_all(repo, full_life("not-rated"))

    every = await ratings.between(None, None)
    assert sorted(found["_id"] for found in every) == ["april", "march"]
    assert {found["procedure_code"] for found in every} == {"SYT-KCB-01"}
    assert all(found["procedure_name"] for found in every)
    assert all(set(found["rating"]) == {"level", "rated_at"} for found in every), "no comment is read"

    start, end = MonthRange.of("2025-04", "2025-04").bounds(VIETNAM)
    assert [found["_id"] for found in await ratings.between(start, end)] == ["april"]
    start, end = MonthRange.of(None, "2025-03").bounds(VIETNAM)
    assert [found["_id"] for found in await ratings.between(start, end)] == ["march"]
    assert await ratings.between(None, None, "SYT-DUOC-01") == []

    counted = summarize(every, VIETNAM)
    assert [(row["month"], row["counts"]["total"]) for row in counted["rows"]] == [("2025-03", 1), ("2025-04", 1)]
