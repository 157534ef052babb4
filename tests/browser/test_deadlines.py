"""The countdown to the due date and the staff's deadline tabs, at desktop and phone width, and a clerk
rescheduling with an apology: the citizen then sees the new appointment beside the original due date and
the apology slip. A portal of its own, "sắp đến hạn" from three working days (DUE_SOON_WORKING_DAYS)."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from shared.working_calendar import load_calendar
from tests.browser.audit import audit
from tests.browser.portal import Person, api_as, draft, new_email
from tests.support.documents import attach_required
from tests.support.processes import free_port, running
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.browser
CLERK = "Trần Văn Hùng"
SOON = "Công bố mỹ phẩm Sữa rửa mặt Sen Hồng"  # SYT-MP-01: 3 working days, so due soon from reception on
LATER = "Giấy phép hành nghề bác sĩ Hoàng Minh Tú"  # SYT-KCB-01: 20 working days


@pytest.fixture(scope="module")
def portal_url() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0", "DUE_SOON_WORKING_DAYS": "3"},
                 f"{url}/readyz", "embedded-deadlines"):
        yield url


def received_dossier(portal_url: str, procedure: str, title: str, form: dict[str, str]) -> tuple[str, str]:
    """A citizen's dossier, sent and accepted: (the citizen's email, the dossier's id)."""
    email = new_email()
    with api_as(portal_url, email) as citizen:
        dossier_id = draft(citizen, procedure, title, form)
        attach_required(citizen, dossier_id, procedure)
        assert citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
    with api_as(portal_url, new_email("can-bo"), role="staff") as staff:
        assert staff.post(f"/v1/staff/dossiers/{dossier_id}/accept").status_code == 200
    return email, dossier_id


@pytest.fixture(scope="module")
def at_risk(portal_url: str) -> dict[str, tuple[str, str]]:
    return {
        "soon": received_dossier(portal_url, "SYT-MP-01", SOON, {"ten_san_pham": "Sữa rửa mặt Sen Hồng",
                                                                 "nha_san_xuat": "Công ty TNHH Sen Hồng"}),
        "later": received_dossier(portal_url, "SYT-KCB-01", LATER, {"chuyen_mon": "Bác sĩ đa khoa",
                                                                    "pham_vi": "Khám bệnh đa khoa"}),
    }


def row(page: Any, title: str) -> Any:
    return page.locator("tr").filter(has=page.get_by_role("link", name=title))


@pytest.mark.parametrize(("width", "shots"), [(1366, ("140", "141")), (390, ("142", "143"))])
def test_the_countdown_and_the_deadline_tabs(person: Any, portal_url: str, at_risk: dict[str, tuple[str, str]],
                                             width: int, shots: tuple[str, str]) -> None:
    clerk: Person = person(width=width, height=900)
    clerk.sign_in(CLERK, new_email("can-bo"), role="staff")
    page = clerk.page
    page.goto("/can-bo?trang-thai=received")
    due = row(page, LATER).locator("td[data-label='Hạn giải quyết']").inner_text()
    assert "còn 20 ngày làm việc" in due, due
    assert "Sắp đến hạn: còn 3 ngày làm việc" in row(page, SOON).locator("td[data-label='Hạn giải quyết']").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert audit(page) == []
    clerk.shot(f"{shots[0]}-can-bo-dem-nguoc-{width}")

    page.get_by_role("link", name="Sắp đến hạn").click()
    assert page.locator(".status-tabs [aria-current=page]").inner_text().startswith("Sắp đến hạn")
    assert page.get_by_role("heading", level=2, name="Hồ sơ sắp đến hạn giải quyết").is_visible()
    assert row(page, SOON).count() == 1 and row(page, LATER).count() == 0
    assert "Đã tiếp nhận" in row(page, SOON).locator("td[data-label='Tình trạng']").inner_text()
    # The tab counts what its list holds (other tests' dossiers may be there too).
    shown = page.locator("table.dossiers tbody tr").count()
    tab = page.locator(".status-tabs a", has_text="Sắp đến hạn").inner_text()
    assert str(shown) in tab, (shown, tab)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert audit(page) == []
    clerk.shot(f"{shots[1]}-can-bo-sap-den-han-{width}")
    page.get_by_role("link", name="Quá hạn").click()
    assert page.get_by_role("heading", level=2, name="Hồ sơ quá hạn giải quyết").is_visible()
    assert row(page, SOON).count() == 0


def test_a_clerk_reschedules_and_the_citizen_sees_the_new_appointment(
        person: Any, portal_url: str, at_risk: dict[str, tuple[str, str]]) -> None:
    email, dossier_id = at_risk["later"]
    clerk: Person = person(width=1366)
    clerk.sign_in(CLERK, new_email("can-bo"), role="staff")
    page = clerk.page
    page.goto(f"/can-bo/ho-so/{dossier_id}")
    form = page.locator("form.staff-action").filter(
        has=page.get_by_role("heading", name="Xin lỗi và hẹn lại ngày trả kết quả", exact=True))
    with api_as(portal_url, email) as citizen:
        due = date.fromisoformat(citizen.get(f"/v1/dossiers/{dossier_id}").json()["due_date"])
    form.get_by_label("Ngày hẹn trả kết quả mới").fill(due.isoformat())
    form.get_by_label("Lý do chậm trễ").fill("Chờ ý kiến thẩm định của Hội đồng chuyên môn.")
    form.get_by_role("button", name="Xin lỗi và hẹn lại ngày trả kết quả").click()
    assert "sau hạn giải quyết hiện tại" in clerk.errors()
    clerk.shot("144-can-bo-hen-lai-bi-tu-choi")
    new = load_calendar().add_working_days(due, 5)
    form = page.locator("form.staff-action").filter(
        has=page.get_by_role("heading", name="Xin lỗi và hẹn lại ngày trả kết quả", exact=True))
    form.get_by_label("Ngày hẹn trả kết quả mới").fill(new.isoformat())
    form.get_by_label("Lý do chậm trễ").fill("Chờ ý kiến thẩm định của Hội đồng chuyên môn.")
    form.get_by_role("button", name="Xin lỗi và hẹn lại ngày trả kết quả").click()
    assert clerk.notice() == "Đã hẹn lại ngày trả kết quả; phiếu xin lỗi được gửi cho người dân."
    assert "Xin lỗi và hẹn lại ngày trả kết quả" in page.locator(".timeline").inner_text()
    assert audit(page) == []
    clerk.shot("145-can-bo-da-hen-lai")

    for width, shot in ((1366, "146-nguoi-dan-hen-lai-1366"), (390, "147-nguoi-dan-hen-lai-390")):
        owner: Person = person(width=width, height=900)
        owner.sign_in("Đặng Thị Bích", email)
        owner_page = owner.page

        def slip_and_mail_listed(owner_page: Any = owner_page) -> bool:
            owner_page.goto(f"/ho-so/{dossier_id}")
            return (owner_page.get_by_text("Phiếu xin lỗi và hẹn lại ngày trả kết quả").count() > 0
                    and owner_page.get_by_text("Thư xin lỗi và hẹn lại ngày trả kết quả").count() > 0)

        eventually_sync(slip_and_mail_listed, timeout=30, what="the apology slip and mail on the citizen's page")
        facts = owner_page.locator("main").inner_text()
        assert "Ngày hẹn trả kết quả mới" in facts and new.strftime("%d/%m/%Y") in facts
        assert due.strftime("%d/%m/%Y") in facts
        assert "Chờ ý kiến thẩm định của Hội đồng chuyên môn." in facts
        assert owner_page.evaluate("document.documentElement.scrollWidth") <= width
        assert audit(owner_page) == []
        owner.shot(shot)
