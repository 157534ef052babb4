"""The deadline statistics (thống kê tình hình giải quyết hồ sơ) through the gateway, against `make run` and
`make run-services` alike: the dossiers received this month, per procedure, resolved on time, in progress; a
dossier rescheduled before its due date and resolved by the new one on time; staff only."""

from datetime import date, datetime
from typing import Any

import httpx
import pytest

from shared.timezones import local_zone
from shared.working_calendar import load_calendar
from tests.e2e.client import detail, new_draft, ok, submitted_dossier
from tests.support.documents import attach_required
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.e2e

STATISTICS = "/v1/staff/statistics"
ZERO = {"received": 0, "resolved_on_time": 0, "resolved_late": 0, "rescheduled_late": 0, "overdue": 0,
        "in_progress": 0}


def accepted(citizen: httpx.Client, staff: httpx.Client) -> str:
    dossier_id = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    return dossier_id


def resolved(staff: httpx.Client, dossier_id: str) -> None:
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/start-processing"))
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/issue-result", data={"summary": "Cấp giấy phép số 7"}))


def reissue_received(citizen: httpx.Client, staff: httpx.Client) -> str:
    body = {**new_draft("Cấp lại giấy phép hành nghề"), "procedure_code": "SYT-KCB-02",
            "form": {"chuyen_mon": "Bác sĩ nội khoa", "ly_do": "Bị mất"}}
    dossier_id: str = ok(citizen.post("/v1/dossiers", json=body), 201)["id"]
    attach_required(citizen, dossier_id, "SYT-KCB-02")
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    return dossier_id


def rows(statistics: dict[str, Any]) -> dict[tuple[str, str], dict[str, int]]:
    return {(row["procedure_code"], row["month"]): row["counts"] for row in statistics["rows"]}


def test_staff_count_the_dossiers_received_and_how_they_stand(base_url: str, citizen: httpx.Client,
                                                             staff: httpx.Client) -> None:
    today = datetime.now(local_zone()).date()
    month = f"{today.year:04d}-{today.month:02d}"
    accepted(citizen, staff)  # in progress
    resolved(staff, accepted(citizen, staff))  # resolved today: on time
    rescheduled = accepted(citizen, staff)
    due = date.fromisoformat(detail(citizen, rescheduled)["due_date"])
    ok(staff.post(f"/v1/staff/dossiers/{rescheduled}/reschedule", json={
        "new_due_date": load_calendar().add_working_days(due, 3).isoformat(), "reason": "Chờ ý kiến thẩm định"}))
    resolved(staff, rescheduled)  # rescheduled before its due date: not late
    submitted_dossier(citizen)  # not received: not counted
    reissue_received(citizen, staff)

    expected = {("SYT-KCB-01", month): {**ZERO, "received": 3, "resolved_on_time": 2, "in_progress": 1},
                ("SYT-KCB-02", month): {**ZERO, "received": 1, "in_progress": 1}}
    eventually_sync(lambda: rows(ok(staff.get(STATISTICS))) == expected, timeout=15,
                    what="the statistics count every dossier received")
    counted = ok(staff.get(STATISTICS, params={"from_month": month, "to_month": month}))
    assert rows(counted) == expected
    assert counted["totals"] == {**ZERO, "received": 4, "resolved_on_time": 2, "in_progress": 2}
    assert counted["as_of"] == today.isoformat()
    assert all(row["procedure_name"] for row in counted["rows"])
    one = ok(staff.get(STATISTICS, params={"procedure_code": "SYT-KCB-02"}))
    assert (one["procedure_code"], list(rows(one))) == ("SYT-KCB-02", [("SYT-KCB-02", month)])
    later = f"{today.year + 1:04d}-01"
    assert ok(staff.get(STATISTICS, params={"from_month": later}))["rows"] == []

    wrong_way = staff.get(STATISTICS, params={"from_month": later, "to_month": month})
    assert wrong_way.status_code == 422 and "to_month" in wrong_way.json()["error"]["fields"]
    assert staff.get(STATISTICS, params={"from_month": "2026-13"}).status_code == 422
    assert citizen.get(STATISTICS).status_code == 403
    assert httpx.get(f"{base_url}{STATISTICS}").status_code == 401
