"""The slips service's settings: the shared ones, its port, the Department's signing certificate, and what
the slips print besides the dossier (the place, the public lookup's address)."""

from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator

from shared.settings import ServiceSettings


class SlipsSettings(ServiceSettings):
    port: int = 8106
    # The Department's signing certificate and key (PKCS#12) and its password: from a Secret in production.
    signing_certificate_file: Path | None = None
    signing_certificate_password: SecretStr | None = None
    # Without a certificate, outside production: a development one, created on first start in this folder
    # (STORE_JOURNAL_DIR when set, so that it lives as long as the slips it signed), and said on every slip.
    dev_certificate_dir: Path | None = None
    # The place on the place-and-date line of every slip (địa danh).
    place: str = Field(default="Phường Trung tâm", min_length=1, max_length=100)
    timezone: str = "Asia/Ho_Chi_Minh"
    # The receipt's QR code: the portal's public lookup of the dossier's code.
    portal_url: str = "http://127.0.0.1:8000"
    lookup_path: str = "/tra-cuu?ma={lookup_code}"
    outbox_poll_seconds: float = 1.0
    # Intake's internal API, where the applicant's name and address are read (the events carry neither).
    intake_url: str = "http://127.0.0.1:8101"
    intake_wait_seconds: float = Field(default=30.0, gt=0)  # how long intake may be away before a retry

    @property
    def development_certificate_dir(self) -> Path:
        return self.dev_certificate_dir or self.store_journal_dir or Path(".hoso-dev")

    @model_validator(mode="after")
    def refuse_unsafe_configuration(self) -> Self:
        if bool(self.signing_certificate_file) != bool(self.signing_certificate_password):
            raise ValueError("SIGNING_CERTIFICATE_FILE and SIGNING_CERTIFICATE_PASSWORD go together")
        if self.environment == "production" and not self.signing_certificate_file:
            raise ValueError("SIGNING_CERTIFICATE_FILE and SIGNING_CERTIFICATE_PASSWORD must be set in production: "
                             "slips are signed with the Department's certificate, never a development one")
        return self
