"""The query service's settings: the shared ones, its port, page sizes and the citizens' time zone."""

from pathlib import Path

from pydantic import Field, model_validator

from shared.settings import ServiceSettings


class QuerySettings(ServiceSettings):
    port: int = 8102
    default_page_size: int = 20
    max_page_size: int = 100
    # Dates the portal shows and filters on ("from", "to", overdue) are days in Vietnam.
    timezone: str = "Asia/Ho_Chi_Minh"
    # A read-your-writes wait never holds a request longer than this, whatever the caller asks.
    max_wait_seconds: float = 5.0
    # An early event waits for its predecessors as long as need be; past this it is reported as a gap.
    gap_report_seconds: float = Field(default=300.0, gt=0)
    # "Sắp đến hạn" (due soon) from this many working days before the due date (DUE_SOON_WORKING_DAYS).
    due_soon_working_days: int = Field(default=2, ge=0, le=60)
    # The government's yearly adjustments to working days, as processing reads them (None: the shared file).
    working_calendar_file: Path | None = None
    # Intake's internal API, where the applicant and the form are read (the events carry neither).
    intake_url: str = "http://127.0.0.1:8101"
    intake_wait_seconds: float = Field(default=30.0, gt=0)  # how long intake may be away before a retry
    # Development only: judge every deadline as if it were this many days later (DEV_DAYS_AHEAD), to see the
    # countdown run out, "quá hạn" shown and counted, without waiting for it. Stored times stay real.
    dev_days_ahead: int = Field(default=0, ge=0, le=3660)

    @model_validator(mode="after")
    def _look_ahead_only_in_development(self) -> "QuerySettings":
        if self.dev_days_ahead and self.environment == "production":
            raise ValueError("DEV_DAYS_AHEAD is for development runs only: production judges deadlines today")
        return self
