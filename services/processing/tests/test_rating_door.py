"""The rating through processing's citizen door: stored with its event, once, whoever asks at the same time."""

import asyncio

import httpx

from services.processing.tests.harness import OWNER, Harness
from services.processing.tests.test_result_and_citizen_door import choose, with_result
from tests.support.waiting import eventually


async def returned(processing: Harness) -> str:
    dossier_id = await with_result(processing)
    assert (await choose(processing, dossier_id, method="at_office")).status_code == 200
    assert (await processing.act(dossier_id, "mark-returned")).status_code == 200
    return dossier_id


async def rate(processing: Harness, dossier_id: str, owner: str = OWNER, **body: str) -> httpx.Response:
    return await processing.client.put(f"/dossiers/{dossier_id}/rating", json={"owner_id": owner, **body})


async def test_the_rating_is_stored_and_published_once(processing: Harness) -> None:
    dossier_id = await returned(processing)
    answer = await rate(processing, dossier_id, level="very_satisfied", comment="Nhanh gọn")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"id": dossier_id, "status": "result_returned", "version": 8}
    await eventually(lambda: processing.published("dossier.rated", dossier_id), timeout=5)
    [event] = processing.published("dossier.rated", dossier_id)
    assert (event.producer, event.version, event.actor.kind) == ("processing", 8, "citizen")
    assert (event.data["level"], event.data["comment"]) == ("very_satisfied", "Nhanh gọn")
    assert (await processing.record(dossier_id))["rating"]["level"] == "very_satisfied"
    # Retried with the same body: the same answer, nothing published again.
    again = await rate(processing, dossier_id, level="very_satisfied", comment="Nhanh gọn")
    assert (again.status_code, again.json()) == (200, answer.json())
    other = await rate(processing, dossier_id, level="satisfied")
    assert (other.status_code, other.json()["error"]["code"]) == (409, "already_rated")
    assert len(processing.published("dossier.rated", dossier_id)) == 1


async def test_concurrent_ratings_rate_once(processing: Harness) -> None:
    dossier_id = await returned(processing)
    answers = await asyncio.gather(*(rate(processing, dossier_id, level=level, comment="Ý kiến")
                                     for level in ("very_satisfied", "satisfied", "dissatisfied")))
    assert sorted(answer.status_code for answer in answers) == [200, 409, 409]
    await eventually(lambda: processing.published("dossier.rated", dossier_id), timeout=5)
    assert len(processing.published("dossier.rated", dossier_id)) == 1


async def test_another_citizens_dossier_is_not_found(processing: Harness) -> None:
    dossier_id = await returned(processing)
    answer = await rate(processing, dossier_id, owner="someone-else", level="satisfied")
    assert answer.status_code == 404
    assert (await processing.record(dossier_id))["rating"] is None
