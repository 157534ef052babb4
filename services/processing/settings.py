"""Processing's settings: the shared ones, its port, the agency's code, the time zone and the limits."""

from pathlib import Path

from pydantic import Field

from shared.settings import ServiceSettings


class ProcessingSettings(ServiceSettings):
    port: int = 8103
    # The Department's code in the national catalog of agencies; the first part of every lookup code.
    agency_code: str = Field(default="000.00.17.H00", pattern=r"^[0-9A-Za-z.]{1,32}$")
    # Receipt days, due dates and lookup codes count days in Vietnam.
    timezone: str = "Asia/Ho_Chi_Minh"
    # A result document is stored whole in one document: stay well under MongoDB's 16 MB.
    max_document_bytes: int = Field(default=10 * 1024 * 1024, gt=0, le=15 * 1024 * 1024)
    outbox_poll_seconds: float = 1.0
    # The government's yearly adjustments to working days (None: the file beside adapters/calendar.py).
    working_calendar_file: Path | None = None
