"""The citizen's dossiers (hồ sơ của tôi): list by status, counts, detail, and the draft commands.

Routes are thin: check who calls, pass the command to intake or the question to query, and after a
command wait (briefly, bounded) until the read model shows it, so the caller reads their own write.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path, Response, status

from services.gateway.adapters.tokens import Principal
from services.gateway.api.consistency import read_your_write
from services.gateway.api.responses import SIGNED_IN, command
from services.gateway.api.search import SearchDep
from services.gateway.dependencies import BackendsDep, CitizenDep, SettingsDep
from services.gateway.schemas import CommandAnswer, DossierCreate, DossierPatch
from shared.errors import InvalidFields
from shared.field_messages import label_of
from shared.read_model import DossierDetail, DossierPage
from shared.statuses import Status

router = APIRouter(prefix="/v1", tags=["hồ sơ"])

DossierId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
# `3`, `"3"` or `W/"3"`: a version is a whole number from 1.
# Spaces around it are HTTP's, taken off before the gateway reads it.
IF_MATCH = r'^[ \t]*(W/)?"?[1-9][0-9]{0,17}"?[ \t]*$'


def parse_if_match(value: str | None, *, required: bool) -> int | None:
    """`If-Match: 3`, `"3"` or `W/"3"`: the version the caller last saw."""
    if value is None:
        if required:
            raise HTTPException(428, detail={"code": "precondition_required",
                                             "message": "Thiếu tiêu đề If-Match (phiên bản hồ sơ)."})
        return None
    cleaned = value.strip().removeprefix("W/").strip('"')
    if not cleaned.isdigit() or int(cleaned) < 1:
        raise HTTPException(400, detail={"code": "invalid_if_match",
                                         "message": "Tiêu đề If-Match phải là số phiên bản hồ sơ."})
    return int(cleaned)


def owner_of(citizen: Principal) -> dict[str, Any]:
    return {"owner_id": citizen.id, "owner_email": citizen.email, "owner_phone": citizen.phone}


@router.get("/me/status-counts", summary="Số hồ sơ theo từng trạng thái", responses=SIGNED_IN)
async def status_counts(citizen: CitizenDep, backends: BackendsDep) -> dict[Status, int]:
    counts: dict[Status, int] = await backends.query.call("GET", "/status-counts",
                                                          params={"owner_id": citizen.id})
    return counts


@router.get("/dossiers", summary="Danh sách hồ sơ, tìm kiếm nâng cao theo trạng thái", responses=SIGNED_IN)
async def list_dossiers(citizen: CitizenDep, backends: BackendsDep, search: SearchDep) -> DossierPage:
    body = await backends.query.call("GET", "/dossiers", params={"owner_id": citizen.id, **search})
    return DossierPage.model_validate(body)


@router.get("/dossiers/{dossier_id}", summary="Chi tiết hồ sơ", responses=SIGNED_IN)
async def get_dossier(dossier_id: DossierId, citizen: CitizenDep, backends: BackendsDep) -> DossierDetail:
    body = await backends.query.call("GET", f"/dossiers/{dossier_id}", params={"owner_id": citizen.id})
    return DossierDetail.model_validate(body)


@router.post("/dossiers", status_code=status.HTTP_201_CREATED, summary="Tạo hồ sơ (lưu nháp)",
             responses=command(201))
async def create_dossier(body: DossierCreate, citizen: CitizenDep, backends: BackendsDep,
                         settings: SettingsDep, response: Response) -> CommandAnswer:
    answer = await backends.intake.call("POST", "/dossiers", json={
        **owner_of(citizen), "content": body.model_dump(mode="json")})
    response.headers["Location"] = f"/v1/dossiers/{answer['id']}"
    return await read_your_write(backends, settings, answer, response)


@router.patch("/dossiers/{dossier_id}", summary="Sửa hồ sơ chưa gửi hoặc đang yêu cầu bổ sung",
              responses=command())
async def edit_dossier(
    dossier_id: DossierId, body: DossierPatch, citizen: CitizenDep, backends: BackendsDep,
    settings: SettingsDep, response: Response,
    if_match: Annotated[str, Header(pattern=IF_MATCH, description="Phiên bản hồ sơ đã đọc, ví dụ `3` hoặc `\"3\"`")],
) -> CommandAnswer:
    expected_version = parse_if_match(if_match, required=True)
    changes = body.model_dump(mode="json", exclude_unset=True)
    if not changes:
        raise HTTPException(422, detail={"code": "validation_error",
                                         "message": "Không có nội dung nào để cập nhật."})
    # A draft's title may be emptied (null); the other parts are replaced whole, never removed.
    removed = [part for part in ("procedure_code", "applicant", "form") if part in changes and changes[part] is None]
    if removed:
        raise InvalidFields({part: f"{label_of(part)}: không thể bỏ trống (null); gửi nội dung thay thế."
                             for part in removed})
    answer = await backends.intake.call("PATCH", f"/dossiers/{dossier_id}", json={
        **owner_of(citizen), "changes": changes, "expected_version": expected_version})
    return await read_your_write(backends, settings, answer, response)


@router.delete("/dossiers/{dossier_id}", summary="Xoá hồ sơ chưa gửi", responses=command())
async def delete_dossier(
    dossier_id: DossierId, citizen: CitizenDep, backends: BackendsDep, settings: SettingsDep,
    response: Response, if_match: Annotated[str, Header(pattern=IF_MATCH)] = "",
) -> CommandAnswer:
    answer = await backends.intake.call("DELETE", f"/dossiers/{dossier_id}", params={
        "owner_id": citizen.id, "expected_version": parse_if_match(if_match or None, required=False)})
    return await read_your_write(backends, settings, answer, response)


@router.post("/dossiers/{dossier_id}/submit", summary="Gửi hồ sơ", responses=command())
async def submit_dossier(dossier_id: DossierId, citizen: CitizenDep, backends: BackendsDep,
                         settings: SettingsDep, response: Response) -> CommandAnswer:
    answer = await backends.intake.call("POST", f"/dossiers/{dossier_id}/submit", json=owner_of(citizen))
    return await read_your_write(backends, settings, answer, response, also=["processing"])


@router.post("/dossiers/{dossier_id}/withdraw", summary="Rút hồ sơ đã gửi (khi chưa được tiếp nhận)",
             responses=command())
async def withdraw_dossier(dossier_id: DossierId, citizen: CitizenDep, backends: BackendsDep,
                           settings: SettingsDep, response: Response) -> CommandAnswer:
    answer = await backends.processing.call("POST", f"/dossiers/{dossier_id}/withdraw",
                                            json={"owner_id": citizen.id})
    return await read_your_write(backends, settings, answer, response, also=["intake"])
