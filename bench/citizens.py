"""Citizens at the gateway's public API: development tokens, and dossiers created and submitted."""

import time
from typing import Any

import httpx

from bench.dataset import TITLES
from services.sample_files import sample_pdf
from shared.procedures import load_catalog

PROCEDURE = "SYT-KCB-01"
REQUIRED_DOCUMENTS = [document.code for document in load_catalog().get(PROCEDURE).documents if document.required]
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
    created = await http.post("/v1/dossiers", json=draft(number), headers=auth)
    created.raise_for_status()
    dossier_id = created.json()["id"]
    for code in REQUIRED_DOCUMENTS:
        attached = await http.post(f"/v1/dossiers/{dossier_id}/documents/{code}", headers=auth,
                                   files={"file": (f"{code}.pdf", SAMPLE_PDF, "application/pdf")})
        attached.raise_for_status()
    submitted = await http.post(f"/v1/dossiers/{dossier_id}/submit", headers=auth)
    submitted.raise_for_status()
    return dossier_id, int(submitted.json()["version"]), time.perf_counter() - started
