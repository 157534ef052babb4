"""The satisfaction rating (đánh giá mức độ hài lòng): the citizen rates once the result is returned, staff
read the ratings counted per procedure and month.

A rating retried with the same body after it was stored answers 200 with the same dossier and version (the
first answer may have been lost on the way); any other rating of a dossier already rated is 409.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.gateway.adapters.backends import Backends, UpstreamError
from services.gateway.api.consistency import read_your_write
from services.gateway.api.dossiers import DossierId
from services.gateway.api.responses import SIGNED_IN, command
from services.gateway.dependencies import BackendsDep, CitizenDep, SettingsDep, StaffDep
from services.gateway.schemas import CommandAnswer, RatingBody
from shared.errors import RatingNotOpen
from shared.messages import MONTH_PATTERN
from shared.read_model import RatingSummary

router = APIRouter(prefix="/v1", tags=["đánh giá"])

Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM, in Vietnam")]


@router.put("/dossiers/{dossier_id}/rating", summary="Đánh giá mức độ hài lòng (một lần, sau khi trả kết quả)",
            responses=command())
async def rate_service(dossier_id: DossierId, body: RatingBody, citizen: CitizenDep, backends: BackendsDep,
                       settings: SettingsDep, response: Response) -> CommandAnswer:
    """409 `rating_not_open` before the result is returned, `already_rated` once rated otherwise; 422 on
    `level`, or on `comment` when dissatisfied without one."""
    try:
        answer = await backends.processing.call("PUT", f"/dossiers/{dossier_id}/rating", json={
            "owner_id": citizen.id, **body.model_dump()})
    except UpstreamError as refused:
        if refused.status == 404 and await _citizen_has(backends, citizen.id, dossier_id):
            # A draft processing never held: the citizen's dossier all the same, not yet returned.
            raise RatingNotOpen() from None
        raise
    return await read_your_write(backends, settings, answer, response)


async def _citizen_has(backends: Backends, owner_id: str, dossier_id: str) -> bool:
    try:
        await backends.query.call("GET", f"/dossiers/{dossier_id}", params={"owner_id": owner_id})
    except UpstreamError as missing:
        if missing.status == 404:
            return False
        raise
    return True


@router.get("/staff/ratings/summary", summary="Tổng hợp đánh giá mức độ hài lòng theo thủ tục và tháng",
            responses=SIGNED_IN)
async def ratings_summary(_staff: StaffDep, backends: BackendsDep, from_month: Month = None,
                          to_month: Month = None,
                          procedure_code: Annotated[str | None, Query(max_length=64)] = None) -> RatingSummary:
    """Counts per level for each procedure and month the ratings were given in (Vietnam time), both months
    included; 422 when `to_month` is before `from_month`."""
    return RatingSummary.model_validate(await backends.query.call("GET", "/ratings/summary", params={
        "from_month": from_month, "to_month": to_month, "procedure_code": procedure_code}))
