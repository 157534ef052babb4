"""Overdue (quá hạn) in a real browser, and the staff's deadline statistics, at desktop and phone width.

Days do not pass in a test, so the portal is an embedded run of its own that judges deadlines 45 days ahead
(DEV_DAYS_AHEAD, which only development runs accept): every stored time is real, processing computes the due
dates from today, and the read side's countdown, deadline lists and statistics stand where they will in 45
days. A dossier of a 20-working-day procedure accepted now is then past its due date; one of 45 working days
is not yet.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.timezones import local_zone
from tests.browser.audit import audit
from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach_required
from tests.support.processes import free_port, running

pytestmark = pytest.mark.browser
DAYS_AHEAD = 45
LATE = ("SYT-KCB-01", "Giấy phép hành nghề bác sĩ Phan Thị Hạnh",  # 20 working days
        {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh đa khoa"})
IN_TIME = ("SYT-KCB-03", "Giấy phép hoạt động phòng khám chuyên khoa nội Bình An",  # 45 working days
           {"ten_co_so": "Phòng khám chuyên khoa nội Bình An", "dia_chi_co_so": "20 Hùng Vương, Huế",
            "nguoi_phu_trach": "Lê Văn Bình", "chuyen_khoa": "Nội khoa"})
QUICK = ("SYT-MP-01", "Công bố mỹ phẩm Kem chống nắng Mai Hoa",  # 3 working days, resolved at once
         {"ten_san_pham": "Kem chống nắng Mai Hoa", "nha_san_xuat": "Công ty TNHH Mai Hoa"})
COLUMNS = ("received", "resolved_on_time", "resolved_late", "rescheduled_late", "overdue", "in_progress")


@pytest.fixture(scope="module")
def portal_url() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0", "DEV_DAYS_AHEAD": str(DAYS_AHEAD)},
                 f"{url}/readyz", "embedded-overdue"):
        yield url


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def accepted(portal_url: str, email: str, procedure: tuple[str, str, dict[str, str]]) -> str:
    code, title, form = procedure
    with api_as(portal_url, email) as citizen, api_as(portal_url, new_email("can-bo"), "staff") as clerk:
        dossier_id = draft(citizen, code, title, form)
        attach_required(citizen, dossier_id, code)
        ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
        ok(clerk.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    return dossier_id


@pytest.fixture(scope="module")
def dossiers(portal_url: str) -> dict[str, tuple[str, str]]:
    """(the citizen's email, the dossier's id) of one overdue, one in time and one resolved at once."""
    made = {name: (email, accepted(portal_url, email, procedure))
            for name, procedure, email in (("late", LATE, new_email()), ("in_time", IN_TIME, new_email()),
                                           ("quick", QUICK, new_email()))}
    with api_as(portal_url, new_email("can-bo"), "staff") as clerk:
        quick = made["quick"][1]
        ok(clerk.post(f"/v1/staff/dossiers/{quick}/start-processing"))
        ok(clerk.post(f"/v1/staff/dossiers/{quick}/issue-result", data={"summary": "Số tiếp nhận công bố 12/MP"}))
    return made


def looked_ahead() -> date:
    """The day the run judges deadlines on: today in Vietnam, 45 days on."""
    return datetime.now(local_zone()).date() + timedelta(days=DAYS_AHEAD)


def test_the_scene_is_what_the_calendar_says(portal_url: str, dossiers: dict[str, tuple[str, str]]) -> None:
    """The dossiers' due dates, from processing's real clock, fall either side of the day looked ahead to."""
    for name, overdue in (("late", True), ("in_time", False)):
        email, dossier_id = dossiers[name]
        with api_as(portal_url, email) as citizen:
            shown = ok(citizen.get(f"/v1/dossiers/{dossier_id}"))
        assert (date.fromisoformat(shown["due_date"]) < looked_ahead()) is overdue, shown["due_date"]
        assert (shown["deadline_state"] == "overdue") is overdue and shown["overdue"] is overdue


def row(page: Any, title: str) -> Any:
    return page.locator("tr").filter(has=page.get_by_role("link", name=title))


@pytest.mark.parametrize(("width", "shots"), [(1366, ("160", "161")), (390, ("162", "163"))])
def test_overdue_on_the_detail_and_in_the_staff_tab(person: Any, portal_url: str,
                                                    dossiers: dict[str, tuple[str, str]], width: int,
                                                    shots: tuple[str, str]) -> None:
    email, dossier_id = dossiers["late"]
    citizen: Person = person(width=width, height=900)
    citizen.sign_in("Phan Thị Hạnh", email)
    page = citizen.page
    page.goto(f"/ho-so/{dossier_id}")
    due = citizen.fact("Hạn giải quyết")
    assert "Quá hạn" in due, due
    assert page.locator(".facts strong.overdue").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing wider than the screen"
    assert audit(page) == [], f"the overdue detail at {width} px"
    citizen.shot(f"{shots[0]}-nguoi-dan-qua-han-{width}")

    clerk: Person = person(width=width, height=900)
    clerk.sign_in("Trần Văn Hùng", new_email("can-bo"), role="staff")
    page = clerk.page
    page.goto("/can-bo")
    page.get_by_role("link", name="Quá hạn").click()
    assert page.get_by_role("heading", level=2, name="Hồ sơ quá hạn giải quyết").is_visible()
    assert row(page, LATE[1]).count() == 1 and row(page, IN_TIME[1]).count() == 0 and row(page, QUICK[1]).count() == 0
    assert "Quá hạn" in row(page, LATE[1]).locator("td[data-label='Hạn giải quyết']").inner_text()
    tab = page.locator(".status-tabs a", has_text="Quá hạn").inner_text()
    assert str(page.locator("table.dossiers tbody tr").count()) in tab, tab
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert audit(page) == [], f"the overdue tab at {width} px"
    clerk.shot(f"{shots[1]}-can-bo-qua-han-{width}")


def table_rows(page: Any) -> list[list[str]]:
    rows = page.locator(".deadline-statistics tbody tr")
    return [[cell.strip() for cell in rows.nth(n).locator("td").all_inner_texts()] for n in range(rows.count())]


def expected_rows(statistics: dict[str, Any]) -> list[list[str]]:
    """The API's rows as the page's table says them: procedure (name, code), month MM/YYYY, counts."""
    return [[f"{row['procedure_name']}\n{row['procedure_code']}", f"{row['month'][5:]}/{row['month'][:4]}",
             *(str(row["counts"][name]) for name in COLUMNS)] for row in statistics["rows"]]


@pytest.mark.parametrize(("width", "shot"), [(1366, "164-thong-ke-1366"), (390, "165-thong-ke-390")])
def test_staff_read_the_deadline_statistics(person: Any, portal_url: str, dossiers: dict[str, tuple[str, str]],
                                            width: int, shot: str) -> None:
    clerk_email = new_email("can-bo")
    with api_as(portal_url, clerk_email, "staff") as clerk:
        everything = ok(clerk.get("/v1/staff/statistics"))
        cosmetics = ok(clerk.get("/v1/staff/statistics", params={"procedure_code": QUICK[0]}))
    counted = {row["procedure_code"]: row["counts"] for row in everything["rows"]}
    assert counted[LATE[0]]["overdue"] >= 1 and counted[IN_TIME[0]]["in_progress"] >= 1
    assert counted[QUICK[0]]["resolved_on_time"] >= 1
    assert everything["as_of"] == looked_ahead().isoformat()

    lan: Person = person(width=width, height=900)
    lan.sign_in("Nguyễn Thị Lan", clerk_email, role="staff")
    page = lan.page
    page.goto("/can-bo")
    page.get_by_role("link", name="Thống kê tình hình giải quyết hồ sơ").click()
    assert page.locator("h1").inner_text() == "Thống kê tình hình giải quyết hồ sơ"
    headers = [text.strip() for text in page.locator(".deadline-statistics thead th").all_inner_texts()]
    assert headers == ["Thủ tục", "Tháng tiếp nhận", "Tiếp nhận", "Đúng hạn", "Trễ hạn",
                       "Xin lỗi, hẹn lại (trễ hạn)", "Quá hạn", "Đang giải quyết (trong hạn)"]
    assert table_rows(page) == expected_rows(everything)
    assert looked_ahead().strftime("%d/%m/%Y") in page.locator("#bang-thong-ke").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing wider than the screen"
    assert audit(page) == [], f"the statistics at {width} px"
    lan.shot(shot)

    page.get_by_label("Thủ tục hành chính").select_option(QUICK[0])
    page.get_by_role("button", name="Xem thống kê").click()
    assert table_rows(page) == expected_rows(cosmetics)
    assert all(cells[0].endswith(QUICK[0]) for cells in table_rows(page))

    page.get_by_label("Từ tháng").fill("05/2026")
    page.get_by_label("Đến tháng").fill("04/2026")
    page.get_by_role("button", name="Xem thống kê").click()
    assert "Đến tháng" in page.locator("#f-to-month-error").inner_text()
    assert audit(page) == [], "the statistics with a range the wrong way round"
