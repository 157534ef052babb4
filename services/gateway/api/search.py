"""The advanced search (tìm kiếm nâng cao) both lists take: the citizen's own and the staff's."""

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query

from services.gateway.dependencies import SettingsDep
from shared.statuses import Status


def search_params(
    settings: SettingsDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Từ khoá, không phân biệt dấu")] = None,
    procedure_code: Annotated[str | None, Query(max_length=64)] = None,
    code: Annotated[str | None, Query(max_length=64, description="Mã hồ sơ")] = None,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: Annotated[date | None, Query()] = None,
    overdue: Annotated[bool, Query(description="Chỉ hồ sơ quá hạn (quá hạn giải quyết), hạn sớm nhất trước")] = False,
    due_soon: Annotated[bool, Query(description="Chỉ hồ sơ sắp đến hạn, hạn sớm nhất trước")] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1)] = 20,
) -> dict[str, Any]:
    """The filters and page as the query service takes them; a page size over the cap is refused."""
    if page_size > settings.max_page_size:
        raise HTTPException(422, detail={"code": "validation_error",
                                         "message": f"page_size tối đa là {settings.max_page_size}."})
    return {"status": status_, "q": q, "procedure_code": procedure_code, "code": code, "from": from_, "to": to,
            # Left out when not asked for, so the query service's default holds.
            **({"overdue": True} if overdue else {}), **({"due_soon": True} if due_soon else {}),
            "page": page, "page_size": page_size}


SearchDep = Annotated[dict[str, Any], Depends(search_params)]
