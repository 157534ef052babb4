"""Demo data for the embedded run: a citizen with dossiers in several states, made through the public API."""

from typing import Any

import httpx
from fastapi import FastAPI

from services.gateway.adapters.tokens import issue_dev_token
from services.gateway.schemas import DevTokenRequest
from services.gateway.settings import GatewaySettings
from services.sample_files import sample_pdf
from shared.logging import get_logger

log = get_logger(__name__)

# The account is the email, as the portal's sign-in page makes it: signing in there with it finds these.
DEMO_CITIZEN = DevTokenRequest(sub="an.nguyen@example.vn", name="Nguyễn Văn An", email="an.nguyen@example.vn",
                               roles=["citizen"])
APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678",
             "email": "an.nguyen@example.vn", "address": "12 Trần Hưng Đạo, phường Hàng Bài, Hà Nội"}
DRAFTS: list[tuple[str, str, dict[str, Any], bool]] = [
    ("SYT-KCB-01", "Cấp giấy phép hành nghề bác sĩ đa khoa",
     {"chuyen_mon": "Bác sĩ đa khoa", "pham_vi": "Khám bệnh, chữa bệnh đa khoa"}, True),
    ("SYT-DUOC-02", "Giấy chứng nhận đủ điều kiện kinh doanh dược — Nhà thuốc An Khang",
     {"ten_co_so": "Nhà thuốc An Khang", "dia_chi_co_so": "45 Lê Lợi, Hà Đông",
      "nguoi_phu_trach": "Nguyễn Văn An"}, True),
    ("SYT-ATTP-01", "Chứng nhận an toàn thực phẩm cho bếp ăn tập thể",
     {"ten_co_so": "Bếp ăn Trường Tiểu học Đống Đa"}, False),
    ("SYT-MP-01", "Công bố mỹ phẩm: kem dưỡng da thảo dược", {"ten_san_pham": "Kem dưỡng da Đông Y"}, False),
]


async def load_demo_data(app: FastAPI, settings: GatewaySettings) -> None:
    """Create the demo citizen's drafts and send the complete ones, exactly as a portal would: the complete
    ones with a file attached to each required document (thành phần hồ sơ), the others with the form only."""
    token, _ = issue_dev_token(DEMO_CITIZEN, settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo",
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        procedures = (await client.get("/v1/procedures")).raise_for_status().json()
        required = {procedure["code"]: [document for document in procedure["documents"] if document["required"]]
                    for procedure in procedures}
        for procedure_code, title, form, send in DRAFTS:
            created = await client.post("/v1/dossiers", json={
                "procedure_code": procedure_code, "title": title, "applicant": APPLICANT, "form": form})
            dossier_id = created.raise_for_status().json()["id"]
            if send:
                for document in required[procedure_code]:
                    await attach(client, dossier_id, document)
                sent = await client.post(f"/v1/dossiers/{dossier_id}/submit")
                sent.raise_for_status()
    log.info("demo_data_loaded", dossiers=len(DRAFTS))


async def attach(client: httpx.AsyncClient, dossier_id: str, document: dict[str, Any]) -> None:
    content = sample_pdf(f"hoso demo: {document['code']}")
    attached = await client.post(f"/v1/dossiers/{dossier_id}/documents/{document['code']}",
                                 files={"file": (f"{document['name'][:80]}.pdf", content, "application/pdf")})
    attached.raise_for_status()
