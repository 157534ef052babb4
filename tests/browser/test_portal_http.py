"""The portal's promises below the screens, over plain HTTP: the session cookie's flags, forms refused
without their CSRF token, no redirect off the site after signing in, pages for people and JSON for
programs, and each role kept to its own pages. No browser needed.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from services.sample_files import sample_pdf
from tests.browser.portal import api_as, draft, new_email
from tests.support.documents import attach_required

pytestmark = pytest.mark.e2e

FORM = {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh"}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@contextmanager
def signed_in(base_url: str, email: str, role: str = "citizen") -> Iterator[httpx.Client]:
    """A browser without scripts, signed in through the sign-in form."""
    with httpx.Client(base_url=base_url, headers={"Accept": "text/html"}, timeout=15) as browser:
        page = browser.get("/dang-nhap")
        answer = browser.post("/dang-nhap", data={"csrf": csrf_of(page.text), "role": role, "name": "An",
                                                  "email": email})
        assert answer.status_code == 303, answer.text
        yield browser


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html[:500]
    return found[1]


@pytest.fixture()
def citizen(portal_url: str) -> Iterator[tuple[httpx.Client, str]]:
    """A signed-in browser (no JavaScript, cookies kept) and one of its account's drafts, ready to send."""
    email = new_email()
    with api_as(portal_url, email) as api:
        dossier_id = draft(api, "SYT-KCB-01", "Hồ sơ thử", FORM)
        attach_required(api, dossier_id, "SYT-KCB-01")
    with signed_in(portal_url, email) as browser:
        yield browser, dossier_id


def test_the_session_cookie_is_http_only_and_same_site_lax(portal_url: str) -> None:
    with httpx.Client(base_url=portal_url) as browser:
        page = browser.get("/dang-nhap")
        answer = browser.post("/dang-nhap", data={"csrf": csrf_of(page.text), "role": "citizen", "name": "An",
                                                  "email": new_email()})
    session = next(value for value in answer.headers.get_list("set-cookie") if value.startswith("hoso_phien="))
    flags = {flag.strip().lower() for flag in session.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= flags
    assert "secure" not in flags  # plain http here; over https the cookie is Secure


def test_forms_without_this_sessions_csrf_token_change_nothing(
        portal_url: str, citizen: tuple[httpx.Client, str]) -> None:
    browser, dossier_id = citizen
    for forged in ({}, {"csrf": "0" * 64}):
        refused = browser.post(f"/ho-so/{dossier_id}/gui", data=forged)
        assert refused.status_code == 403 and "Biểu mẫu đã hết hạn" in refused.text
    with signed_in(portal_url, new_email()) as other:
        token_of_another_session = csrf_of(other.get("/").text)
    assert browser.post(f"/ho-so/{dossier_id}/gui", data={"csrf": token_of_another_session}).status_code == 403
    assert "Chưa gửi" in browser.get(f"/ho-so/{dossier_id}").text

    sent = browser.post(f"/ho-so/{dossier_id}/gui", data={"csrf": csrf_of(browser.get(f"/ho-so/{dossier_id}").text)})
    assert (sent.status_code, sent.headers["location"]) == (303, f"/ho-so/{dossier_id}")


def test_signing_in_never_sends_the_browser_off_the_site(portal_url: str) -> None:
    for wanted, landed in (("//evil.example/", "/"), ("https://evil.example/", "/"), ("/tra-cuu", "/tra-cuu")):
        with httpx.Client(base_url=portal_url) as browser:
            page = browser.get("/dang-nhap", params={"tiep": wanted})
            answer = browser.post("/dang-nhap", params={"tiep": wanted}, data={
                "csrf": csrf_of(page.text), "role": "citizen", "name": "An", "email": new_email()})
        assert answer.headers["location"] == landed


def test_pages_for_people_json_for_programs_and_each_role_its_own_pages(
        portal_url: str, citizen: tuple[httpx.Client, str]) -> None:
    browser, dossier_id = citizen
    page = browser.get(f"/ho-so/{dossier_id}")
    assert page.headers["content-type"].startswith("text/html") and '<html lang="vi">' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert (page.headers["x-content-type-options"], page.headers["cache-control"]) == ("nosniff", "no-store")

    missing = browser.get("/khong-co-trang-nay")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text
    assert browser.get("/v1/khong-co").json()["error"]["code"] == "not_found"

    with signed_in(portal_url, new_email()) as stranger:
        theirs = stranger.get(f"/ho-so/{dossier_id}")
        assert theirs.status_code == 404 and "Không tìm thấy hồ sơ" in theirs.text
        # A citizen on a staff page is told so, in Vietnamese, not sent elsewhere without a word.
        for staff_page in ("/can-bo", f"/can-bo/ho-so/{dossier_id}"):
            refused = stranger.get(staff_page)
            assert refused.status_code == 403 and "Trang dành cho cán bộ" in refused.text, staff_page
            assert "chỉ dành cho cán bộ tiếp nhận" in refused.text
    with signed_in(portal_url, new_email("can-bo"), role="staff") as clerk:
        assert clerk.get("/").headers["location"] == "/can-bo"
    with httpx.Client(base_url=portal_url) as anonymous:
        assert anonymous.get(f"/ho-so/{dossier_id}").headers["location"] == f"/dang-nhap?tiep=/ho-so/{dossier_id}"
        assert anonymous.get("/static/portal.js").headers["content-type"].startswith("text/javascript")


def test_an_expired_or_forged_session_asks_to_sign_in_again(portal_url: str) -> None:
    with httpx.Client(base_url=portal_url, cookies={"hoso_phien": "not-a-token"}) as browser:
        answer = browser.get("/")
        assert answer.headers["location"] == "/dang-nhap?tiep=/"
        page = browser.get("/dang-nhap?tiep=/")
        assert "Phiên đăng nhập đã hết hạn" in page.text


def test_files_go_through_forms_with_the_csrf_token_and_come_back_as_inert_attachments(
        portal_url: str, citizen: tuple[httpx.Client, str]) -> None:
    browser, dossier_id = citizen
    upload = f"/ho-so/{dossier_id}/tai-lieu/chung-chi-chuyen-khoa"
    sent = {"tep": ("chung-chi.pdf", sample_pdf("chung chi"), "application/pdf")}
    assert browser.post(upload, data={"ve": "sua"}, files=sent).status_code == 403
    token = csrf_of(browser.get(f"/ho-so/{dossier_id}/sua").text)
    # Back to the row of the form page it came from; any other `ve` is the edit page, never elsewhere.
    attached = browser.post(upload, data={"csrf": token, "ve": "//evil.example"}, files=sent)
    assert (attached.status_code, attached.headers["location"]) == (
        303, f"/ho-so/{dossier_id}/sua#f-documents-chung-chi-chuyen-khoa")

    found = re.search(rf'href="{upload}/([A-Za-z0-9-]+)"', browser.get(attached.headers["location"]).text)
    assert found, "no download link on the row"
    stored = {"id": found[1]}
    with signed_in(portal_url, new_email()) as stranger:
        assert stranger.get(f"{upload}/{stored['id']}").status_code == 404  # not theirs: as if it did not exist
    download = browser.get(f"{upload}/{stored['id']}")
    assert download.status_code == 200 and download.content == sample_pdf("chung chi")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert (download.headers["x-content-type-options"], download.headers["cache-control"]) == (
        "nosniff", "private, no-store")
    assert "sandbox" in download.headers["content-security-policy"]

    assert browser.post(f"{upload}/{stored['id']}/go", data={}).status_code == 403
    removed = browser.post(f"{upload}/{stored['id']}/go", data={"csrf": token, "ve": "bo-sung"})
    assert removed.headers["location"] == f"/ho-so/{dossier_id}/bo-sung#f-documents-chung-chi-chuyen-khoa"
    # Malformed codes and ids are no page of the portal; a file that is gone is said on its row.
    assert browser.get(f"/ho-so/{dossier_id}/tai-lieu/Khong_Hop_Le/{stored['id']}").status_code == 404
    gone = browser.get(f"{upload}/{stored['id']}")
    assert gone.status_code == 404 and "Không tìm thấy tệp đính kèm này" in gone.text


def test_a_refused_dossier_says_so_why_and_that_nothing_more_is_due(portal_url: str) -> None:
    email = new_email()
    with api_as(portal_url, email) as api, api_as(portal_url, new_email("can-bo"), "staff") as staff:
        dossier_id = draft(api, "SYT-KCB-01", "Hồ sơ bị từ chối", FORM)
        attach_required(api, dossier_id, "SYT-KCB-01")
        assert api.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
        assert staff.post(f"/v1/staff/dossiers/{dossier_id}/reject",
                          json={"reason": "Thủ tục không thuộc thẩm quyền của Sở."}).status_code == 200
    with signed_in(portal_url, email) as browser:
        page = browser.get(f"/ho-so/{dossier_id}").text
    assert "Hồ sơ đã bị từ chối tiếp nhận." in page and "Thủ tục không thuộc thẩm quyền của Sở." in page
    assert "không phải thực hiện thêm thao tác nào" in page
    assert "đang được Sở Y tế xử lý" not in page and "Tính từ ngày tiếp nhận" not in page


def test_once_paid_the_staff_page_asks_only_for_an_additional_fee_with_its_reason(portal_url: str) -> None:
    email = new_email()
    with api_as(portal_url, email) as api, api_as(portal_url, new_email("can-bo"), "staff") as staff:
        dossier_id = draft(api, "SYT-KCB-01", "Hồ sơ đã nộp phí", FORM)
        attach_required(api, dossier_id, "SYT-KCB-01")
        assert api.post(f"/v1/dossiers/{dossier_id}/submit").status_code == 200
        for action, body in (("accept", None), ("request-payment", None)):
            assert staff.post(f"/v1/staff/dossiers/{dossier_id}/{action}", json=body).status_code == 200
        assert api.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "at_office"}).status_code == 200
        assert staff.post(f"/v1/staff/dossiers/{dossier_id}/confirm-payment",
                          json={"method": "at_office", "receipt_number": "BL-0042"}).status_code == 200
        assert staff.post(f"/v1/staff/dossiers/{dossier_id}/start-processing").status_code == 200
    with signed_in(portal_url, new_email("can-bo"), "staff") as clerk:
        page = clerk.get(f"/can-bo/ho-so/{dossier_id}").text
        assert "chỉ có thể yêu cầu thu thêm khoản phí bổ sung" in page and "BL-0042" in page
        again = clerk.post(f"/can-bo/ho-so/{dossier_id}/request-payment", data={"csrf": csrf_of(page)})
        assert again.status_code == 409 and "đã được thanh toán" in again.text
        extra = clerk.post(f"/can-bo/ho-so/{dossier_id}/request-payment", data={
            "csrf": csrf_of(page), "fee_kind": "phi", "fee_name": "Phí thẩm định bổ sung", "fee_amount": "150.000",
            "reason": "Thẩm định lại tại cơ sở theo yêu cầu của Hội đồng."}, follow_redirects=True)
        assert extra.status_code == 200, extra.text[:300]
    with api_as(portal_url, email) as api:
        seen = api.get(f"/v1/dossiers/{dossier_id}").json()
    assert seen["status"] == "payment_requested" and seen["payment"]["amount_vnd"] == 150_000
    assert seen["payments"][0]["receipt_number"] == "BL-0042"  # the first receipt stays
    with signed_in(portal_url, email) as browser:
        detail_page = browser.get(f"/ho-so/{dossier_id}").text
    assert "Các lần thanh toán trước" in detail_page and "biên lai BL-0042" in detail_page
    assert "Thẩm định lại tại cơ sở theo yêu cầu của Hội đồng." in detail_page


def test_actions_that_found_nothing_to_do_say_why(portal_url: str) -> None:
    """"Tiếp tục" with no procedure, an empty lookup, a day that is not one: each answers 422 and says what."""
    with signed_in(portal_url, new_email()) as browser:
        unchosen = browser.get("/ho-so/moi", params={"buoc": "chon-thu-tuc"})
        assert unchosen.status_code == 422 and "Vui lòng chọn thủ tục hành chính." in unchosen.text
        assert 'href="#f-procedure-code"' in unchosen.text  # the summary leads to the choices
        assert browser.get("/ho-so/moi").status_code == 200  # opening the page is no mistake

        for typed, says in (("31/02/2026", "Ngày không hợp lệ"), ("2026-13-01", "Ngày không hợp lệ")):
            searched = browser.get("/", params={"tu-ngay": typed})
            assert searched.status_code == 200 and says in searched.text, typed
        backwards = browser.get("/", params={"tu-ngay": "10/03/2026", "den-ngay": "01/03/2026"})
        assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in backwards.text  # the API's word

        empty = browser.get("/tra-cuu", params={"ma": "  "})
        assert empty.status_code == 422 and "Vui lòng nhập mã hồ sơ cần tra cứu." in empty.text
        assert browser.get("/tra-cuu").status_code == 200  # the page itself, before any lookup
