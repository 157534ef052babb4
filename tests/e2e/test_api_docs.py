"""The API's documentation pages (`/docs`, `/redoc`) load everything from the gateway itself: no CDN, so they
work on a machine without internet access."""

import re

import httpx
import pytest

pytestmark = pytest.mark.e2e

# Every place an HTML page names something for the browser to fetch.
FETCHED = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*["']([^"']+)["']|spec-url=["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_and_everything_it_loads_come_from_the_gateway(base_url: str, page: str) -> None:
    answer = httpx.get(f"{base_url}{page}")
    assert answer.status_code == 200
    fetched = [next(group for group in match.groups() if group) for match in FETCHED.finditer(answer.text)]
    assert fetched, "the page names no script or style at all"
    outside = [url for url in fetched if re.match(r"^(https?:)?//", url)]
    assert outside == [], f"{page} loads from outside the gateway: {outside}"
    for url in fetched:
        assert httpx.get(f"{base_url}{url}").status_code == 200, url
    assert any(url.endswith(".js") for url in fetched)
