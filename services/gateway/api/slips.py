"""The one-stop slips (giấy tiếp nhận, phiếu bổ sung, từ chối, biên lai): each a signed PDF, for the
dossier's owner and for staff. The slips service keeps the bytes as issued and checks the owner; the
gateway passes them through. Another citizen's slip and a slip of a step that did not happen answer the
same 404."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.api.dossiers import DossierId
from services.gateway.api.responses import PUBLIC, SIGNED_IN
from services.gateway.dependencies import BackendsDep, CitizenDep, StaffDep
from shared.blobs.port import CHUNK_BYTES
from shared.slips import SLIP_KIND_PATTERN

router = APIRouter(prefix="/v1", tags=["giấy tờ một cửa"])

Kind = Annotated[str, Path(pattern=SLIP_KIND_PATTERN, description="receipt, supplement, refusal, apology, fee-receipt")]
SlipId = Annotated[str | None, Query(min_length=1, max_length=200, description=(
    "An earlier slip of the kind (the detail's `slips[].url` gives it); the newest without it"))]
DOWNLOAD_HEADERS = ("content-type", "content-length", "content-disposition", "x-content-type-options",
                    "cache-control")
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}}, **SIGNED_IN,
    404: {**SIGNED_IN[404], "description": "Chưa cấp phiếu này cho hồ sơ, hoặc hồ sơ của người khác"}}


@router.get("/dossiers/{dossier_id}/slips/{kind}", summary="Tải phiếu của hồ sơ (PDF có chữ ký số)",
            response_class=StreamingResponse, responses=PDF)
async def download_own_slip(dossier_id: DossierId, kind: Kind, citizen: CitizenDep, backends: BackendsDep,
                            slip_id: SlipId = None) -> StreamingResponse:
    return await _download(backends, dossier_id, kind, {"owner_id": citizen.id, "slip_id": slip_id})


@router.get("/staff/dossiers/{dossier_id}/slips/{kind}", tags=["cán bộ tiếp nhận"],
            summary="Cán bộ tải phiếu của hồ sơ (PDF có chữ ký số)", response_class=StreamingResponse, responses=PDF)
async def download_any_slip(dossier_id: DossierId, kind: Kind, _staff: StaffDep, backends: BackendsDep,
                            slip_id: SlipId = None) -> StreamingResponse:
    return await _download(backends, dossier_id, kind, {"for_staff": "true", "slip_id": slip_id})


@router.get("/slips/certificate", summary="Chứng thư số dùng để ký các phiếu (PEM)", response_class=Response,
            responses={200: {"content": {"application/x-pem-file": {}}}, **PUBLIC})
async def signing_certificate(backends: BackendsDep) -> Response:
    """The Department's certificate that signs the slips: anyone may verify a slip with it."""
    answer = await backends.slips.call_raw("GET", "/certificate")
    return Response(answer.content, media_type="application/x-pem-file")


async def _download(backends: BackendsDep, dossier_id: str, kind: str,
                    params: dict[str, str | None]) -> StreamingResponse:
    upstream = await backends.slips.open_stream(f"/dossiers/{dossier_id}/slips/{kind}", params=params)
    headers = {name: upstream.headers[name] for name in DOWNLOAD_HEADERS if name in upstream.headers}
    return StreamingResponse(upstream.aiter_bytes(CHUNK_BYTES), headers=headers,
                             background=BackgroundTask(upstream.aclose))
