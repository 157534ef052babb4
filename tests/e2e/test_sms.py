"""The SMS beside the acceptance mail, in both ways to run: a citizen whose account has a phone (the
token's phone_number claim) gets exactly one SMS in the development sink when the dossier is accepted,
and the detail lists its delivery beside the mail's; a citizen without one gets mail only."""

from uuid import uuid4

import httpx
import pytest

from tests.e2e.client import detail, ok, sign_in, submitted_dossier
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.e2e


def new_phone() -> str:
    return "+8490" + str(uuid4().int)[:7]  # one per test: the sink is shared by the whole run


def notifications(citizen: httpx.Client, dossier_id: str) -> list[dict]:
    shown: list[dict] = detail(citizen, dossier_id)["notifications"]
    return shown


def test_a_citizen_with_a_phone_gets_one_sms_and_sees_it_in_the_detail(
        base_url: str, staff: httpx.Client) -> None:
    phone = new_phone()
    with sign_in(base_url, phone_number=phone) as citizen:
        dossier_id = submitted_dossier(citizen)
        ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
        lookup_code = detail(citizen, dossier_id)["lookup_code"]

        def sms_to_citizen() -> list[dict]:
            items: list[dict] = ok(citizen.get("/v1/dev/sms"))["items"]
            assert all(sms["recipient"] == phone for sms in items), "a citizen sees only their own SMS"
            return items

        eventually_sync(lambda: len(sms_to_citizen()) == 1, timeout=15, what="the reception SMS")
        [sms] = sms_to_citizen()
        assert lookup_code in sms["text"] and sms["text"].startswith("So Y te: Da tiep nhan ho so")
        assert sms["delivery_id"].endswith(".received.sms") and len(sms["text"]) <= 160

        eventually_sync(lambda: sorted((n["channel"], n["state"]) for n in notifications(citizen, dossier_id))
                        == [("email", "sent"), ("sms", "sent")], timeout=15, what="both deliveries in the detail")
        assert phone not in str(notifications(citizen, dossier_id))
        assert len(sms_to_citizen()) == 1  # still one, once both are reported
    assert httpx.get(f"{base_url}/v1/dev/sms").status_code == 401  # nothing without a token
    assert [found for found in ok(staff.get("/v1/dev/sms"))["items"] if found["recipient"] == phone]


def test_a_citizen_without_a_phone_gets_mail_only(citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    eventually_sync(lambda: [n["channel"] for n in notifications(citizen, dossier_id)] == ["email"],
                    timeout=15, what="the mail reported")
    assert ok(citizen.get("/v1/dev/sms"))["items"] == []
    assert not [found for found in ok(staff.get("/v1/dev/sms"))["items"]
                if found["delivery_id"].startswith(dossier_id)]
