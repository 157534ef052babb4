"""The deadline statistics for staff (thống kê tình hình giải quyết hồ sơ): the dossiers received per procedure
and month, on time, late, rescheduled late, overdue and in progress, as the read model counts them."""

from typing import Annotated

from fastapi import APIRouter, Query

from services.gateway.api.responses import SIGNED_IN
from services.gateway.dependencies import BackendsDep, StaffDep
from shared.messages import MONTH_PATTERN
from shared.read_model import DeadlineStatistics

router = APIRouter(prefix="/v1", tags=["thống kê"])

Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM, the month of reception in Vietnam")]


@router.get("/staff/statistics", summary="Thống kê hồ sơ tiếp nhận, đúng hạn, trễ hạn, quá hạn theo thủ tục và tháng",
            responses=SIGNED_IN)
async def deadline_statistics(_staff: StaffDep, backends: BackendsDep, from_month: Month = None,
                              to_month: Month = None,
                              procedure_code: Annotated[str | None, Query(max_length=64)] = None) -> DeadlineStatistics:
    """Each dossier received in the months asked for (both included), counted in its month of reception and
    under one outcome as it stands today: its result issued on time or late (a dossier rescheduled after its
    due date is late even when its result came by the new date), or none yet, overdue or in time;
    `rescheduled_late` beside those. 422 when `to_month` is before `from_month`."""
    return DeadlineStatistics.model_validate(await backends.query.call("GET", "/statistics", params={
        "from_month": from_month, "to_month": to_month, "procedure_code": procedure_code}))
