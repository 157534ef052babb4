"""A person using the portal in Chromium, in the words of its screens, and the fixtures' API shortcuts.

Pages are found the way a person (or a screen reader) finds them: by role, label and visible text.
"""

import re
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from tests.support.browser import SCREENSHOTS

# Whole, as processing checks a result document by its bytes: its signature first, its end marker last.
PDF = b"%PDF-1.4\n% Giay phep hanh nghe so 123/SYT-GPHN\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def new_email(who: str = "nguoi-dan") -> str:
    return f"{who}-{uuid4().hex[:8]}@example.vn"


class Person:
    """One browser context: one person signed in (or not) at the portal."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def sign_in(self, name: str, email: str, *, role: str = "citizen", screenshot: str | None = None,
                phone: str | None = None) -> None:
        page = self.page
        page.goto("/dang-nhap")
        page.get_by_label("Người dân" if role == "citizen" else "Cán bộ tiếp nhận").check()
        page.get_by_label("Họ và tên").fill(name)
        page.get_by_label("Thư điện tử").fill(email)
        if phone:
            page.get_by_label("Số điện thoại (không bắt buộc)").fill(phone)
        if screenshot:
            self.shot(screenshot)
        page.get_by_role("button", name="Đăng nhập").click()
        assert self.notice() == "Đăng nhập thành công."

    def notice(self) -> str:
        return str(self.page.locator(".notice").inner_text()).strip()

    def errors(self) -> str:
        return str(self.page.locator(".error-summary").inner_text())

    def status(self) -> str:
        return str(self.page.locator(".page-heading .badge").inner_text()).strip()

    def shot(self, name: str) -> None:
        """Keep a screenshot of the whole page under test-artifacts/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()

    def document(self, name: str) -> Any:
        """The row of one of the dossier's documents (thành phần hồ sơ), found by its name."""
        return self.page.locator(".document").filter(has=self.page.locator(".document__name", has_text=name))

    def attach(self, name: str, *files: Path) -> Any:
        """Choose files in a document's row and upload them; the row on the page the portal answers with."""
        row = self.document(name)
        row.get_by_label("Chọn tệp").set_input_files([str(file) for file in files])
        # The same address comes back (PRG, or the refusal drawn again): wait for the new page itself.
        with self.page.expect_navigation():
            row.get_by_role("button", name="Tải lên").click()
        return self.document(name)

    def file_names(self, name: str) -> list[str]:
        """The names of the files a document's row lists."""
        return [text.strip() for text in self.document(name).locator(".file__name").all_inner_texts()]

    def fact(self, term: str) -> str:
        """The value beside a term in the detail's lists (Mã hồ sơ, Hạn giải quyết ...), the whole term: "Hạn giải
        quyết" is not "Thời hạn giải quyết"."""
        whole = re.compile(rf"^\s*{re.escape(term)}\s*$")
        row = self.page.locator(".facts > div").filter(has=self.page.locator("dt", has_text=whole)).first
        return str(row.locator("dd").inner_text()).strip()


def api_as(base_url: str, email: str, role: str = "citizen", *, phone_number: str | None = None) -> httpx.Client:
    """The same account over the API (sub = email, as the sign-in page makes it), to set the scene fast."""
    token = httpx.post(f"{base_url}/v1/dev/token", json={
        "sub": email, "name": "Người dùng thử", "email": email, "roles": [role],
        **({"phone_number": phone_number} if phone_number else {})})
    token.raise_for_status()
    return httpx.Client(base_url=base_url, timeout=15,
                        headers={"Authorization": f"Bearer {token.json()['access_token']}"})


APPLICANT = {"full_name": "Đặng Thị Bích", "id_number": "079185001234", "phone": "0987654321",
             "email": "bich.dang@example.vn", "address": "8 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh"}


def draft(client: httpx.Client, procedure_code: str, title: str, form: dict[str, str]) -> str:
    created = client.post("/v1/dossiers", json={"procedure_code": procedure_code, "title": title,
                                                "applicant": APPLICANT, "form": form})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])
