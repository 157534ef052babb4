"""The procedure catalog (danh mục thủ tục hành chính) of the Department of Health, kept as data.

The list lives in shared/catalog/procedures.json (or the file `PROCEDURES_FILE` names), so an operator
can update fees and processing times without a release.
"""

import json
import os
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from shared.errors import UnknownProcedure

DEFAULT_FILE = Path(__file__).parent / "catalog" / "procedures.json"


class FeeItem(BaseModel):
    kind: Literal["phi", "le_phi"]
    name: str
    amount_vnd: int = Field(ge=0)


class FormField(BaseModel):
    name: str
    label: str
    type: Literal["text", "number", "date"] = "text"
    required: bool = False


class Procedure(BaseModel):
    code: str
    name: str
    field: str
    fee_items: list[FeeItem]
    processing_days: int = Field(gt=0, description="Thời hạn giải quyết, tính theo ngày làm việc")
    form_fields: list[FormField]

    @property
    def fee_vnd(self) -> int:
        return sum(item.amount_vnd for item in self.fee_items)


class ProcedureCatalog:
    """The procedures in catalog order, and a lookup by code that refuses unknown codes."""

    def __init__(self, procedures: list[Procedure]) -> None:
        self.procedures = procedures
        self._by_code = {procedure.code: procedure for procedure in procedures}

    def get(self, code: str) -> Procedure:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownProcedure(procedure_code=code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code


@cache
def load_catalog(path: str | None = None) -> ProcedureCatalog:
    source = Path(path or os.environ.get("PROCEDURES_FILE") or DEFAULT_FILE)
    raw = json.loads(source.read_text(encoding="utf-8"))
    return ProcedureCatalog([Procedure.model_validate(entry) for entry in raw["procedures"]])
