"""The portal's way back from an OpenID provider refuses what does not prove a sign-in in this browser, and
the session it opens is a new one, expiring with the provider's tokens and renewed by its refresh token.

A real provider on loopback (tests/support/oidc.py), `make run` as a process; the browser here is an httpx
client with its own cookies (the Chromium journey is tests/browser/test_sign_in_with_provider.py).
"""

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services.gateway.adapters.jwks import Discovery, ProviderKeys
from services.gateway.adapters.oidc import OidcClient, SignInFailed
from services.gateway.settings import OidcProvider
from tests.support.oidc import LoopbackProvider, log_in_at_provider, oidc_provider, provider_setting
from tests.support.processes import free_port, running
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.oidc

ACCOUNTS = {"cong-dan-an": {"name": "Nguyễn Văn An", "email": "an.nguyen@example.vn"}}
TOKEN_SECONDS = 120


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, LoopbackProvider, dict[str, Any]]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    client = {"client_id": "hoso-portal", "client_secret": "portal-secret-0123456789",
              "redirect_uris": [f"{url}/dang-nhap/vneid/xong"], "post_logout_redirect_uris": [f"{url}/dang-nhap"]}
    with oidc_provider([client], ACCOUNTS, token_seconds=TOKEN_SECONDS, log_name="oidc-sign-in") as provider:
        setting = provider_setting(provider, client, name="vneid", label="Đăng nhập bằng VNeID")
        env = {"PORT": str(port), "DEMO_DATA": "0", "OIDC_PROVIDERS": json.dumps([setting])}
        with running("services.embedded", env, f"{url}/readyz", "embedded-sign-in"):
            yield url, provider, setting


def browser(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=15, headers={"Accept": "text/html"})


def way_back(person: httpx.Client, url: str) -> str:
    """Sign in at the provider as An: the URL it sends the browser back to, not yet followed."""
    start = person.get("/dang-nhap/vneid")
    assert start.status_code == 303 and "hoso_dn" in person.cookies
    return log_in_at_provider(person, person.get(start.headers["location"]), "cong-dan-an",
                              until=f"{url}/dang-nhap/vneid/xong")


def test_a_sign_in_opens_a_new_session_each_time_that_expires_with_the_token(
        portal: tuple[str, LoopbackProvider, dict[str, Any]]) -> None:
    url, _provider, _setting = portal
    with browser(url) as person:
        person.get("/dang-nhap")
        nonce_before = person.cookies["hoso_csrf"]
        back = person.get(way_back(person, url))
        assert back.status_code == 303 and back.headers["location"] == "/"
        session = next(header for header in back.headers.get_list("set-cookie") if header.startswith("hoso_phien="))
        max_age = int(session.split("Max-Age=")[1].split(";")[0])
        assert 0 < max_age <= TOKEN_SECONDS and "HttpOnly" in session
        first = person.cookies["hoso_phien"]
        assert person.cookies["hoso_csrf"] != nonce_before  # the CSRF basis of before signing in is replaced
        assert person.get("/").status_code == 200
        person.get(way_back(person, url))
        assert person.cookies["hoso_phien"] != first  # signing in again: another session id


def test_an_expired_session_is_renewed_with_the_refresh_token(
        portal: tuple[str, LoopbackProvider, dict[str, Any]]) -> None:
    url, _provider, _setting = portal
    with browser(url) as person:
        person.get(way_back(person, url))
        first = person.cookies["hoso_phien"]
        person.cookies.delete("hoso_phien")  # what the browser does once the cookie's Max-Age has passed
        renewing = person.get("/ho-so/moi")
        assert renewing.status_code == 303 and renewing.headers["location"] == "/dang-nhap/gia-han?tiep=/ho-so/moi"
        renewed = person.get(renewing.headers["location"])
        assert renewed.status_code == 303 and renewed.headers["location"] == "/ho-so/moi"
        assert person.cookies["hoso_phien"] not in ("", first)
        assert person.get("/ho-so/moi").status_code == 200


def test_the_way_back_without_this_browsers_state_opens_no_session(
        portal: tuple[str, LoopbackProvider, dict[str, Any]]) -> None:
    url, _provider, _setting = portal
    with browser(url) as person, browser(url) as attacker:
        back = way_back(person, url)
        # The same answer of the provider's, carried into another browser (login CSRF, a stolen code).
        assert attacker.get(back).status_code == 400 and "hoso_phien" not in attacker.cookies
        # A state of another sign-in than this browser's.
        assert person.get(back.replace("state=", "state=x")).status_code == 400
        assert "hoso_phien" not in person.cookies and "hoso_dn" not in person.cookies  # its state used up
        assert person.get(back).status_code == 400  # and once used, never again
    with browser(url) as person:
        state = httpx.URL(person.get("/dang-nhap/vneid").headers["location"]).params["state"]
        refused = person.get("/dang-nhap/vneid/xong", params={"error": "access_denied", "state": state})
        assert refused.status_code == 401 and "hoso_phien" not in person.cookies
        assert "Đăng nhập không thành công" in refused.text


async def test_id_tokens_are_checked_as_the_specification_asks(
        portal: tuple[str, LoopbackProvider, dict[str, Any]]) -> None:
    _url, provider, setting = portal
    async with httpx.AsyncClient() as http:
        discovery = Discovery(provider.issuer, http, max_age_seconds=600)
        keys = ProviderKeys(discovery, http, refresh_seconds=30, max_age_seconds=600)
        client = OidcClient(OidcProvider(**setting), discovery, keys, http)
        now = int(time.time())
        good = {"iss": provider.issuer, "aud": setting["client_id"], "sub": "cong-dan-an", "nonce": "n-1",
                "iat": now, "exp": now + 300}
        assert (await client.verify_id_token(provider.sign(good), "n-1"))["sub"] == "cong-dan-an"
        for wrong in ({"nonce": "n-2"}, {"aud": "another-client"}, {"iss": "https://sso.gia-mao.example"},
                      {"exp": now - 600}, {"aud": [setting["client_id"], "another"]}, {"iat": None}):
            claims = {key: value for key, value in {**good, **wrong}.items() if value is not None}
            with pytest.raises(SignInFailed):
                await client.verify_id_token(provider.sign(claims), "n-1")


def test_the_session_ends_with_the_providers_token_and_the_refresh_token_renews_it() -> None:
    """A provider whose tokens live 5 s: the browser stops sending the session when they expire (its cookie's
    Max-Age), and the next page renews it with the refresh token instead of asking to sign in again."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    client = {"client_id": "hoso-portal", "client_secret": "portal-secret-0123456789",
              "redirect_uris": [f"{url}/dang-nhap/vneid/xong"]}
    with oidc_provider([client], ACCOUNTS, token_seconds=5, log_name="oidc-short-tokens") as provider:
        setting = provider_setting(provider, client, name="vneid", label="Đăng nhập bằng VNeID")
        env = {"PORT": str(port), "DEMO_DATA": "0", "OIDC_PROVIDERS": json.dumps([setting])}
        with running("services.embedded", env, f"{url}/readyz", "embedded-short-tokens"), browser(url) as person:
            person.get(way_back(person, url))
            first = person.cookies["hoso_phien"]
            expired: list[httpx.Response] = []

            def session_expired() -> bool:
                answer = person.get("/")
                expired[:] = [answer]
                return answer.status_code == 303
            eventually_sync(session_expired, timeout=30, what="the session cookie expiring with the token")
            assert expired[0].headers["location"] == "/dang-nhap/gia-han?tiep=/"
            renewed = person.get(expired[0].headers["location"])
            assert renewed.status_code == 303 and renewed.headers["location"] == "/"
            assert person.cookies["hoso_phien"] != first
            assert person.get("/").status_code == 200
