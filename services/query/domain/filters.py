"""The portal's advanced search (tìm kiếm nâng cao) over one owner's dossiers, as plain values."""

from dataclasses import dataclass
from datetime import date

from services.query.errors import InvalidFilters
from shared.statuses import Status


@dataclass(frozen=True)
class DossierFilters:
    """Every filter is optional; those given must all hold. Dates are days in Vietnam, both inclusive."""

    status: Status | None = None
    q: str | None = None
    procedure_code: str | None = None
    code: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False  # only the dossiers past their due date (quá hạn), as the list items say it
    due_soon: bool = False  # only those due within DUE_SOON_WORKING_DAYS working days (sắp đến hạn)

    @property
    def due_first(self) -> bool:
        """A list of dossiers at risk is read in the order they fall due: the most urgent first."""
        return self.overdue or self.due_soon

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidFilters({"from": "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."})
