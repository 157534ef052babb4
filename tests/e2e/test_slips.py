"""The one-stop slips in both ways to run, with mail going to a real SMTP server: accept a dossier and
download its receipt slip (signed, verified with the run's certificate, its text holding the lookup code,
procedure, appointment date and documents); the acceptance mail carries it; the supplement, refusal and
fee-receipt slips at their steps; the detail lists them; 404 for another's and for a step not taken."""

import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization.pkcs12 import load_pkcs12

from services.slips.adapters.dev_certificate import FILENAME, PASSWORD
from shared.procedures import load_catalog
from tests.e2e.client import detail, ok, sign_in, submitted_dossier
from tests.e2e.conftest import Product, run_mailing
from tests.support.slip_pdfs import pdf_text, require_poppler, save_png, verifies
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.e2e


class Run:
    def __init__(self, product: Product, sink: SmtpSink) -> None:
        assert product.certificate_dir is not None
        self.mode, self.url, self.certificates, self.sink = (product.mode, product.base_url,
                                                              product.certificate_dir, sink)

    def certificate_pem(self) -> bytes:
        """The run's configured certificate: its development one, read from the file it created."""
        loaded = load_pkcs12((self.certificates / FILENAME).read_bytes(), PASSWORD.encode())
        assert loaded.cert is not None
        return loaded.cert.certificate.public_bytes(Encoding.PEM)


@pytest.fixture(scope="module", params=["embedded", pytest.param("services", marks=pytest.mark.rabbitmq)])
def run(request: pytest.FixtureRequest) -> Iterator[Run]:
    """tests/e2e/conftest.py's runs, sending mail to a real SMTP server."""
    require_poppler()
    for product, sink in run_mailing(request.param, "slips"):
        yield Run(product, sink)


@pytest.fixture(scope="module")
def base_url(run: Run) -> str:
    """The run's address, for conftest.py's `citizen` and `staff`."""
    return run.url


def slips_listed(client: httpx.Client, dossier_id: str, kind: str) -> list[dict[str, Any]]:
    return [slip for slip in detail(client, dossier_id)["slips"] if slip["kind"] == kind]


def issued(client: httpx.Client, dossier_id: str, kind: str) -> bytes:
    """Wait for the detail to list the slip, then download it from the address the detail gives."""
    eventually_sync(lambda: bool(slips_listed(client, dossier_id, kind)), timeout=30, what=f"the {kind} slip listed")
    [listed] = slips_listed(client, dossier_id, kind)
    assert listed["url"] == f"/v1/dossiers/{dossier_id}/slips/{kind}"
    answer = client.get(listed["url"])
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    return answer.content


def registered_email(client: httpx.Client) -> str:
    claims = jwt.decode(client.headers["Authorization"].removeprefix("Bearer "), options={"verify_signature": False})
    return str(claims["email"])


def test_the_receipt_slip_signed_listed_and_attached_to_the_acceptance_mail(
        run: Run, citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    shown = detail(citizen, dossier_id)
    pdf = issued(citizen, dossier_id, "receipt")

    assert verifies(pdf, run.certificate_pem())
    assert ok_pem(run) == run.certificate_pem()
    middle = len(pdf) // 3
    assert not verifies(pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:], run.certificate_pem())
    text = pdf_text(pdf)
    procedure = load_catalog().get("SYT-KCB-01")
    due = shown["due_date"]
    assert shown["lookup_code"] in text and procedure.name in text
    assert f"{due[8:10]}/{due[5:7]}/{due[0:4]}" in text
    for document in procedure.documents:
        if document.required:
            assert document.name in text, document.name
    save_png(pdf, f"12{4 if run.mode == 'embedded' else 5}-slip-receipt-{run.mode}")
    assert citizen.get(f"/v1/dossiers/{dossier_id}/slips/receipt").content == pdf  # the same bytes again
    assert staff.get(f"/v1/staff/dossiers/{dossier_id}/slips/receipt").content == pdf
    staff_view = ok(staff.get(f"/v1/staff/dossiers/{dossier_id}"))["slips"]
    assert [slip["url"] for slip in staff_view] == [f"/v1/staff/dossiers/{dossier_id}/slips/receipt"]

    address = registered_email(citizen)
    eventually_sync(lambda: len(run.sink.to(address)) == 1, timeout=30, what="the acceptance mail")
    [attachment] = list(run.sink.to(address)[0].message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert hashlib.sha256(attachment.get_content()).digest() == hashlib.sha256(pdf).digest()


def ok_pem(run: Run) -> bytes:
    answer = httpx.get(f"{run.url}/v1/slips/certificate")
    assert answer.status_code == 200
    return answer.content


def test_supplement_refusal_and_fee_receipt_slips_at_their_steps(
        run: Run, citizen: httpx.Client, staff: httpx.Client) -> None:
    asked = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{asked}/request-supplement",
                  json={"reason": "Bản sao văn bằng chưa được chứng thực."}))
    text = pdf_text(pdf := issued(citizen, asked, "supplement"))
    assert "Bản sao văn bằng chưa được chứng thực." in text and verifies(pdf, run.certificate_pem())
    address = registered_email(citizen)
    eventually_sync(lambda: any(f"/ho-so/{asked}/phieu/supplement" in mail.body("plain")
                                for mail in run.sink.to(address)), timeout=30, what="the supplement mail's link")

    refused = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{refused}/reject", json={"reason": "Không thuộc thẩm quyền của Sở Y tế."}))
    text = pdf_text(pdf := issued(citizen, refused, "refusal"))
    assert "Không thuộc thẩm quyền của Sở Y tế." in text and verifies(pdf, run.certificate_pem())

    paying = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{paying}/accept"))
    ok(staff.post(f"/v1/staff/dossiers/{paying}/request-payment"))
    ok(citizen.post(f"/v1/dossiers/{paying}/payments", json={"method": "at_office"}))
    ok(staff.post(f"/v1/staff/dossiers/{paying}/confirm-payment",
                  json={"method": "at_office", "receipt_number": "0004321"}))
    text = pdf_text(pdf := issued(citizen, paying, "fee-receipt"))
    assert "0004321" in text and "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and verifies(pdf, run.certificate_pem())
    assert [slip["kind"] for slip in detail(citizen, paying)["slips"]] == ["receipt", "fee-receipt"]


def test_another_citizens_slip_and_a_step_not_taken_answer_404(
        run: Run, citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    issued(citizen, dossier_id, "receipt")
    with sign_in(run.url) as stranger:
        assert stranger.get(f"/v1/dossiers/{dossier_id}/slips/receipt").status_code == 404
    assert citizen.get(f"/v1/dossiers/{dossier_id}/slips/refusal").status_code == 404
    assert staff.get(f"/v1/staff/dossiers/{dossier_id}/slips/supplement").status_code == 404
    assert citizen.get(f"/v1/dossiers/{dossier_id}/slips/nothing").status_code == 422
    assert citizen.get(f"/v1/staff/dossiers/{dossier_id}/slips/receipt").status_code == 403
    assert httpx.get(f"{run.url}/v1/dossiers/{dossier_id}/slips/receipt").status_code == 401
