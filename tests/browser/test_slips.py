"""The slips on the detail pages: the citizen and the clerk each see the dossier's slips and download the
signed PDF from their own page."""

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.audit import audit
from tests.browser.portal import api_as, draft, new_email
from tests.support.documents import attach_required
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.browser

FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"}
RECEIPT = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


def test_the_citizen_and_the_clerk_download_the_receipt_slip(person: Any, portal_url: str) -> None:
    email, clerk_email = new_email(), new_email("can-bo")
    with api_as(portal_url, email) as citizen, api_as(portal_url, clerk_email, "staff") as clerk:
        dossier_id = draft(citizen, "SYT-KCB-01", "Giấy phép hành nghề bác sĩ Lý Thị Mai", FORM)
        attach_required(citizen, dossier_id, "SYT-KCB-01")
        assert citizen.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
        assert clerk.post(f"/v1/staff/dossiers/{dossier_id}/accept").status_code == 200
        eventually_sync(lambda: bool(_slips(citizen, dossier_id)), timeout=20, what="the receipt slip listed")
        issued = citizen.get(f"/v1/dossiers/{dossier_id}/slips/receipt").content

    for who, role, page_path in ((email, "citizen", f"/ho-so/{dossier_id}"),
                                 (clerk_email, "staff", f"/can-bo/ho-so/{dossier_id}")):
        visitor = person()
        visitor.sign_in("Lý Thị Mai" if role == "citizen" else "Nguyễn Thị Lan", who, role=role)
        page = visitor.page
        page.goto(page_path)
        slips = page.locator("#giay-to")
        link = slips.get_by_role("link", name=RECEIPT)
        with page.expect_download() as downloading:
            link.click()
        assert Path(downloading.value.path()).read_bytes() == issued
        assert downloading.value.suggested_filename.endswith(".pdf")
        slips.scroll_into_view_if_needed()
        visitor.shot(f"12{6 if role == 'citizen' else 7}-giay-to-{'nguoi-dan' if role == 'citizen' else 'can-bo'}")
        assert audit(page) == [], f"the {role}'s detail with its slips"


def _slips(client: httpx.Client, dossier_id: str) -> list[dict[str, Any]]:
    slips: list[dict[str, Any]] = client.get(f"/v1/dossiers/{dossier_id}").json()["slips"]
    return slips
