"""Demo data for the embedded run: a citizen with dossiers in several states, made through the public API."""

from typing import Any

import httpx

from services.gateway.schemas import DevTokenRequest
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


async def load_demo_data(gateway: httpx.AsyncClient) -> None:
    """Create the demo citizen's drafts and send the complete ones, exactly as a portal would (signed in with a
    development token): the complete ones with a file attached to each required document (thành phần hồ
    sơ), the others with the form only. `gateway` reaches the gateway in this process or over the network."""
    signed_in = await gateway.post("/v1/dev/token", json=DEMO_CITIZEN.model_dump())
    auth = {"Authorization": f"Bearer {signed_in.raise_for_status().json()['access_token']}"}
    procedures = (await gateway.get("/v1/procedures")).raise_for_status().json()
    required = {procedure["code"]: [document for document in procedure["documents"] if document["required"]]
                for procedure in procedures}
    for procedure_code, title, form, send in DRAFTS:
        created = await gateway.post("/v1/dossiers", headers=auth, json={
            "procedure_code": procedure_code, "title": title, "applicant": APPLICANT, "form": form})
        dossier_id = created.raise_for_status().json()["id"]
        if not send:
            continue
        for document in required[procedure_code]:
            content = sample_pdf(f"hoso demo: {document['code']}")
            attached = await gateway.post(
                f"/v1/dossiers/{dossier_id}/documents/{document['code']}", headers=auth,
                files={"file": (f"{document['name'][:80]}.pdf", content, "application/pdf")})
            attached.raise_for_status()
        (await gateway.post(f"/v1/dossiers/{dossier_id}/submit", headers=auth)).raise_for_status()
    log.info("demo_data_loaded", dossiers=len(DRAFTS))
