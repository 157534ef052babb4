"""The public lookup (tra cứu hồ sơ): by the exact lookup code, in any case, and nothing personal."""

import json
from datetime import date, timedelta

from services.query.adapters.read_model import ReadModelRepository
from tests.contract.read_model.events import (
    APPLICANT_NAME,
    CLERK,
    OWNER,
    T0,
    apply_all,
    life,
    received,
    staff,
    supplement,
)
from tests.contract.read_model.service import QueryApi
from tests.support.waiting import eventually

CODE = "H48.25-0303-0007"
REASON = "Thiếu bản sao chứng chỉ hành nghề"


def asked_for_supplement(dossier_id: str = "d1") -> list:
    return [*life(dossier_id, "Giấy phép hành nghề bí mật"),
            staff(received(CODE, T0 + timedelta(days=1), date(2025, 3, 24)), dossier_id, 4, T0 + timedelta(days=1)),
            staff(supplement(REASON, remaining=10), dossier_id, 5, T0 + timedelta(days=2))]


async def test_found_by_the_exact_code_in_any_case(repo: ReadModelRepository) -> None:
    await apply_all(repo, asked_for_supplement())
    await apply_all(repo, life("d2", "Chưa tiếp nhận"))
    for typed in (CODE, CODE.lower(), f"  {CODE} "):
        document = await repo.find_by_lookup_code(typed)
        assert document is not None and document["lookup_code"] == CODE
    assert await repo.find_by_lookup_code("H48.25") is None  # a prefix is not the code
    assert await repo.find_by_lookup_code("H48.25-0303-000.") is None  # nor a pattern
    assert await repo.find_by_lookup_code("d2") is None  # nor a dossier id


async def test_only_public_fields_are_read(repo: ReadModelRepository) -> None:
    await apply_all(repo, asked_for_supplement())
    document = await repo.find_by_lookup_code(CODE)
    assert document is not None
    assert set(document) <= {"_id", "lookup_code", "procedure_name", "status", "received_at", "due_date",
                             "history"}
    assert all(set(entry) == {"at", "to"} for entry in document["history"])


async def test_the_lookup_endpoint_shows_nothing_personal(api: QueryApi) -> None:
    for each in asked_for_supplement():
        await api.bus.publish(each)

    async def known() -> bool:
        return (await api.client.get(f"/lookup/{CODE.lower()}")).status_code == 200

    await eventually(known, timeout=5, what="the lookup code is known")
    answer = (await api.client.get(f"/lookup/{CODE}")).json()
    assert answer == {
        "lookup_code": CODE, "procedure_name": answer["procedure_name"], "status": "supplement_requested",
        "status_label": "Yêu cầu bổ sung", "received_at": answer["received_at"], "due_date": "2025-03-24",
        "history": [{"at": entry["at"], "to": to} for entry, to in zip(
            # The public timeline starts at reception: the drafting before it is the citizen's own.
            answer["history"], ["received", "supplement_requested"], strict=True)],
    }
    assert answer["procedure_name"] and answer["received_at"]
    text = json.dumps(answer, ensure_ascii=False)
    for personal in (APPLICANT_NAME, "bí mật", OWNER, CLERK.id, REASON, "001203004005", "an@example.vn",
                     "0901234567", "CC-0042", "d1"):
        assert personal not in text


async def test_an_unknown_code_is_not_found(api: QueryApi) -> None:
    answer = await api.client.get("/lookup/H00.00-0000-0000")
    assert answer.status_code == 404
    assert answer.json() == {"error": {"code": "dossier_not_found", "message": "Không tìm thấy hồ sơ."}}
    too_long = await api.client.get("/lookup/" + "X" * 101)
    assert too_long.status_code == 422
