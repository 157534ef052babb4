"""The acceptance email (status c of the specification) in both ways to run, and over real SMTP.

Without SMTP_HOST the mail waits in the development mailbox; with it, it goes to that server. Either
way it goes to the address registered with the account, never the one typed into the form.
"""

import hashlib
import os

import httpx
import jwt
import pytest

from tests.e2e.client import APPLICANT, detail, ok, sign_in, submitted_dossier
from tests.support.processes import free_port, running
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.e2e


def registered_email(client: httpx.Client) -> str:
    """The email claim of the client's development token (sign_in derives it from the account id)."""
    claims = jwt.decode(client.headers["Authorization"].removeprefix("Bearer "), options={"verify_signature": False})
    return str(claims["email"])


def test_acceptance_mail_reaches_the_registered_address(
        base_url: str, citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    lookup_code = detail(citizen, dossier_id)["lookup_code"]
    address = registered_email(citizen)

    def mails_to_citizen() -> list[dict]:
        items: list[dict] = ok(citizen.get("/v1/dev/mailbox"))["items"]
        assert all(mail["recipient"] == address for mail in items), "a citizen sees only their own mail"
        return items

    eventually_sync(lambda: len(mails_to_citizen()) == 1, timeout=15, what="the acceptance email")
    mail = mails_to_citizen()[0]
    assert lookup_code in mail["subject"] and lookup_code in mail["text"] and lookup_code in mail["html"]
    assert "tiếp nhận" in mail["subject"]
    # It carries the receipt slip: the very bytes the citizen downloads (the mailbox keeps their digest).
    [attached] = mail["attachments"]
    slip = citizen.get(f"/v1/dossiers/{dossier_id}/slips/receipt")
    assert (attached["content_type"], attached["filename"]) == ("application/pdf", f"receipt-{lookup_code}-TNHS.pdf")
    assert attached["sha256"] == hashlib.sha256(slip.content).hexdigest()
    assert not [m for m in ok(staff.get("/v1/dev/mailbox"))["items"] if m["recipient"] == APPLICANT["email"]]
    assert httpx.get(f"{base_url}/v1/dev/mailbox").status_code == 401  # nothing without a token
    with sign_in(base_url) as stranger:
        assert ok(stranger.get("/v1/dev/mailbox"))["items"] == []

    eventually_sync(lambda: [n["state"] for n in detail(citizen, dossier_id)["notifications"]] == ["sent"],
                     timeout=15, what="the detail shows the notification sent")
    shown = detail(citizen, dossier_id)["notifications"][0]
    assert (shown["template"], shown["label"], shown["state_label"]) == (
        "received", "Xác nhận tiếp nhận hồ sơ", "Đã gửi")
    assert address not in str(detail(citizen, dossier_id)["notifications"])


def test_the_embedded_run_sends_over_smtp_when_told_where() -> None:
    sink = SmtpSink()
    sink.start_blocking()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"PORT": str(port), "DEMO_DATA": "0", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port),
           "SMTP_TLS": "none"}
    try:
        with running("services.embedded", env, f"{url}/readyz", f"embedded-smtp-{os.getpid()}"), \
                sign_in(url) as citizen, sign_in(url, roles=["staff"]) as staff:
            dossier_id = submitted_dossier(citizen)
            ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
            lookup_code = detail(citizen, dossier_id)["lookup_code"]
            address = registered_email(citizen)
            eventually_sync(lambda: len(sink.to(address)) == 1, timeout=15, what="the mail at the SMTP server")
            assert lookup_code in sink.to(address)[0].body("plain")
            assert staff.get("/v1/dev/mailbox").status_code == 404  # not in use: mail went out
    finally:
        sink.stop_blocking()
