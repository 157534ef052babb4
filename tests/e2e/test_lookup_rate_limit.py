"""The public lookup answers anyone without login, so each client is limited (429 with Retry-After)."""

import httpx
import pytest

pytestmark = pytest.mark.e2e


def test_a_client_asking_too_often_is_told_to_wait(base_url: str) -> None:
    # A burst of 30 goes through; the bucket refills at one every 2 s, so on a slow machine a few more may too
    # before the first refusal: asked until it comes, within a bound.
    answers = []
    for n in range(90):
        answers.append(httpx.get(f"{base_url}/v1/lookup/000.00.17.H00-260101-{n:04d}"))
        if answers[-1].status_code == 429:
            break
    statuses = [answer.status_code for answer in answers]
    assert statuses[:30] == [404] * 30
    limited = answers[-1]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "too_many_requests"
    # Other doors are not limited by it.
    assert httpx.get(f"{base_url}/v1/statuses").status_code == 200
