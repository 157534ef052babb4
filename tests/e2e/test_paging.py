"""Paging through `/v1` while dossiers change status, against `make run` and `make run-services`: the
citizen's per-status list and the staff list, read by `next_cursor`, list each dossier that stayed in
the list once; none twice, none left out, whatever was accepted or sent between two pages."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.client import ok, sign_in, submitted_dossier
from tests.e2e.conftest import Product
from tests.support.figures import report_figure

pytestmark = pytest.mark.e2e

DOSSIERS = 24
PAGE = 4


def page_through(read: Callable[[str | None], dict[str, Any]], between: Callable[[int, list[str]], None]
                 ) -> tuple[list[str], int]:
    """Every page by cursor, `between` called after each with its number and the ids listed so far."""
    listed: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        found = read(cursor)
        pages += 1
        assert found["page"] == pages
        listed += [item["id"] for item in found["items"]]
        cursor = found["next_cursor"]
        if cursor is None:
            return listed, pages
        between(pages, listed)


def test_both_lists_by_cursor_list_each_dossier_that_stays_once(
        product: Product, base_url: str, staff: httpx.Client) -> None:
    with sign_in(base_url) as citizen:
        mine = [submitted_dossier(citizen, f"Hồ sơ {number}") for number in range(DOSSIERS)]
        figures = []
        for name, client, path in (("citizen", citizen, "/v1/dossiers"), ("staff", staff, "/v1/staff/dossiers")):
            accepted: set[str] = set()
            arrived: set[str] = set()

            def read(cursor: str | None, client: httpx.Client = client, path: str = path) -> dict[str, Any]:
                found: dict[str, Any] = ok(client.get(path, params={
                    "status": "submitted", "page_size": PAGE, **({"cursor": cursor} if cursor else {})}))
                return found

            def between(page: int, listed: list[str], accepted: set[str] = accepted,
                        arrived: set[str] = arrived, mine: list[str] = mine) -> None:
                # One listed already and one not yet are accepted (they leave); a new one is sent (it arrives).
                waiting = [dossier for dossier in mine if dossier not in accepted]
                for leaving in {next(d for d in listed if d in waiting), waiting[-1]}:
                    ok(staff.post(f"/v1/staff/dossiers/{leaving}/accept"))
                    accepted.add(leaving)
                arrived.add(submitted_dossier(citizen, f"Hồ sơ mới {page}"))

            start = {item["id"] for item in ok(client.get(path, params={"status": "submitted", "page_size": 100}))[
                "items"]}
            listed, pages = page_through(read, between)
            stayed = start - accepted
            twice, left_out = len(listed) - len(set(listed)), stayed - set(listed)
            figures.append(f"{name}: {len(listed)} over {pages} pages, {len(accepted)} left, {len(arrived)} arrived, "
                           f"{twice} twice, {len(left_out)} left out")
            assert twice == 0 and not left_out, figures[-1]
            mine = [dossier for dossier in mine if dossier not in accepted] + sorted(arrived)
        report_figure(f"paging through /v1 ({product.mode})",
                      f"both lists by cursor, pages of {PAGE}, accepting and sending between pages",
                      "; ".join(figures), held=True)


def test_the_first_contract_pages_by_number_and_a_bad_cursor_is_refused(citizen: httpx.Client) -> None:
    ids = [submitted_dossier(citizen, f"Hồ sơ {number}") for number in range(3)]
    second = ok(citizen.get("/v1/dossiers", params={"page": 2, "page_size": 2}))
    assert (second["page"], second["total"], len(second["items"]), second["next_cursor"]) == (2, 3, 1, None)
    first = ok(citizen.get("/v1/dossiers", params={"page_size": 2}))
    assert [item["id"] for item in first["items"]] == ids[:0:-1] and first["prev_cursor"] is None
    by_cursor = ok(citizen.get("/v1/dossiers", params={"page_size": 2, "cursor": first["next_cursor"]}))
    assert [item["id"] for item in by_cursor["items"]] == [ids[0]] and by_cursor["prev_cursor"]
    refused = citizen.get("/v1/dossiers", params={"cursor": "khong-phai-vi-tri"})
    assert refused.status_code == 422 and set(refused.json()["error"]["fields"]) == {"cursor"}
