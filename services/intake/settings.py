"""Intake's settings: the shared ones, on its own port, and the limits on the files citizens attach."""

from typing import Self

from pydantic import Field, field_validator, model_validator

from shared.blobs.content_types import unknown_content_types
from shared.settings import ServiceSettings

MEGABYTE = 1024 * 1024


class IntakeSettings(ServiceSettings):
    port: int = 8101
    outbox_poll_seconds: float = 1.0
    # A citizen's command naming a version intake has yet to be handed back waits this long for it.
    hand_back_wait_seconds: float = 2.0
    # One attached file (tệp đính kèm), and all of a dossier's files together, in bytes.
    max_file_bytes: int = Field(default=10 * MEGABYTE, gt=0)
    max_dossier_bytes: int = Field(default=50 * MEGABYTE, gt=0)
    max_files_per_dossier: int = Field(default=30, gt=0)
    # What an attached file may be, judged from its bytes (shared.blobs.content_types), never its name.
    accepted_content_types: list[str] = Field(
        default_factory=lambda: ["application/pdf", "image/jpeg", "image/png"], min_length=1)

    @field_validator("accepted_content_types")
    @classmethod
    def recognised_content_types(cls, accepted: list[str]) -> list[str]:
        # A type the content inspector has no signature for could never be recognised: refuse it at start.
        unknown = unknown_content_types(accepted)
        if unknown:
            raise ValueError(f"ACCEPTED_CONTENT_TYPES: no content check for {', '.join(unknown)}")
        return accepted

    @model_validator(mode="after")
    def a_file_fits_in_a_dossier(self) -> Self:
        if self.max_file_bytes > self.max_dossier_bytes:
            raise ValueError("MAX_FILE_BYTES must not exceed MAX_DOSSIER_BYTES")
        return self
