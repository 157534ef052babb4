"""A dossier's whole life through intake's and processing's events, stored and read back on every engine."""

from datetime import date, timedelta
from typing import Any

from services.query.adapters.read_model import ReadModelRepository
from services.query.bootstrap import procedure_documents
from services.query.domain.views import detail
from shared.messages import DossierSubmitted
from shared.procedures import load_catalog
from tests.contract.read_model.events import (
    ASKED,
    CODE,
    DAY,
    OWNER,
    T0,
    VIETNAM,
    apply_all,
    content,
    event,
    full_life,
    ids,
    life,
    rejected,
    staff,
    withdrawn,
)

DOCUMENTS = procedure_documents(load_catalog())


async def stored(repo: ReadModelRepository, dossier_id: str = "d1") -> dict[str, Any]:
    document = await repo.get(dossier_id, OWNER)
    assert document is not None
    return document


async def test_the_full_life_and_its_history(repo: ReadModelRepository) -> None:
    await apply_all(repo, full_life())
    document = await stored(repo)
    assert (document["version"], document["status"]) == (12, "result_returned")
    assert [(entry["from"], entry["to"], entry["actor"]["kind"], entry["reason"])
            for entry in document["history"]] == [
        (None, "draft", "citizen", None),
        ("draft", "submitted", "citizen", None),
        ("submitted", "received", "staff", None),
        ("received", "supplement_requested", "staff", ASKED),
        ("supplement_requested", "submitted", "citizen", None),
        ("submitted", "received", "staff", None),
        ("received", "processing", "staff", None),
        ("processing", "result_ready", "staff", None),
        ("result_ready", "result_returned", "staff", None),
    ]
    assert document["history"][3]["actor"]["id"] == "clerk-1"
    assert document["title"] == "Giấy phép hành nghề (đã bổ sung)"
    assert (document["due_date"], document["last_reason"]) == ("2025-03-28", ASKED)
    full = detail(document, date(2025, 4, 30), VIETNAM, DOCUMENTS)
    assert (full["lookup_code"], full["overdue"], full["clock_paused"]) == (CODE, False, False)
    assert full["received_at"] == T0 + DAY and full["submitted_at"] == T0 + timedelta(hours=1)
    assert full["result"] == {
        "summary": "Cấp giấy phép hành nghề số 12/GP", "delivery_method": "online", "postal_address": None,
        "tracking_number": None,
        "downloadable": True,
        "document": {"filename": "ket-qua.pdf", "content_type": "application/pdf", "size_bytes": 40_960}}
    assert full["actions"] == ["download_result", "rate"]


async def test_the_lookup_code_and_clock_through_the_supplement(repo: ReadModelRepository) -> None:
    seen: list[tuple[int, str | None, str | None, bool, int | None]] = []
    for each in full_life()[:9]:
        await repo.apply(each)
        document = await stored(repo)
        seen.append((document["version"], document["lookup_code"], document["due_date"],
                     document["clock_paused"], document["remaining_working_days"]))
    assert seen[2:] == [
        (3, None, None, False, None),
        (4, CODE, "2025-03-24", False, None),
        (5, CODE, "2025-03-24", True, 10),  # the clock stops, the code stays
        (6, CODE, "2025-03-24", False, None),  # sent again: the clock runs, the code stays
        (7, CODE, "2025-03-28", False, None),  # the new due date
        (8, CODE, "2025-03-28", False, None),  # received again: the same code
        (9, CODE, "2025-03-28", False, None),
    ]
    assert await ids(repo, code=CODE) == ["d1"]
    assert await ids(repo, q=CODE.lower()) == ["d1"]


async def test_a_paused_clock_is_not_overdue(repo: ReadModelRepository) -> None:
    await apply_all(repo, full_life()[:5])
    long_after = date(2025, 6, 1)
    full = detail(await stored(repo), long_after, VIETNAM, DOCUMENTS)
    assert (full["status"], full["overdue"], full["reason"]) == ("supplement_requested", False, ASKED)
    assert full["actions"] == ["edit", "submit"]
    await repo.apply(full_life()[5])
    resent = detail(await stored(repo), long_after, VIETNAM, DOCUMENTS)
    assert (resent["overdue"], resent["actions"]) == (True, [])  # running again, and no withdrawal now


async def test_the_withdraw_branch(repo: ReadModelRepository) -> None:
    await apply_all(repo, life("d1", "Giấy phép hành nghề"))
    await repo.apply(event(withdrawn(), "d1", 4, T0 + 2 * DAY))
    document = await stored(repo)
    assert (document["status"], document["submitted_at"], document["lookup_code"]) == ("draft", None, None)
    assert document["history"][-1]["from"] == "submitted" and document["history"][-1]["actor"]["kind"] == "citizen"
    assert detail(document, date(2025, 3, 3), VIETNAM, DOCUMENTS)["actions"] == ["edit", "delete", "submit"]
    assert await ids(repo, status="draft") == ["d1"]
    assert await ids(repo, None) == []  # back with the citizen: out of the staff's sight
    again = DossierSubmitted(from_status="draft", owner_id=OWNER, content=content("Giấy phép hành nghề"))
    await repo.apply(event(again, "d1", 5, T0 + 3 * DAY))
    document = await stored(repo)
    assert (document["status"], document["submitted_at"]) == ("submitted", T0 + 3 * DAY)  # filed anew
    assert await ids(repo, None, status="submitted") == ["d1"]


async def test_the_reject_branch(repo: ReadModelRepository) -> None:
    await apply_all(repo, life("d1", "Giấy phép hành nghề"))
    await repo.apply(staff(rejected("Hồ sơ không thuộc thẩm quyền của Sở"), "d1", 4, T0 + DAY))
    document = await stored(repo)
    assert (document["status"], document["lookup_code"]) == ("rejected", None)
    full = detail(document, date(2025, 12, 31), VIETNAM, DOCUMENTS)
    assert (full["status_label"], full["reason"]) == ("Từ chối tiếp nhận", "Hồ sơ không thuộc thẩm quyền của Sở")
    assert (full["overdue"], full["actions"]) == (False, [])
    assert full["history"][-1]["reason"] == "Hồ sơ không thuộc thẩm quyền của Sở"
    assert await ids(repo, None, status="rejected") == ["d1"]
