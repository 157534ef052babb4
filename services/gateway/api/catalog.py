"""Public catalogs: the statuses in lifecycle order, the Department's procedures and their blank forms, and
the Department's office (where and when to pay in person, the account for a transfer)."""

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from services.gateway.api.responses import PUBLIC
from services.gateway.dependencies import SettingsDep
from services.gateway.schemas import FormFieldOut, ProcedureDocumentOut, ProcedureOut, StatusOut
from shared.errors import UnknownProcedure, UnknownProcedureDocument
from shared.http_files import attachment_headers
from shared.office import Office, load_office
from shared.procedures import Procedure, load_catalog
from shared.read_model import FeeItemOut
from shared.statuses import CATALOG

router = APIRouter(prefix="/v1", tags=["danh mục"], responses=PUBLIC)

Code = Annotated[str, Path(min_length=1, max_length=64)]
# The templates are Word documents (.docx), the format citizens fill in most.
TEMPLATE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/statuses", summary="Danh mục trạng thái hồ sơ")
async def list_statuses() -> list[StatusOut]:
    return [StatusOut(code=entry.code, label=entry.label) for entry in CATALOG]


@router.get("/office", summary="Nơi nộp hồ sơ, phí, lệ phí: địa chỉ, giờ làm việc, tài khoản")
async def office(settings: SettingsDep) -> Office:
    """What a citizen paying at the office or by post needs: the address, the opening hours, the account a
    transfer goes to (its content: the dossier's code) and within how many working days to pay."""
    return load_office(settings.office_file)


@router.get("/procedures", summary="Danh mục thủ tục hành chính")
async def list_procedures() -> list[ProcedureOut]:
    return [
        ProcedureOut(
            code=procedure.code, name=procedure.name, field=procedure.field, fee_vnd=procedure.fee_vnd,
            fee_items=[FeeItemOut(**item.model_dump()) for item in procedure.fee_items],
            processing_days=procedure.processing_days,
            form_fields=[FormFieldOut(**field.model_dump()) for field in procedure.form_fields],
            documents=documents_of(procedure),
        )
        for procedure in load_catalog().procedures
    ]


@router.get("/procedures/{procedure_code}/templates/{document_code}", summary="Tải mẫu đơn, tờ khai",
            response_class=FileResponse)
async def download_template(procedure_code: Code, document_code: Code) -> FileResponse:
    try:
        path = load_catalog().template_path(procedure_code, document_code)
    except UnknownProcedure:
        # In a path, an unknown procedure is a page that does not exist, not a bad form.
        raise UnknownProcedureDocument() from None
    if path is None:
        raise UnknownProcedureDocument()
    # A blank form is the same for everyone: caches may keep it.
    headers = attachment_headers(path.name, TEMPLATE_TYPES.get(path.suffix, "application/octet-stream"),
                                 private=False)
    # FileResponse sets the type and the length itself, from the file.
    return FileResponse(path, media_type=headers.pop("Content-Type"), headers=headers)


def documents_of(procedure: Procedure) -> list[ProcedureDocumentOut]:
    return [ProcedureDocumentOut(
        code=document.code, name=document.name, required=document.required, note=document.note,
        template_url=f"/v1/procedures/{procedure.code}/templates/{document.code}" if document.template else None)
        for document in procedure.documents]
