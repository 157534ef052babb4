"""A citizen's withdraw and a clerk's accept at the same moment: one outcome, the same everywhere.

Processing holds a submitted dossier and decides both; intake and the read model follow its decision.
"""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.e2e.client import detail, submitted_dossier

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROUNDS = 20


def test_withdraw_and_accept_race_ends_in_one_outcome(citizen: httpx.Client, staff: httpx.Client) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(ROUNDS):
            dossier_id = submitted_dossier(citizen)
            withdraw = pool.submit(citizen.post, f"/v1/dossiers/{dossier_id}/withdraw")
            accept = pool.submit(staff.post, f"/v1/staff/dossiers/{dossier_id}/accept")
            codes = (withdraw.result().status_code, accept.result().status_code)
            assert sorted(codes) == [200, 409], codes
            winner = "draft" if codes[0] == 200 else "received"

            seen = detail(citizen, dossier_id)  # the read model
            assert seen["status"] == winner
            # intake holds the dossier (and lets the citizen edit it) exactly when the withdraw won
            edit = citizen.patch(f"/v1/dossiers/{dossier_id}", json={"title": "Sau khi rút"},
                                 headers={"If-Match": str(seen["version"])})
            assert edit.status_code == (200 if winner == "draft" else 409), edit.text
            # processing holds it as received (and lets staff go on) exactly when the accept won
            go_on = staff.post(f"/v1/staff/dossiers/{dossier_id}/start-processing")
            assert go_on.status_code == (409 if winner == "draft" else 200), go_on.text
