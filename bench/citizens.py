"""Citizens at the gateway's public API: development tokens, and dossiers created and submitted."""

import time
from collections.abc import Sequence
from typing import Any

import httpx

from bench.dataset import TITLES
from services.sample_files import sample_pdf
from shared.procedures import load_catalog

PROCEDURE = "SYT-KCB-01"
_LISTED = load_catalog().get(PROCEDURE).documents
DOCUMENTS = [document.code for document in _LISTED]  # required or not: extra files may go to any of them
REQUIRED_DOCUMENTS = [document.code for document in _LISTED if document.required]
SAMPLE_PDF = sample_pdf("hoso bench")
APPLICANT = {"full_name": "Trần Thị Bích", "id_number": "079185001234", "phone": "0987654321",
             "email": "bich.tran@example.vn", "address": "8 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh"}


async def sign_in(http: httpx.AsyncClient, sub: str) -> dict[str, str]:
    """The Authorization header of a citizen with this account id (POST /v1/dev/token)."""
    answer = await http.post("/v1/dev/token", json={"sub": sub, "name": "Người dân thử",
                                                    "email": f"{sub}@example.vn", "roles": ["citizen"]})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def draft(number: int) -> dict[str, Any]:
    return {"procedure_code": PROCEDURE, "title": TITLES[number % len(TITLES)].format(name="Trần Thị Bích"),
            "applicant": APPLICANT, "form": {"chuyen_mon": "Bác sĩ nội khoa", "pham_vi": "Khám bệnh nội khoa"}}


async def create_and_submit(http: httpx.AsyncClient, auth: dict[str, str], number: int) -> tuple[str, int, float]:
    """Create a draft, attach its required documents and submit it; each answer comes once the read model
    shows it (read-your-writes). Answers the dossier id, its version once submitted, and how long it took."""
    started = time.perf_counter()
    dossier_id = await create_with_documents(http, auth, number)
    version = await submit(http, auth, dossier_id)
    return dossier_id, version, time.perf_counter() - started


async def create_with_documents(http: httpx.AsyncClient, auth: dict[str, str], number: int,
                                extra: Sequence[tuple[str, bytes]] = ()) -> str:
    """A draft with a file for each required document, and the `extra` (document code, PDF) files besides;
    answers its id."""
    created = await http.post("/v1/dossiers", json=draft(number), headers=auth)
    created.raise_for_status()
    dossier_id: str = created.json()["id"]
    for code, content in [*((code, SAMPLE_PDF) for code in REQUIRED_DOCUMENTS), *extra]:
        await attach(http, auth, dossier_id, code, content)
    return dossier_id


async def attach(http: httpx.AsyncClient, auth: dict[str, str], dossier_id: str, code: str,
                 content: bytes) -> dict[str, Any]:
    """Upload one PDF to one of the dossier's documents (multipart field `file`); the stored file's metadata."""
    attached = await http.post(f"/v1/dossiers/{dossier_id}/documents/{code}", headers=auth,
                               files={"file": (f"{code}.pdf", content, "application/pdf")})
    attached.raise_for_status()
    answer: dict[str, Any] = attached.json()
    return answer


async def submit(http: httpx.AsyncClient, auth: dict[str, str], dossier_id: str) -> int:
    """Send the dossier (gửi hồ sơ); answers its version once submitted, which the read model shows."""
    submitted = await http.post(f"/v1/dossiers/{dossier_id}/submit", headers=auth)
    submitted.raise_for_status()
    return int(submitted.json()["version"])
