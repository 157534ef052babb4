"""The procedure catalog (danh mục thủ tục hành chính) of the Department of Health, kept as data.

The list lives in shared/catalog/procedures.json (or the file `PROCEDURES_FILE` names), so an operator
can update fees and processing times without a release. Each procedure also lists its component documents
(thành phần hồ sơ); the blank templates a citizen downloads live in the `templates/` folder beside the file.
"""

import json
import os
from functools import cache
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.errors import UnknownProcedure, UnknownProcedureDocument

DEFAULT_FILE = Path(__file__).parent / "catalog" / "procedures.json"
TEMPLATES_FOLDER = "templates"

# A document code is part of URLs and stored uploads, so it stays a short ASCII slug that never changes.
DOCUMENT_CODE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A template is named by a bare slug and a known extension: no folder part, no "..", nothing hidden, so the
# name alone can never point outside the templates folder.
TEMPLATE_NAME_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:docx|odt|rtf|pdf|xlsx)$"


class FeeItem(BaseModel):
    kind: Literal["phi", "le_phi"]
    name: str
    amount_vnd: int = Field(ge=0)


class FormField(BaseModel):
    name: str
    label: str
    type: Literal["text", "number", "date"] = "text"
    required: bool = False


class ProcedureDocument(BaseModel):
    """One component document (thành phần hồ sơ) that a dossier of the procedure carries."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(max_length=60, pattern=DOCUMENT_CODE_PATTERN)
    name: str = Field(min_length=1, description="Tên giấy tờ, như thủ tục liệt kê")
    required: bool
    note: str | None = Field(default=None, description="Ghi chú: loại bản, số lượng, mẫu áp dụng")
    template: str | None = Field(
        default=None, pattern=TEMPLATE_NAME_PATTERN,
        description="Tên tệp biểu mẫu trống trong thư mục templates của danh mục",
    )


class Procedure(BaseModel):
    code: str
    name: str
    field: str
    fee_items: list[FeeItem]
    processing_days: int = Field(gt=0, description="Thời hạn giải quyết, tính theo ngày làm việc")
    form_fields: list[FormField]
    # Empty by default so that a catalog file written before documents existed still loads.
    documents: tuple[ProcedureDocument, ...] = ()

    @property
    def fee_vnd(self) -> int:
        return sum(item.amount_vnd for item in self.fee_items)

    @property
    def application_form(self) -> ProcedureDocument | None:
        """The form the applicant fills in (đơn đề nghị, tờ khai): by convention the first document listed."""
        return self.documents[0] if self.documents else None

    @model_validator(mode="after")
    def _document_codes_are_unique(self) -> Self:
        codes = [document.code for document in self.documents]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"mã thành phần hồ sơ bị trùng trong thủ tục {self.code}: {', '.join(repeated)}")
        return self

    def document(self, code: str) -> ProcedureDocument:
        """The component document with this code; refuses a code the procedure does not list."""
        for document in self.documents:
            if document.code == code:
                return document
        raise UnknownProcedureDocument(procedure_code=self.code, document_code=code)


class ProcedureCatalog:
    """The procedures in catalog order, lookups by code that refuse unknown codes, and their templates."""

    def __init__(self, procedures: list[Procedure], templates_dir: Path | None = None) -> None:
        self.procedures = procedures
        self._by_code = {procedure.code: procedure for procedure in procedures}
        self.templates_dir = (templates_dir or DEFAULT_FILE.parent / TEMPLATES_FOLDER).resolve()
        # Checked once here, so a catalog that names a missing template fails at start, not at download.
        missing = [
            f"{procedure.code}/{document.code}: {document.template}"
            for procedure in procedures for document in procedure.documents
            if document.template and not (self.templates_dir / document.template).is_file()
        ]
        if missing:
            raise ValueError(f"biểu mẫu không có trong {self.templates_dir}: {'; '.join(missing)}")

    def get(self, code: str) -> Procedure:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownProcedure(procedure_code=code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def document(self, procedure_code: str, document_code: str) -> ProcedureDocument:
        """A procedure's component document; refuses an unknown procedure or document code."""
        return self.get(procedure_code).document(document_code)

    def template_path(self, procedure_code: str, document_code: str) -> Path | None:
        """The blank template file of a procedure's document, or None when that document has no template.

        Refuses unknown codes, whatever they contain ("../x", "/etc/passwd"): a code is only ever a key of the
        catalog, never a piece of a path, and the file found is checked to lie inside the templates folder.
        """
        document = self.document(procedure_code, document_code)
        if document.template is None:
            return None
        path = (self.templates_dir / document.template).resolve()
        if not path.is_relative_to(self.templates_dir) or not path.is_file():
            raise UnknownProcedureDocument(procedure_code=procedure_code, document_code=document_code)
        return path


@cache
def load_catalog(path: str | None = None) -> ProcedureCatalog:
    source = Path(path or os.environ.get("PROCEDURES_FILE") or DEFAULT_FILE)
    raw = json.loads(source.read_text(encoding="utf-8"))
    return ProcedureCatalog(
        [Procedure.model_validate(entry) for entry in raw["procedures"]],
        templates_dir=source.parent / TEMPLATES_FOLDER,
    )
