"""The advanced search (tìm kiếm nâng cao) both lists take: the citizen's own and the staff's."""

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query
from pydantic import BeforeValidator

from services.gateway.dependencies import SettingsDep
from shared.read_model import CURSOR_PATTERN
from shared.statuses import Status

MAX_PAGE_SIZE = 100  # the default of MAX_PAGE_SIZE; the published schema says this one


def _iso_day(value: object) -> object:
    """A day as the schema says it (YYYY-MM-DD), not any text pydantic could read as one ("0" is 1 January 1970)."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("not an ISO day")
    return value


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Day = Annotated[date | None, BeforeValidator(_iso_day)]


async def search_params(  # async: no worker thread for it (dependencies.py)
    settings: SettingsDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Từ khoá, không phân biệt dấu")] = None,
    procedure_code: Annotated[str | None, Query(max_length=64)] = None,
    code: Annotated[str | None, Query(max_length=64, description="Mã hồ sơ")] = None,
    from_: Annotated[Day, Query(alias="from")] = None,
    to: Annotated[Day, Query()] = None,
    overdue: Annotated[bool, Query(description="Chỉ hồ sơ quá hạn (quá hạn giải quyết), hạn sớm nhất trước")] = False,
    due_soon: Annotated[bool, Query(description="Chỉ hồ sơ sắp đến hạn, hạn sớm nhất trước")] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Tối đa MAX_PAGE_SIZE (100)")] = 20,
    cursor: Annotated[str | None, Query(pattern=CURSOR_PATTERN, description=(
        "Where the page starts: `next_cursor` or `prev_cursor` of the page before (given, `page` is not read). "
        "Paging by cursor lists every dossier that stays in the list once, while others arrive or leave."))] = None,
) -> dict[str, Any]:
    """The filters and page as the query service takes them; a page size over the cap is refused."""
    if page_size > settings.max_page_size:
        raise HTTPException(422, detail={"code": "validation_error",
                                         "message": f"page_size tối đa là {settings.max_page_size}."})
    return {"status": status_, "q": q, "procedure_code": procedure_code, "code": code, "from": from_, "to": to,
            # Left out when not asked for, so the query service's default holds.
            **({"overdue": True} if overdue else {}), **({"due_soon": True} if due_soon else {}),
            "page": page, "page_size": page_size, "cursor": cursor}


SearchDep = Annotated[dict[str, Any], Depends(search_params)]
