"""A portal's view of the gateway for the end-to-end tests: signed-in clients and sample dossiers."""

from typing import Any
from uuid import uuid4

import httpx

from tests.support.documents import attach_required

APPLICANT = {"full_name": "Trần Thị Bích", "id_number": "079185001234", "phone": "0987654321",
             "email": "bich.tran@example.vn", "address": "8 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh"}


def new_draft(title: str = "Cấp giấy phép hành nghề khám bệnh cho bác sĩ Bích") -> dict[str, Any]:
    return {"procedure_code": "SYT-KCB-01", "title": title, "applicant": APPLICANT,
            "form": {"chuyen_mon": "Bác sĩ nội khoa", "pham_vi": "Khám bệnh nội khoa"}}


def sign_in(base_url: str, roles: list[str] | None = None, *, phone_number: str | None = None,
            email: str | None = None) -> httpx.Client:
    """A client with a development token; `phone_number` as an OpenID provider's claim (where SMS go), and
    `email` the account's address (where mail goes; `{sub}@example.vn` unless given)."""
    sub = f"{(roles or ['citizen'])[0]}-{uuid4().hex[:8]}"
    token = httpx.post(f"{base_url}/v1/dev/token", json={
        "sub": sub, "name": "Người dùng thử", "email": email or f"{sub}@example.vn", "roles": roles or ["citizen"],
        **({"phone_number": phone_number} if phone_number else {})})
    assert token.status_code == 200, token.text
    return httpx.Client(base_url=base_url, timeout=15,
                        headers={"Authorization": f"Bearer {token.json()['access_token']}"})


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def submitted_dossier(citizen: httpx.Client, title: str | None = None) -> str:
    dossier_id: str = ok(citizen.post("/v1/dossiers", json=new_draft(*([title] if title else []))), 201)["id"]
    attach_required(citizen, dossier_id, "SYT-KCB-01")
    ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
    return dossier_id


def detail(client: httpx.Client, dossier_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = ok(client.get(f"/v1/dossiers/{dossier_id}"))
    return answer
