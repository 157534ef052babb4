"""Public lookup by dossier code (tra cứu hồ sơ): no login, no personal data, limited per client."""

import math
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request

from services.gateway.api.responses import PUBLIC
from services.gateway.dependencies import GatewayDep
from shared.read_model import LookupAnswer

router = APIRouter(prefix="/v1", tags=["tra cứu"], responses=PUBLIC)


@router.get("/lookup/{lookup_code}", summary="Tra cứu tình trạng hồ sơ theo mã hồ sơ")
async def lookup(lookup_code: Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9.\-]+$")],
                 request: Request, gateway: GatewayDep) -> LookupAnswer:
    wait = gateway.lookup_limiter.allow(request.client.host if request.client else "unknown")
    if wait > 0:
        raise HTTPException(429, headers={"Retry-After": str(math.ceil(wait))})
    return LookupAnswer.model_validate(await gateway.backends.query.call("GET", f"/lookup/{lookup_code}"))
