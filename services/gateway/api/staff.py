"""The Reception and Result Return Unit's door (Bộ phận tiếp nhận và trả kết quả): role `staff` only.

Each action is passed to the service that applies it, which decides, and its answer waits for the service
it hands the dossier to: both read off shared.staff_actions' table. The same actions arrive as AMQP
commands from staff tools (routing keys `staff.<action>`) and end in the same handlers.
"""

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, Response, UploadFile

from services.gateway.adapters.tokens import Principal
from services.gateway.api.consistency import read_your_write
from services.gateway.api.dossiers import DossierId
from services.gateway.api.responses import SIGNED_IN, command
from services.gateway.api.search import SearchDep
from services.gateway.dependencies import BackendsDep, SettingsDep, StaffDep
from services.gateway.schemas import CommandAnswer, StaffActionBody
from shared.read_model import DossierDetail, DossierPage
from shared.staff_actions import BY_NAME, STAFF_ACTIONS
from shared.statuses import Status

router = APIRouter(prefix="/v1/staff", tags=["cán bộ tiếp nhận"], responses=SIGNED_IN)

# Its body is multipart (the result document), so it has a route of its own.
ISSUE_RESULT = BY_NAME["issue-result"]
Action = Annotated[str, Path(description=", ".join(
    action.name for action in STAFF_ACTIONS if action is not ISSUE_RESULT))]
# Where each action's effect must be before the answer, besides the read model: the service it hands the
# dossier to, which the next command finds it at.
ALSO_WAIT_FOR = {action.name: [action.hands_to.value] for action in STAFF_ACTIONS if action.hands_over}


@router.get("/dossiers", summary="Danh sách hồ sơ cho cán bộ")
async def list_all_dossiers(_staff: StaffDep, backends: BackendsDep, search: SearchDep) -> DossierPage:
    return DossierPage.model_validate(await backends.query.call("GET", "/dossiers", params=search))


@router.get("/status-counts", summary="Số hồ sơ theo từng trạng thái, cho cán bộ")
async def staff_status_counts(_staff: StaffDep, backends: BackendsDep) -> dict[Status, int]:
    """Every owner's dossiers by status (drafts are never the Department's: always 0), for the staff's tabs."""
    counts: dict[Status, int] = await backends.query.call("GET", "/status-counts")
    return counts


@router.get("/dossiers/{dossier_id}", summary="Chi tiết hồ sơ cho cán bộ")
async def get_any_dossier(dossier_id: DossierId, _staff: StaffDep, backends: BackendsDep) -> DossierDetail:
    shown = DossierDetail.model_validate(await backends.query.call("GET", f"/dossiers/{dossier_id}"))
    # The slips at staff's own door: the citizen's would answer a clerk 403.
    for slip in shown.slips:
        slip.url = slip.url.replace("/v1/dossiers/", "/v1/staff/dossiers/", 1)
    return shown


@router.post("/dossiers/{dossier_id}/issue-result", summary="Cập nhật kết quả giải quyết (multipart)",
             responses=command())
async def issue_result(
    dossier_id: DossierId, staff: StaffDep, backends: BackendsDep, settings: SettingsDep, response: Response,
    summary: Annotated[str, Form(min_length=1, max_length=2000)],
    document: Annotated[UploadFile | None, File(description="Văn bản kết quả")] = None,
) -> CommandAnswer:
    files = None
    if document is not None:
        # The spooled upload itself, which httpx reads a chunk at a time: never the whole file in memory.
        files = {"document": (document.filename or "ket-qua", document.file,
                              document.content_type or "application/octet-stream")}
    answer = await backends.of(ISSUE_RESULT.applied_by).call(
        "POST", f"/dossiers/{dossier_id}/actions/{ISSUE_RESULT.name}",
        data={"actor_id": staff.id, **_named(staff), "summary": summary}, files=files)
    return await read_your_write(backends, settings, answer, response, also=ALSO_WAIT_FOR.get(ISSUE_RESULT.name, []))


@router.post("/dossiers/{dossier_id}/{action}", summary="Thao tác của cán bộ trên hồ sơ", responses=command())
async def act_on_dossier(dossier_id: DossierId, action: Action, staff: StaffDep, backends: BackendsDep,
                         settings: SettingsDep, response: Response,
                         body: StaffActionBody | None = None) -> CommandAnswer:
    chosen = BY_NAME.get(action)
    if chosen is None or chosen is ISSUE_RESULT:
        raise HTTPException(404, detail={"code": "unknown_action", "message": "Thao tác không tồn tại."})
    payload = (body or StaffActionBody()).model_dump(mode="json", exclude_none=True)
    answer = await backends.of(chosen.applied_by).call("POST", f"/dossiers/{dossier_id}/actions/{chosen.name}",
                                                       json={"actor_id": staff.id, **_named(staff), **payload})
    return await read_your_write(backends, settings, answer, response, also=ALSO_WAIT_FOR.get(chosen.name, []))


def _named(staff: Principal) -> dict[str, str]:
    """The officer's name from the token (`name`), so that the history says who acted; none when blank."""
    name = staff.name.strip()[:200]
    return {"actor_name": name} if name else {}
