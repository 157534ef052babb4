"""No personal data and no tokens in any log (issue 17, item 8, the logging half): a whole journey (a draft
with a known applicant, submit, accept, payment, the result returned) through `make run` and through
`make run-services`, every service's output captured, and none of the applicant's values, the account's
registered email and phone, nor the bearer tokens (nor their signatures alone) found in it, as written or
JSON-escaped."""

import json
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import pytest

from services.sample_files import sample_pdf
from tests.e2e.client import new_draft, ok, sign_in
from tests.e2e.conftest import run_services
from tests.support.documents import attach_required
from tests.support.figures import report_figure
from tests.support.processes import LOG_DIR, free_port, running

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Every line any service can write, each written as it happens.
MOST_VERBOSE = {"LOG_LEVEL": "DEBUG", "PYTHONUNBUFFERED": "1"}


def known_account() -> dict[str, str]:
    """The citizen account's registered address and phone (the token's `email` and `phone_number` claims,
    where notify sends mail and SMS), unlike the applicant's typed into the form and any other value."""
    tag = secrets.token_hex(3)
    return {"account email": f"tai.khoan.{tag}@example.vn", "account phone": f"+849{secrets.randbelow(10**8):08d}"}


def known_applicant() -> dict[str, str]:
    """Values that appear nowhere else, so that finding one in a log can only be a leak."""
    tag = secrets.token_hex(3)
    return {"full_name": f"Phạm Thị Kín Đáo {tag}", "id_number": f"0{secrets.randbelow(10**11):011d}",
            "phone": f"09{secrets.randbelow(10**8):08d}", "email": f"kin.dao.{tag}@example.vn",
            "address": f"{secrets.randbelow(900) + 100} Đường Bí Mật {tag}, Phường Kín, Hà Nội"}


@contextmanager
def product(mode: str, log_file: Path) -> Iterator[str]:
    """`make run` or `make run-services`, every process writing its log to `log_file`; the gateway's URL."""
    if mode == "embedded":
        port = free_port()
        with tempfile.TemporaryDirectory(prefix="hoso-faults-certificate-") as certificates, \
                running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0", "DEV_CERTIFICATE_DIR": certificates,
                                              **MOST_VERBOSE}, f"http://127.0.0.1:{port}/readyz", log_file.stem):
            yield f"http://127.0.0.1:{port}"
    else:
        for services in run_services(MOST_VERBOSE, log_name=log_file.stem):
            yield services.base_url


@pytest.mark.parametrize("mode", ["embedded", pytest.param("services", marks=pytest.mark.rabbitmq)])
def test_a_whole_journey_leaves_no_personal_data_and_no_token_in_any_log(mode: str) -> None:
    log_file = LOG_DIR / f"faults-no-personal-data-{mode}-{uuid4().hex[:8]}.log"
    applicant, account = known_applicant(), known_account()
    with product(mode, log_file) as base_url:
        tokens = journey(base_url, applicant, account)
    secrets_to_find = {**applicant, **account, **tokens,
                       **{f"{name} signature": token.rsplit(".", 1)[-1] for name, token in tokens.items()}}
    logged = log_file.read_text(encoding="utf-8")
    assert "http_request" in logged, "no request was logged: nothing tested"
    found = sorted(name for name, value in secrets_to_find.items()
                   if value in logged or json.dumps(value)[1:-1] in logged)
    report_figure(f"no personal data in logs ({mode})", "a whole journey (draft with a known applicant, submit, "
                  "accept, payment at the office, result returned online), every process's log read",
                  f"{len(logged.splitlines())} log lines; {len(secrets_to_find)} values looked for "
                  f"(name, id number, phone, email, address, the account's email and phone, 2 tokens and their "
                  f"signatures); found: "
                  f"{', '.join(found) or 'none'}", held=not found)
    assert not found, f"found in {log_file}: {found}"


def journey(base_url: str, applicant: dict[str, str], account: dict[str, str] | None = None) -> dict[str, str]:
    """Draft, submit, accept, pay at the office, the result issued and returned online, by a citizen signed
    in with `account`'s address and phone (else made-up ones); the bearer tokens."""
    account = account or {}
    with sign_in(base_url, email=account.get("account email"), phone_number=account.get("account phone")) as citizen, \
            sign_in(base_url, roles=["staff"]) as staff:
        draft = {**new_draft(), "applicant": applicant}
        dossier_id = ok(citizen.post("/v1/dossiers", json=draft), 201)["id"]
        ok(citizen.patch(f"/v1/dossiers/{dossier_id}", json={"applicant": applicant}, headers={"If-Match": '"1"'}))
        attach_required(citizen, dossier_id, "SYT-KCB-01")
        ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
        for action in ("accept", "start-processing", "request-payment"):
            ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/{action}"))
        ok(citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "at_office"}))
        ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/confirm-payment",
                      json={"method": "at_office", "receipt_number": "0004321"}))
        ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/issue-result", data={"summary": "Cấp giấy phép số 9/GP."},
                      files={"document": ("giay-phep.pdf", sample_pdf("giay phep"), "application/pdf")}))
        ok(citizen.put(f"/v1/dossiers/{dossier_id}/result-delivery", json={"method": "online"}))
        assert citizen.get(f"/v1/dossiers/{dossier_id}/result").status_code == 200
        assert ok(citizen.get(f"/v1/dossiers/{dossier_id}"))["status"] == "result_returned"
        tokens = {name: client.headers["Authorization"].removeprefix("Bearer ")
                  for name, client in (("citizen token", citizen), ("staff token", staff))}
    return tokens
