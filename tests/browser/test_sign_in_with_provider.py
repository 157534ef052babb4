"""Signing in for real: `make run-services` configured with two OpenID providers (the citizens' and the
staff's, each the certified `oidc-provider` on loopback), driven in Chromium from the sign-in page through
the provider's login form and back; then signing out of both the portal and the provider."""

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser.audit import audit
from tests.browser.portal import Person
from tests.e2e.client import new_draft
from tests.e2e.conftest import Product, run_services
from tests.support.oidc import LoopbackProvider, oidc_provider, provider_setting
from tests.support.processes import free_port

pytestmark = [pytest.mark.browser, pytest.mark.oidc, pytest.mark.rabbitmq]

CITIZENS = "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia"
STAFF = "Đăng nhập cán bộ"
CITIZEN_ACCOUNTS: dict[str, dict[str, Any]] = {"cong-dan-an": {"name": "Nguyễn Văn An", "email": "an.nguyen@example.vn",
                                    "phone_number": "0912345678"},
                    # A role claim from the citizens' provider never makes staff (no staff value configured).
                    "cong-dan-binh": {"name": "Trần Thị Bình", "email": "binh.tran@example.vn", "roles": ["staff"]}}
STAFF_ACCOUNTS = {"can-bo-lan": {"name": "Nguyễn Thị Lan", "email": "lan@syt.example.vn"}}


def portal_client(name: str, port: int) -> dict[str, Any]:
    return {"client_id": f"hoso-portal-{name}", "client_secret": f"{name}-portal-secret-0123456789",
            "redirect_uris": [f"http://127.0.0.1:{port}/dang-nhap/{name}/xong"],
            "post_logout_redirect_uris": [f"http://127.0.0.1:{port}/dang-nhap"]}


@pytest.fixture(scope="module")
def providers() -> Iterator[tuple[int, LoopbackProvider, LoopbackProvider]]:
    port = free_port()
    with oidc_provider([portal_client("dvcqg", port)], CITIZEN_ACCOUNTS, log_name="oidc-citizens") as citizens, \
            oidc_provider([portal_client("can-bo", port)], STAFF_ACCOUNTS, log_name="oidc-staff") as staff:
        yield port, citizens, staff


@pytest.fixture(scope="module")
def product(providers: tuple[int, LoopbackProvider, LoopbackProvider]) -> Iterator[Product]:
    port, citizens, staff = providers
    settings = [provider_setting(citizens, portal_client("dvcqg", port), name="dvcqg", label=CITIZENS),
                provider_setting(staff, portal_client("can-bo", port), name="can-bo", label=STAFF, role="staff")]
    yield from run_services({"OIDC_PROVIDERS": json.dumps(settings)}, port=port)


@pytest.fixture()
def visitor(chromium: Any, product: Product) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_browser(width: int = 1280) -> Person:
        context = chromium.new_context(base_url=product.base_url, viewport={"width": width, "height": 900},
                                       locale="vi-VN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Person(context.new_page(), product.base_url)

    yield open_browser
    for context in contexts:
        context.close()


def through_provider(person: Person, button: str, account: str) -> None:
    """From the portal's sign-in page, through the provider's login form, and back."""
    page = person.page
    page.goto("/dang-nhap")
    page.get_by_role("link", name=button).click()
    page.locator("input[name=login]").fill(account)
    page.locator("input[name=password]").fill("mat-khau")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{person.base_url}/**")


def draft_for(product: Product, provider: LoopbackProvider, account: str, title: str) -> None:
    """A draft made by a frontend holding the provider's own API token for `account`."""
    token = provider.api_token(account)
    answer = httpx.post(f"{product.base_url}/v1/dossiers", json=new_draft(title),
                        headers={"Authorization": f"Bearer {token}"}, timeout=15)
    assert answer.status_code == 201, answer.text


def test_a_citizen_signs_in_through_the_provider_sees_only_their_dossiers_and_signs_out(
        visitor: Any, product: Product, providers: tuple[int, LoopbackProvider, LoopbackProvider]) -> None:
    _port, citizens, _staff = providers
    draft_for(product, citizens, "cong-dan-an", "Cấp chứng chỉ hành nghề dược cho anh An")
    draft_for(product, citizens, "cong-dan-binh", "Cấp chứng chỉ hành nghề dược cho chị Bình")
    an: Person = visitor()
    an.page.goto("/dang-nhap")
    assert an.page.get_by_role("link", name=CITIZENS).is_visible()
    assert an.page.get_by_role("link", name=STAFF).is_visible()
    assert audit(an.page) == []
    an.shot("130-dang-nhap-nha-cung-cap-dinh-danh")
    through_provider(an, CITIZENS, "cong-dan-an")
    page = an.page
    assert an.notice() == "Đăng nhập thành công."
    assert page.get_by_role("heading", level=1, name="Quản lý hồ sơ").is_visible()
    assert page.locator(".account").inner_text().startswith("Nguyễn Văn An")
    assert page.get_by_role("link", name="Cấp chứng chỉ hành nghề dược cho anh An").is_visible()
    assert page.get_by_text("Cấp chứng chỉ hành nghề dược cho chị Bình").count() == 0  # someone else's
    assert audit(page) == []
    an.shot("131-nguoi-dan-da-dang-nhap-qua-cong-dvc")
    session = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert session["hoso_phien"]["httpOnly"] and session["hoso_idp"]["httpOnly"]
    assert "hoso_dn" not in session  # the sign-in's state is gone once used

    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own page: RP-initiated logout
    page.wait_for_url(f"{an.base_url}/dang-nhap")
    assert an.notice() == "Bạn đã đăng xuất."
    an.shot("133-da-dang-xuat-ca-nha-cung-cap")
    assert not {"hoso_phien", "hoso_idp"} & {cookie["name"] for cookie in page.context.cookies()}
    page.goto("/")
    assert "/dang-nhap" in page.url
    page.get_by_role("link", name=CITIZENS).click()
    assert page.locator("input[name=login]").is_visible()  # the provider's session ended too


def test_a_clerk_signs_in_through_the_staff_provider_and_reaches_the_staff_page(visitor: Any) -> None:
    lan: Person = visitor()
    through_provider(lan, STAFF, "can-bo-lan")
    page = lan.page
    assert page.url.endswith("/can-bo")
    assert page.get_by_role("heading", level=1, name="Hồ sơ cần xử lý").is_visible()
    lan.shot("132-can-bo-da-dang-nhap")


def test_a_citizen_of_the_citizens_provider_never_reaches_the_staff_page(visitor: Any) -> None:
    binh: Person = visitor(width=390)
    binh.page.goto("/dang-nhap")
    assert binh.page.evaluate("document.documentElement.scrollWidth") <= 390
    binh.shot("134-dang-nhap-nha-cung-cap-390")
    through_provider(binh, CITIZENS, "cong-dan-binh")
    binh.page.goto("/can-bo")
    assert binh.page.get_by_role("heading", level=1, name="Trang dành cho cán bộ").is_visible()
