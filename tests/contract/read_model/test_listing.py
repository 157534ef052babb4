"""Listing, searching and counting: the citizen's own view, and the staff view of every owner's dossiers."""

from datetime import UTC, date, datetime, timedelta

from services.query.adapters.read_model import ReadModelRepository
from services.query.domain.filters import DossierFilters
from shared.statuses import CATALOG
from shared.store.port import DocumentStore
from tests.contract.read_model.events import OWNER, STRANGER, T0, apply_all, ids, life, staff, supplement


async def test_newest_change_first_and_deleted_hidden(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio) == ["d1", "d3", "d2"]


async def test_list_items_leave_heavy_and_personal_fields_out(portfolio: ReadModelRepository) -> None:
    items, total = await portfolio.list_dossiers(OWNER, DossierFilters(), 1, 10)
    assert total == 3
    assert not {"form", "history", "search_text", "last_reason", "result", "payment"} & set(items[0])
    # Of the applicant, the name alone is read (the list's người nộp): nothing else personal.
    assert all(set(item["applicant"]) == {"full_name"} for item in items)


async def test_filter_by_status(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, status="submitted") == ["d2"]
    assert await ids(portfolio, status="draft") == ["d3"]
    assert await ids(portfolio, status="received") == ["d1"]
    assert await ids(portfolio, status="paid") == []


async def test_search_without_accents(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, q="giay phep") == ["d1"]
    assert await ids(portfolio, q="GIẤY phép") == ["d1"]
    assert await ids(portfolio, q="chung chi hanh nghe") == ["d2"]
    assert await ids(portfolio, q="hanh nghe") == ["d1", "d2"]
    assert await ids(portfolio, q="do thi hoa") == ["d2"]  # "đ" found by "d", on the applicant's name
    assert await ids(portfolio, q="an toan thuc pham") == ["d3"]  # the procedure's name
    assert await ids(portfolio, q="h48.25") == ["d1"]  # the lookup code
    assert await ids(portfolio, q="giay duoc") == []  # every word must match
    assert await ids(portfolio, q="(.*") == []  # taken literally, not as a pattern


async def test_search_combines_with_status(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, q="hanh nghe", status="submitted") == ["d2"]


async def test_filter_by_procedure(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, procedure_code="SYT-DUOC-01") == ["d2"]


async def test_filter_by_code_prefix_or_dossier_id(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, code="h48.25-0301") == ["d1"]
    assert await ids(portfolio, code="H48") == ["d1"]
    assert await ids(portfolio, code=" H48.25-0301-0001 ") == ["d1"]
    assert await ids(portfolio, code="d3") == ["d3"]
    assert await ids(portfolio, code="0301") == []  # a prefix, not anywhere
    assert await ids(portfolio, code="H48.*") == []  # taken literally


async def test_filter_by_filing_day_in_vietnam(portfolio: ReadModelRepository) -> None:
    # Filed (submitted) d1 on 3 March 09:30 and d2 on 4 March; d3 is a draft, filed when created, 5 March.
    day = date(2025, 3, 3)
    assert await ids(portfolio, date_from=day, date_to=day) == ["d1"]
    assert await ids(portfolio, date_from=day + timedelta(days=1)) == ["d3", "d2"]
    assert await ids(portfolio, date_to=day + timedelta(days=1)) == ["d1", "d2"]


async def test_filing_day_boundaries_are_vietnamese(repo: ReadModelRepository) -> None:
    # 23:30 UTC on 4 March is 06:30 on 5 March in Vietnam.
    await apply_all(repo, life("late", "X", at=datetime(2025, 3, 4, 22, 30, tzinfo=UTC)))
    assert await ids(repo, date_from=date(2025, 3, 5), date_to=date(2025, 3, 5)) == ["late"]
    assert await ids(repo, date_to=date(2025, 3, 4)) == []


async def test_paging(repo: ReadModelRepository) -> None:
    for number in range(5):
        await apply_all(repo, life(f"p{number}", f"Hồ sơ {number}", at=T0 + timedelta(hours=number)))
    pages = [await repo.list_dossiers(OWNER, DossierFilters(), page, 2) for page in (1, 2, 3, 4)]
    assert [[item["_id"] for item in items] for items, _ in pages] == [
        ["p4", "p3"], ["p2", "p1"], ["p0"], []]
    assert {total for _, total in pages} == {5}


async def test_counts_name_every_status(portfolio: ReadModelRepository) -> None:
    counts = await portfolio.status_counts(OWNER)
    assert list(counts) == [entry.code.value for entry in CATALOG]
    assert counts == {entry.code.value: 0 for entry in CATALOG} | {"draft": 1, "submitted": 1, "received": 1}


async def test_a_stranger_sees_nothing(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, STRANGER) == ["x1"]
    assert await portfolio.get("d1", STRANGER) is None
    assert await ids(portfolio, "nobody") == []
    assert set((await portfolio.status_counts("nobody")).values()) == {0}


async def test_a_deleted_draft_is_gone_but_its_version_stays(portfolio: ReadModelRepository) -> None:
    assert await portfolio.get("d4", OWNER) is None
    assert await portfolio.get("d4", None) is None
    assert await portfolio.current_version("d4") == 3


# --- the staff view (owner None): every owner's dossiers, but no drafts --------------------------------


async def test_staff_views_read_any_owner(portfolio: ReadModelRepository) -> None:
    document = await portfolio.get("x1", None)
    assert document is not None and document["owner_id"] == STRANGER
    assert await portfolio.get("x1", OWNER) is None  # an owner given still restricts


async def test_staff_list_every_owner_newest_first(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, None) == ["d1", "d2", "x1"]
    items, total = await portfolio.list_dossiers(None, DossierFilters(), 1, 2)
    assert ([item["_id"] for item in items], total) == (["d1", "d2"], 3)


async def test_staff_never_see_drafts(portfolio: ReadModelRepository) -> None:
    # Chưa gửi: not sent to the Department yet, so not the Reception Unit's to read.
    assert await ids(portfolio, None, status="draft") == []
    assert await ids(portfolio, None, code="d3") == []
    assert await portfolio.get("d3", None) is None
    assert (await portfolio.status_counts(None))["draft"] == 0


async def test_staff_list_with_every_filter(portfolio: ReadModelRepository) -> None:
    assert await ids(portfolio, None, status="submitted") == ["d2", "x1"]
    assert await ids(portfolio, None, status="received") == ["d1"]
    assert await ids(portfolio, None, q="giay phep") == ["d1", "x1"]
    assert await ids(portfolio, None, q="do thi hoa") == ["d2"]
    assert await ids(portfolio, None, procedure_code="SYT-DUOC-01") == ["d2"]
    assert await ids(portfolio, None, code="h48") == ["d1"]
    assert await ids(portfolio, None, date_from=date(2025, 3, 4), date_to=date(2025, 3, 4)) == ["d2"]
    assert await ids(portfolio, None, q="giay phep", status="submitted", procedure_code="SYT-KCB-01",
                     date_from=date(2025, 3, 3), date_to=date(2025, 3, 3)) == ["x1"]


async def test_staff_counts_every_owner(portfolio: ReadModelRepository) -> None:
    counts = await portfolio.status_counts(None)
    assert counts == {entry.code.value: 0 for entry in CATALOG} | {"submitted": 2, "received": 1}


async def test_indexes_for_the_portal_questions(store: DocumentStore, repo: ReadModelRepository) -> None:
    indexes = await store.db["dossiers"].index_information()
    keys = {tuple(field for field, _direction in info["key"]) for info in indexes.values()}
    assert {("owner_id", "status", "listed_at", "_id"), ("status", "listed_at", "_id"), ("lookup_key",)} <= keys


async def test_the_overdue_filter_is_the_list_items_overdue(portfolio: ReadModelRepository) -> None:
    """d1 is due on 20 March 2025: overdue from the 21st on, in the staff view and its owner's alike."""
    async def overdue_on(day: date, owner: str | None) -> list[str]:
        items, total = await portfolio.list_dossiers(owner, DossierFilters(overdue=True), 1, 100, day)
        assert total == len(items)
        return [item["_id"] for item in items]

    assert await overdue_on(date(2025, 3, 20), None) == []
    assert await overdue_on(date(2025, 3, 21), None) == ["d1"] == await overdue_on(date(2025, 3, 21), OWNER)
    assert await overdue_on(date(2025, 3, 21), STRANGER) == []
    # Not a dossier whose clock is stopped (the citizen has it), nor one the Department has answered.
    await portfolio.apply(staff(supplement("Thiếu văn bằng", 5), "d1", 5, T0 + timedelta(days=20)))
    assert await overdue_on(date(2025, 3, 21), None) == []
