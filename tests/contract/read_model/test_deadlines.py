"""The staff's deadline lists (sắp đến hạn, quá hạn) and a reschedule (hẹn lại), in each store engine."""

from datetime import date, timedelta

from services.query.adapters.read_model import ReadModelRepository
from services.query.domain.countdown import Countdown
from services.query.domain.filters import DossierFilters
from services.query.domain.views import detail, list_item
from shared.lifecycle import DossierRescheduled
from shared.working_calendar import load_calendar
from tests.contract.read_model.events import OWNER, T0, VIETNAM, apply_all, life, received, staff, supplement

COUNTDOWN = Countdown(load_calendar(), due_soon_working_days=2)
TODAY = date(2025, 3, 17)  # a Monday
DUE = {"late": date(2025, 3, 14), "today": date(2025, 3, 17), "wed": date(2025, 3, 19),
       "tue": date(2025, 3, 18), "later": date(2025, 3, 24), "paused": date(2025, 3, 18)}


async def at_risk(repo: ReadModelRepository) -> ReadModelRepository:
    for number, (name, due) in enumerate(DUE.items(), start=1):
        await apply_all(repo, life(name, f"Hồ sơ {name}", at=T0 + timedelta(hours=number)))
        await repo.apply(staff(received(f"HS-{number}", T0 + timedelta(days=1), due), name, 4, T0 + timedelta(days=1)))
    await repo.apply(staff(supplement("Thiếu văn bằng", 1), "paused", 5, T0 + timedelta(days=2)))
    return repo


async def listed(repo: ReadModelRepository, filters: DossierFilters) -> list[str]:
    items, total = await repo.list_dossiers(None, filters, 1, 100, TODAY, COUNTDOWN.due_soon_until(TODAY))
    assert total == len(items)
    return [item["_id"] for item in items]


async def test_due_soon_and_overdue_lists_put_what_is_due_first(repo: ReadModelRepository) -> None:
    await at_risk(repo)
    # Due within two working days (Tuesday and Wednesday), or today; a paused clock is never at risk.
    assert await listed(repo, DossierFilters(due_soon=True)) == ["today", "tue", "wed"]
    assert await listed(repo, DossierFilters(overdue=True)) == ["late"]
    counted = {name: await repo.count_dossiers(None, filters, TODAY, COUNTDOWN.due_soon_until(TODAY))
               for name, filters in (("due_soon", DossierFilters(due_soon=True)),
                                     ("overdue", DossierFilters(overdue=True)))}
    assert counted == {"due_soon": 3, "overdue": 1}
    # What each item says agrees with the list it is in.
    items, _ = await repo.list_dossiers(None, DossierFilters(), 1, 100, TODAY, COUNTDOWN.due_soon_until(TODAY))
    shown = {item["_id"]: list_item(item, TODAY, VIETNAM, COUNTDOWN) for item in items}
    assert {name: (view["deadline_state"], view["working_days_left"]) for name, view in shown.items()} == {
        "late": ("overdue", 0), "today": ("due_soon", 0), "tue": ("due_soon", 1), "wed": ("due_soon", 2),
        "later": ("on_track", 5), "paused": ("paused", 1)}


async def test_a_reschedule_moves_the_appointment_and_keeps_the_first_due_date(repo: ReadModelRepository) -> None:
    await at_risk(repo)
    await repo.apply(staff(DossierRescheduled(
        status="received", previous_due_date=DUE["late"], new_due_date=date(2025, 3, 28),
        original_due_date=DUE["late"], reason="Chờ kết quả xác minh", late=True, owner_id=OWNER), "late", 5,
        T0 + timedelta(days=14)))
    assert await listed(repo, DossierFilters(overdue=True)) == []  # judged against the new date
    document = await repo.get("late", None)
    assert document is not None
    shown = detail(document, TODAY, VIETNAM, lambda code: [], COUNTDOWN)
    assert (shown["due_date"], shown["original_due_date"], shown["rescheduled_late"]) == (
        "2025-03-28", "2025-03-14", True)
    assert (shown["deadline_state"], shown["working_days_left"], shown["status"]) == ("on_track", 9, "received")
    last = shown["history"][-1]
    assert (last["from"], last["to"], last["reason"], last["rescheduled_to"]) == (
        "received", "received", "Chờ kết quả xác minh", "2025-03-28")
