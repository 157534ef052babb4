"""Public catalogs: the statuses in lifecycle order and the Department's procedures."""

from fastapi import APIRouter

from services.gateway.schemas import FormFieldOut, ProcedureOut, StatusOut
from shared.procedures import load_catalog
from shared.read_model import FeeItemOut
from shared.statuses import CATALOG

router = APIRouter(prefix="/v1", tags=["danh mục"])


@router.get("/statuses", summary="Danh mục trạng thái hồ sơ")
async def list_statuses() -> list[StatusOut]:
    return [StatusOut(code=entry.code, label=entry.label) for entry in CATALOG]


@router.get("/procedures", summary="Danh mục thủ tục hành chính")
async def list_procedures() -> list[ProcedureOut]:
    return [
        ProcedureOut(
            code=procedure.code, name=procedure.name, field=procedure.field, fee_vnd=procedure.fee_vnd,
            fee_items=[FeeItemOut(**item.model_dump()) for item in procedure.fee_items],
            processing_days=procedure.processing_days,
            form_fields=[FormFieldOut(**field.model_dump()) for field in procedure.form_fields],
        )
        for procedure in load_catalog().procedures
    ]
