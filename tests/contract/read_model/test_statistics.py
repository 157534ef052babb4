"""The deadline statistics on every engine, through the query service's real bootstrap and API: the dossiers
received in the months asked for (bounds in Vietnam time), of the procedure asked for, each under its outcome;
a dossier rescheduled after its due date counted late though its result came by the new date."""

from datetime import date, timedelta

from services.query.adapters.read_model import ReadModelRepository
from services.query.adapters.statistics import DossiersReceived
from shared.lifecycle import DossierRescheduled
from shared.store.port import DocumentStore
from tests.contract.read_model.events import (
    OWNER,
    T0,
    apply_all,
    full_life,
    issued,
    life,
    received,
    staff,
    started,
)
from tests.contract.read_model.service import QueryApi

DAY = timedelta(days=1)


def received_on(dossier_id: str, at_days: float, due: date, procedure_code: str = "SYT-KCB-01") -> list:
    at = T0 + at_days * DAY
    return [*life(dossier_id, f"Hồ sơ {dossier_id}", at=at - timedelta(hours=2), procedure_code=procedure_code),
            staff(received(f"HS-{dossier_id}", at, due), dossier_id, 4, at)]


def rescheduled_late_then_resolved(dossier_id: str) -> list:
    """Due on 14 March, rescheduled on the 17th (late) to the 28th, the result issued on the 20th."""
    due, new_due = date(2025, 3, 14), date(2025, 3, 28)
    return [*received_on(dossier_id, 1, due), staff(started(), dossier_id, 5, T0 + 2 * DAY),
            staff(DossierRescheduled(status="processing", previous_due_date=due, new_due_date=new_due,
                                     original_due_date=due, reason="Chờ ý kiến thẩm định", late=True,
                                     owner_id=OWNER), dossier_id, 6, T0 + 14 * DAY),
            staff(issued("Cấp giấy phép"), dossier_id, 7, T0 + 17 * DAY)]


async def test_counted_per_procedure_and_month_of_reception(store: DocumentStore, repo: ReadModelRepository,
                                                           api: QueryApi) -> None:
    await apply_all(repo, full_life("on-time"))  # received 4 March, resolved 13 March, due 28 March
    await apply_all(repo, rescheduled_late_then_resolved("rescheduled"))
    await apply_all(repo, received_on("overdue", 2, date(2025, 3, 20)))  # long past today
    await apply_all(repo, received_on("in-time", 3, date(2099, 12, 31), procedure_code="SYT-DUOC-01"))
    await apply_all(repo, received_on("april", 29, date(2099, 12, 31)))  # 1 April, 08:30 in Hà Nội
    await apply_all(repo, life("draft", "Chưa gửi", submit=False))
    await apply_all(repo, life("waiting", "Đã gửi, chưa tiếp nhận"))

    answer = await api.client.get("/statistics", params={"from_month": "2025-03", "to_month": "2025-03"})
    assert answer.status_code == 200, answer.text
    counted = answer.json()
    assert (counted["from_month"], counted["to_month"], counted["procedure_code"]) == ("2025-03", "2025-03", None)
    assert date.fromisoformat(counted["as_of"]) > date(2025, 3, 20)
    rows = {(row["procedure_code"], row["month"]): row["counts"] for row in counted["rows"]}
    assert rows == {
        ("SYT-DUOC-01", "2025-03"): {"received": 1, "resolved_on_time": 0, "resolved_late": 0,
                                     "rescheduled_late": 0, "overdue": 0, "in_progress": 1},
        ("SYT-KCB-01", "2025-03"): {"received": 3, "resolved_on_time": 1, "resolved_late": 1,
                                    "rescheduled_late": 1, "overdue": 1, "in_progress": 0},
    }
    assert [row["procedure_code"] for row in counted["rows"]] == ["SYT-DUOC-01", "SYT-KCB-01"]
    assert counted["totals"]["received"] == 4
    assert all(row["procedure_name"] for row in counted["rows"])

    april = (await api.client.get("/statistics", params={"from_month": "2025-04"})).json()
    assert [(row["month"], row["counts"]["received"]) for row in april["rows"]] == [("2025-04", 1)]
    one = (await api.client.get("/statistics", params={"procedure_code": "SYT-DUOC-01"})).json()
    assert one["totals"]["received"] == 1 and one["procedure_code"] == "SYT-DUOC-01"
    refused = await api.client.get("/statistics", params={"from_month": "2025-05", "to_month": "2025-04"})
    assert refused.status_code == 422


async def test_only_the_fields_counted_are_read(store: DocumentStore, repo: ReadModelRepository) -> None:
    await apply_all(repo, rescheduled_late_then_resolved("rescheduled"))
    found = await DossiersReceived(store.db).between(None, None)
    assert [document["_id"] for document in found] == ["rescheduled"]
    [document] = found
    assert "applicant" not in document and "title" not in document
    assert all(set(entry) == {"to", "at"} for entry in document["history"]), "no reason, no actor is read"
