"""Public lookup by dossier code (tra cứu hồ sơ): no login, no personal data, limited per client."""

import math
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel

from services.gateway.deps import BackendsDep

router = APIRouter(prefix="/v1", tags=["tra cứu"])


class LookupHistoryEntry(BaseModel):
    at: datetime
    to: str


class LookupAnswer(BaseModel):
    lookup_code: str
    procedure_name: str | None
    status: str
    status_label: str
    received_at: datetime | None
    due_date: date | None
    history: list[LookupHistoryEntry]


@router.get("/lookup/{lookup_code}", summary="Tra cứu tình trạng hồ sơ theo mã hồ sơ")
async def lookup(lookup_code: Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9.\-]+$")],
                 request: Request, backends: BackendsDep) -> LookupAnswer:
    wait = request.app.state.lookup_limiter.allow(request.client.host if request.client else "unknown")
    if wait > 0:
        raise HTTPException(429, headers={"Retry-After": str(math.ceil(wait))})
    return LookupAnswer.model_validate(await backends.query.call("GET", f"/lookup/{lookup_code}"))
