"""The procedure catalog is real data: at least ten Department of Health procedures, fees and times."""

import pytest

from shared.errors import UnknownProcedure
from shared.procedures import load_catalog


def test_catalog_has_the_departments_procedures() -> None:
    catalog = load_catalog()
    assert len(catalog.procedures) >= 10
    assert len({procedure.code for procedure in catalog.procedures}) == len(catalog.procedures)
    licence = catalog.get("SYT-KCB-01")
    assert licence.fee_vnd == 360_000 and licence.processing_days == 20
    assert any(procedure.fee_vnd == 0 for procedure in catalog.procedures)


def test_unknown_procedure_is_refused() -> None:
    with pytest.raises(UnknownProcedure):
        load_catalog().get("KHONG-CO")
