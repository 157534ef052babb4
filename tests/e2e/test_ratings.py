"""The satisfaction rating (đánh giá mức độ hài lòng) through the gateway, against `make run` and
`make run-services` alike: once, after the result is returned, and counted for staff per procedure and month.
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import httpx
import pytest

from shared.timezones import local_zone
from tests.e2e.client import detail, new_draft, ok, submitted_dossier
from tests.support.documents import attach_required

pytestmark = pytest.mark.e2e

SUMMARY = "/v1/staff/ratings/summary"


def returned(citizen: httpx.Client, staff: httpx.Client, dossier_id: str | None = None) -> str:
    """A dossier of the citizen's whose result they collected at the office (đã trả kết quả)."""
    dossier_id = dossier_id or submitted_dossier(citizen)
    issued = ready(citizen, staff, dossier_id)
    ok(staff.post(f"/v1/staff/dossiers/{issued}/mark-returned", json={"method": "at_office"}))
    return issued


def ready(citizen: httpx.Client, staff: httpx.Client, dossier_id: str) -> str:
    for action in ("accept", "start-processing"):
        ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/{action}"))
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/issue-result", data={"summary": "Giấy phép bản giấy."}))
    ok(citizen.put(f"/v1/dossiers/{dossier_id}/result-delivery", json={"method": "at_office"}))
    return dossier_id


def reissue_dossier(citizen: httpx.Client) -> str:
    """A dossier of another procedure: cấp lại giấy phép hành nghề (SYT-KCB-02)."""
    body = {**new_draft("Cấp lại giấy phép hành nghề"), "procedure_code": "SYT-KCB-02",
            "form": {"chuyen_mon": "Bác sĩ nội khoa", "ly_do": "Bị mất"}}
    dossier_id: str = ok(citizen.post("/v1/dossiers", json=body), 201)["id"]
    attach_required(citizen, dossier_id, "SYT-KCB-02")
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    return dossier_id


def rate(client: httpx.Client, dossier_id: str, level: str, comment: str | None = None) -> httpx.Response:
    return client.put(f"/v1/dossiers/{dossier_id}/rating", json={"level": level, "comment": comment})


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()["error"]
    return body


def test_a_returned_result_is_rated_once_and_the_detail_shows_it(citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = returned(citizen, staff)
    assert "rate" in detail(citizen, dossier_id)["actions"]
    answer = ok(rate(citizen, dossier_id, "very_satisfied", "Cán bộ hướng dẫn tận tình"))
    assert answer["status"] == "result_returned"
    shown = detail(citizen, dossier_id)
    assert shown["version"] == answer["version"]
    assert shown["rating"]["level"] == "very_satisfied"
    assert (shown["rating"]["label"], shown["rating"]["comment"]) == ("Rất hài lòng", "Cán bộ hướng dẫn tận tình")
    assert "rate" not in shown["actions"]
    # The same rating again (a retry after a lost answer) answers as the first did; another is refused.
    assert ok(rate(citizen, dossier_id, "very_satisfied", "Cán bộ hướng dẫn tận tình")) == answer
    refused = error(rate(citizen, dossier_id, "satisfied"), 409)
    assert refused["code"] == "already_rated" and "chỉ đánh giá một lần" in refused["message"]
    assert detail(citizen, dossier_id)["rating"]["level"] == "very_satisfied"
    # Staff see it in their detail too.
    assert ok(staff.get(f"/v1/staff/dossiers/{dossier_id}"))["rating"]["level"] == "very_satisfied"


def test_before_the_result_is_returned_rating_is_refused(citizen: httpx.Client, staff: httpx.Client) -> None:
    draft_id = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
    assert error(rate(citizen, draft_id, "satisfied"), 409)["code"] == "rating_not_open"
    dossier_id = submitted_dossier(citizen)
    refused = error(rate(citizen, dossier_id, "satisfied"), 409)
    assert refused["code"] == "rating_not_open"
    assert refused["message"] == "Chỉ đánh giá được mức độ hài lòng sau khi hồ sơ đã được trả kết quả."
    ready(citizen, staff, dossier_id)
    assert error(rate(citizen, dossier_id, "satisfied"), 409)["code"] == "rating_not_open"
    assert detail(citizen, dossier_id)["rating"] is None


def test_bad_ratings_are_refused_on_their_fields_and_change_nothing(
    citizen: httpx.Client, other_citizen: httpx.Client, staff: httpx.Client,
) -> None:
    dossier_id = returned(citizen, staff)
    version = detail(citizen, dossier_id)["version"]
    for comment in (None, "   "):
        refused = error(rate(citizen, dossier_id, "dissatisfied", comment), 422)
        assert refused["fields"]["comment"].startswith("Ý kiến: bắt buộc khi chọn “Không hài lòng”")
    wrong = error(rate(citizen, dossier_id, "angry"), 422)
    assert wrong["fields"]["level"].startswith("Mức độ hài lòng: chỉ nhận một trong các giá trị")
    too_long = error(rate(citizen, dossier_id, "satisfied", "x" * 1001), 422)
    assert too_long["fields"]["comment"] == "Ý kiến: tối đa 1000 ký tự."
    assert error(rate(other_citizen, dossier_id, "satisfied"), 404)["code"] == "dossier_not_found"
    assert rate(staff, dossier_id, "satisfied").status_code == 403
    assert detail(citizen, dossier_id)["rating"] is None
    assert detail(citizen, dossier_id)["version"] == version
    # Dissatisfied with a reason is a rating like the others.
    ok(rate(citizen, dossier_id, "dissatisfied", "Phải đi lại nhiều lần"))
    assert detail(citizen, dossier_id)["rating"]["label"] == "Không hài lòng"


def test_concurrent_ratings_rate_once(citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = returned(citizen, staff)
    version = detail(citizen, dossier_id)["version"]
    levels = ["very_satisfied", "satisfied", "dissatisfied", "satisfied"]
    with ThreadPoolExecutor(len(levels)) as pool:
        answers = list(pool.map(lambda level: rate(citizen, dossier_id, level, "Cùng lúc"), levels))
    winners = [level for level, answer in zip(levels, answers, strict=True) if answer.status_code == 200]
    assert sorted(answer.status_code for answer in answers) in ([200, 409, 409, 409], [200, 200, 409, 409])
    assert set(winners) == {detail(citizen, dossier_id)["rating"]["level"]}, "only the same rating twice"
    assert detail(citizen, dossier_id)["version"] == version + 1


def counted(staff: httpx.Client, **params: str) -> Counter[tuple[str, str, str]]:
    """The summary as (procedure, month, level) to count, levels with none left out."""
    summary = ok(staff.get(SUMMARY, params=params))
    found: Counter[tuple[str, str, str]] = Counter()
    for row in summary["rows"]:
        for level, count in row["counts"].items():
            if level != "total" and count:
                found[(row["procedure_code"], row["month"], level)] = count
        assert row["counts"]["total"] == sum(count for level, count in row["counts"].items() if level != "total")
    return found


def month_in_vietnam(rated_at: str) -> str:
    return datetime.fromisoformat(rated_at).astimezone(local_zone()).strftime("%Y-%m")


def test_staff_get_the_ratings_counted_per_procedure_and_month(citizen: httpx.Client, staff: httpx.Client) -> None:
    before, reissues_before = counted(staff), counted(staff, procedure_code="SYT-KCB-02")
    rated = [(submitted_dossier(citizen), "very_satisfied", None), (submitted_dossier(citizen), "satisfied", "Ổn"),
             (reissue_dossier(citizen), "dissatisfied", "Chờ lâu"), (reissue_dossier(citizen), "very_satisfied", None)]
    expected: Counter[tuple[str, str, str]] = Counter()
    months = set()
    for dossier_id, level, comment in rated:
        returned(citizen, staff, dossier_id)
        ok(rate(citizen, dossier_id, level, comment))
        shown = detail(citizen, dossier_id)
        # The month is the one the rating was given in, in Vietnam, as processing recorded it.
        month = month_in_vietnam(shown["rating"]["rated_at"])
        months.add(month)
        expected[(shown["procedure_code"], month, level)] += 1
    assert {procedure for procedure, _month, _level in expected} == {"SYT-KCB-01", "SYT-KCB-02"}
    assert counted(staff) - before == expected
    reissues = counted(staff, procedure_code="SYT-KCB-02")
    assert all(procedure == "SYT-KCB-02" for procedure, _month, _level in reissues)
    assert reissues - reissues_before == Counter({key: n for key, n in expected.items() if key[0] == "SYT-KCB-02"})
    first, last = min(months), max(months)
    assert counted(staff, from_month=first, to_month=last) - before == expected
    # Months after the last rating hold none of them; months before the first, none either.
    later = f"{int(last[:4]) + 1}-01"
    assert counted(staff, from_month=later) == Counter()
    assert counted(staff, to_month=f"{int(first[:4]) - 1}-12") == Counter()
    summary = ok(staff.get(SUMMARY, params={"from_month": first, "to_month": last}))
    assert (summary["from_month"], summary["to_month"]) == (first, last)
    names = {row["procedure_code"]: row["procedure_name"] for row in summary["rows"]}
    assert names["SYT-KCB-02"] and names["SYT-KCB-01"] != names["SYT-KCB-02"]


def test_the_summary_is_for_staff_and_refuses_bad_months(citizen: httpx.Client, staff: httpx.Client) -> None:
    assert citizen.get(SUMMARY).status_code == 403
    assert httpx.get(f"{str(staff.base_url).rstrip('/')}{SUMMARY}").status_code == 401
    bad = error(staff.get(SUMMARY, params={"from_month": "2026-13"}), 422)
    assert bad["fields"]["from_month"].startswith("Từ tháng: không đúng định dạng")
    reversed_range = error(staff.get(SUMMARY, params={"from_month": "2026-05", "to_month": "2026-04"}), 422)
    assert reversed_range["fields"] == {"to_month": "Đến tháng: không được trước “Từ tháng”."}
