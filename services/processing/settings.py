"""Processing's settings: the shared ones, its port, the agency's code, the time zone and the limits."""

from datetime import time
from pathlib import Path

from pydantic import Field, field_validator

from shared.blobs.content_types import unknown_content_types
from shared.settings import ServiceSettings

MEGABYTE = 1024 * 1024


class ProcessingSettings(ServiceSettings):
    port: int = 8103
    # The Department's code in the national catalog of agencies; the first part of every lookup code.
    agency_code: str = Field(default="000.00.17.H00", pattern=r"^[0-9A-Za-z.]{1,32}$")
    # Receipt days, due dates and lookup codes count days in Vietnam.
    timezone: str = "Asia/Ho_Chi_Minh"
    # A result document streams into the blob store, so MongoDB's 16 MB document limit no longer bounds it;
    # the bound left is what staff reasonably scan, and the bus door's base64 field (about 10.5 MB) is
    # smaller still, so a larger limit only helps the HTTP door.
    max_document_bytes: int = Field(default=10 * MEGABYTE, gt=0, le=100 * MEGABYTE)
    # What a result document may be, judged from its bytes (shared.blobs.content_types), never its name.
    accepted_result_types: list[str] = Field(
        default_factory=lambda: ["application/pdf", "image/jpeg", "image/png"], min_length=1)
    outbox_poll_seconds: float = 1.0
    # The government's yearly adjustments to working days (None: shared/working_calendar.json).
    working_calendar_file: Path | None = None
    # The daily deadline watch: "sắp đến hạn" from this many working days before the due date (the same
    # DUE_SOON_WORKING_DAYS query counts with), run each day at this time in Vietnam (HH:MM), looking at the
    # clock every `deadline_poll_seconds`.
    due_soon_working_days: int = Field(default=2, ge=0, le=60)
    deadline_watch_at: time = time(7, 0)
    deadline_poll_seconds: float = Field(default=60.0, gt=0)

    @field_validator("accepted_result_types")
    @classmethod
    def recognised_result_types(cls, accepted: list[str]) -> list[str]:
        # A type without a content signature could never be recognised: refuse it at start, not at upload.
        unknown = unknown_content_types(accepted)
        if unknown:
            raise ValueError(f"ACCEPTED_RESULT_TYPES: no content check for {', '.join(unknown)}")
        return list(dict.fromkeys(accepted))
