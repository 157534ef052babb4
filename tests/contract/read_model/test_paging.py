"""Paging while the read model changes, on every store engine: by cursor, a dossier that stays in the list
is listed once, never twice and never left out, whatever arrives or leaves between two pages.

The same changes under offset paging (the `page` number) list some twice and leave some out: the scenario
is checked to bite, so that it cannot pass by changing nothing.
"""

from datetime import date, timedelta

import pytest

from services.query.adapters.read_model import ReadModelRepository
from services.query.domain.filters import DossierFilters
from services.query.domain.paging import Cursor
from services.query.errors import InvalidCursor
from shared.statuses import Status
from shared.store.port import DocumentStore
from tests.contract.read_model.events import OWNER, STRANGER, T0, apply_all, life, received, staff

DOSSIERS = 240
PAGE = 7
LATER = T0 + timedelta(days=2)


async def portfolio(repo: ReadModelRepository) -> list[str]:
    """Dossiers submitted by two citizens, three at a time sharing one instant (the id breaks the tie)."""
    dossier_ids = [f"k{number:03}" for number in range(DOSSIERS)]
    for number, dossier_id in enumerate(dossier_ids):
        owner = OWNER if number % 4 else STRANGER
        await apply_all(repo, life(dossier_id, f"Hồ sơ {number}", owner=owner, at=T0 + timedelta(minutes=number // 3)))
    return dossier_ids


async def accept(repo: ReadModelRepository, dossier_id: str, step: int) -> None:
    at = LATER + timedelta(minutes=step)
    await repo.apply(staff(received(f"H48.25-{step:06}-{int(dossier_id[1:]):04}", at, date(2025, 4, 1)),
                           dossier_id, 4, at))


async def page_through(repo: ReadModelRepository, owner: str | None, status: Status | None, *,
                       by_cursor: bool) -> tuple[list[str], set[str], set[str]]:
    """Every page of the list, while between pages dossiers leave it (accepted: one not yet listed each time,
    and on every other page two listed already) or arrive at its top (two newly submitted, on the others).
    Answers the ids listed, in order, those accepted and those that arrived."""
    initial = await portfolio(repo)
    listed: list[str] = []
    accepted: set[str] = set()
    arrived: set[str] = set()
    cursor: Cursor | None = None
    page = 1
    while True:
        found = await repo.list_page(owner, DossierFilters(status=status), PAGE, cursor=cursor, page=page)
        listed += [item["_id"] for item in found.items]
        if found.next_cursor is None if by_cursor else not found.items:
            return listed, accepted, arrived
        step = page + len(accepted)
        unseen = [dossier_id for dossier_id in initial if dossier_id not in listed and dossier_id not in accepted]
        seen = [dossier_id for dossier_id in listed if dossier_id not in accepted and dossier_id not in arrived]
        leaving = set(unseen[-1:]) | (set(seen[:2]) if page % 2 else set())
        for number, dossier_id in enumerate(sorted(leaving)):
            await accept(repo, dossier_id, step * 3 + number)
        accepted |= leaving
        for number in range(0 if page % 2 else 2):
            newcomer = f"n{page:03}{number}"
            await apply_all(repo, life(newcomer, "Hồ sơ mới", owner=owner or OWNER,
                                       at=LATER + timedelta(minutes=step * 3 + number)))
            arrived.add(newcomer)
        cursor, page = (found.next_cursor, page + 1) if by_cursor else (None, page + 1)


def mine(owner: str | None) -> set[str]:
    return {f"k{number:03}" for number in range(DOSSIERS)
            if owner is None or (OWNER if number % 4 else STRANGER) == owner}


@pytest.mark.parametrize("owner", [OWNER, None], ids=["citizen", "staff"])
async def test_paging_by_cursor_lists_each_dossier_that_stays_once(repo: ReadModelRepository,
                                                                   owner: str | None) -> None:
    listed, accepted, arrived = await page_through(repo, owner, Status.SUBMITTED, by_cursor=True)
    stayed = mine(owner) - accepted
    twice = len(listed) - len(set(listed))
    left_out = stayed - set(listed)
    print(f"FIGURE paging by cursor ({'staff' if owner is None else 'citizen'}, submitted) | "
          f"{len(listed)} listed over pages of {PAGE} while {len(accepted)} left and {len(arrived)} arrived | "
          f"{twice} twice, {len(left_out)} left out | {'held' if not twice and not left_out else 'broke'}")
    assert twice == 0 and not left_out
    assert set(listed) <= mine(owner) | arrived


async def test_the_same_changes_under_offset_paging_list_some_twice_or_leave_some_out(
        repo: ReadModelRepository) -> None:
    listed, accepted, _arrived = await page_through(repo, None, Status.SUBMITTED, by_cursor=False)
    twice, left_out = len(listed) - len(set(listed)), mine(None) - accepted - set(listed)
    print(f"FIGURE paging by offset (staff, submitted) | the same changes, by page number | "
          f"{twice} twice, {len(left_out)} left out | broke, as expected of offsets")
    assert twice and left_out


async def test_in_the_list_of_every_status_each_dossier_unchanged_is_listed_once(repo: ReadModelRepository) -> None:
    # A dossier accepted meanwhile moves to the top of this list (seen on its next first page), never twice.
    listed, accepted, _arrived = await page_through(repo, None, None, by_cursor=True)
    assert len(listed) == len(set(listed))
    assert mine(None) - accepted <= set(listed)


async def test_paging_back_shows_the_page_before(repo: ReadModelRepository) -> None:
    await portfolio(repo)
    first = await repo.list_page(None, DossierFilters(), 10)
    assert first.next_cursor and first.previous_cursor is None and (first.page, first.total) == (1, DOSSIERS)
    second = await repo.list_page(None, DossierFilters(), 10, cursor=first.next_cursor)
    third = await repo.list_page(None, DossierFilters(), 10, cursor=second.next_cursor)
    assert third.page == 3 and third.previous_cursor
    back = await repo.list_page(None, DossierFilters(), 10, cursor=third.previous_cursor)
    assert ([item["_id"] for item in back.items], back.page) == ([item["_id"] for item in second.items], 2)
    assert back.previous_cursor and back.next_cursor
    again = await repo.list_page(None, DossierFilters(), 10, cursor=back.previous_cursor)
    assert [item["_id"] for item in again.items] == [item["_id"] for item in first.items]
    assert again.previous_cursor is None
    # Offset and cursor agree while nothing changes.
    assert [item["_id"] for item in (await repo.list_page(None, DossierFilters(), 10, page=3)).items] == [
        item["_id"] for item in third.items]


@pytest.mark.parametrize("text", ["", "abc", "1.c.2.k1", "1.a.0.k1", "1.a.2.", "99999999999999.a.2.k1", "1.a.2.k/1"])
def test_a_cursor_not_given_by_the_service_is_refused(text: str) -> None:
    with pytest.raises(InvalidCursor):
        Cursor.decode(text)


def test_a_cursor_comes_back_as_it_was_given() -> None:
    cursor = Cursor(T0, "k001", "before", 12)
    assert Cursor.decode(cursor.encode()) == cursor


async def test_documents_stored_before_the_list_key_get_it_at_start(repo: ReadModelRepository,
                                                                     store: DocumentStore) -> None:
    await portfolio(repo)

    async def two_pages() -> list[str]:
        first = await repo.list_page(None, DossierFilters(), 10)
        second = await repo.list_page(None, DossierFilters(), 10, cursor=first.next_cursor)
        return [item["_id"] for item in first.items + second.items]

    keyed = await two_pages()
    await store.db["dossiers"].update_many({}, {"$unset": {"listed_at": ""}})
    await repo.ensure_indexes()
    assert await two_pages() == keyed and len(set(keyed)) == 20
