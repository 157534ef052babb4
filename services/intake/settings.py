"""Intake's settings: the shared ones, on its own port."""

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    port: int = 8101
    outbox_poll_seconds: float = 1.0
