"""The Reception and Result Return Unit's door (Bộ phận tiếp nhận và trả kết quả): role `staff` only.

Each action is passed to the holder of the statuses it starts from, which decides: processing for most,
payment for `confirm-payment` (it holds `payment_requested`). The same actions arrive as AMQP commands
from staff tools (routing keys `staff.<action>`) and end in the same handlers.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Path, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from services.gateway.consistency import read_your_write
from services.gateway.deps import BackendsDep, SettingsDep, StaffDep
from services.gateway.routes.dossiers import DossierId
from services.gateway.schemas import CommandAnswer
from services.gateway.search import SearchDep
from shared.commands import PAYMENT_ACTIONS, STAFF_ACTIONS
from shared.payments import FeeLine
from shared.read_model import DossierDetail, DossierPage

router = APIRouter(prefix="/v1/staff", tags=["cán bộ tiếp nhận"])

Action = Annotated[str, Path(description="accept, reject, request-supplement, start-processing, request-payment, "
                                         "confirm-payment, mark-returned")]
# Where each action's effect must be before the answer, besides the read model: where it handed the dossier.
ALSO_WAIT_FOR = {"request-supplement": ["intake"], "request-payment": ["payment"], "confirm-payment": ["processing"]}


class StaffActionBody(BaseModel):
    """`reason` for reject and request-supplement; `method` for mark-returned and confirm-payment;
    `items` for request-payment (without them, the procedure's fee items); `receipt_number` (số biên lai)
    for confirm-payment."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, min_length=1, max_length=2000)
    method: Literal["at_office", "postal"] | None = None
    items: list[FeeLine] | None = Field(default=None, min_length=1, max_length=50)
    receipt_number: str | None = Field(default=None, min_length=1, max_length=64)


@router.get("/dossiers", summary="Danh sách hồ sơ cho cán bộ")
async def list_all_dossiers(_staff: StaffDep, backends: BackendsDep, search: SearchDep) -> DossierPage:
    return DossierPage.model_validate(await backends.query.call("GET", "/dossiers", params=search))


@router.get("/dossiers/{dossier_id}", summary="Chi tiết hồ sơ cho cán bộ")
async def get_any_dossier(dossier_id: DossierId, _staff: StaffDep, backends: BackendsDep) -> DossierDetail:
    return DossierDetail.model_validate(await backends.query.call("GET", f"/dossiers/{dossier_id}"))


@router.post("/dossiers/{dossier_id}/issue-result", summary="Trả kết quả giải quyết (multipart)")
async def issue_result(
    dossier_id: DossierId, staff: StaffDep, backends: BackendsDep, settings: SettingsDep, response: Response,
    summary: Annotated[str, Form(min_length=1, max_length=2000)],
    document: Annotated[UploadFile | None, File(description="Văn bản kết quả")] = None,
) -> CommandAnswer:
    files = None
    if document is not None:
        files = {"document": (document.filename or "ket-qua", await document.read(),
                              document.content_type or "application/octet-stream")}
    answer = await backends.processing.call("POST", f"/dossiers/{dossier_id}/actions/issue-result",
                                            data={"actor_id": staff.id, "summary": summary}, files=files)
    return await read_your_write(backends, settings, answer, response)


@router.post("/dossiers/{dossier_id}/{action}", summary="Thao tác của cán bộ trên hồ sơ")
async def act_on_dossier(dossier_id: DossierId, action: Action, staff: StaffDep, backends: BackendsDep,
                         settings: SettingsDep, response: Response,
                         body: StaffActionBody | None = None) -> CommandAnswer:
    if action not in STAFF_ACTIONS or action == "issue-result":
        raise HTTPException(404, detail={"code": "unknown_action", "message": "Thao tác không tồn tại."})
    holder = backends.payment if action in PAYMENT_ACTIONS else backends.processing
    payload = (body or StaffActionBody()).model_dump(mode="json", exclude_none=True)
    answer = await holder.call("POST", f"/dossiers/{dossier_id}/actions/{action}",
                               json={"actor_id": staff.id, **payload})
    # The next command finds the dossier where this one handed it: intake after a supplement request,
    # payment after a payment request, processing once a payment is confirmed.
    return await read_your_write(backends, settings, answer, response, also=ALSO_WAIT_FOR.get(action, []))
