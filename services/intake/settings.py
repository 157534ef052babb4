"""Intake's settings: the shared ones, on its own port."""

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    port: int = 8101
    outbox_poll_seconds: float = 1.0
    # A citizen's command naming a version intake has yet to be handed back waits this long for it.
    hand_back_wait_seconds: float = 2.0
