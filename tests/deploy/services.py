"""The services the deployment files describe, with the port each listens on by default (its settings')."""

from pydantic_settings import BaseSettings

from services.gateway.settings import GatewaySettings
from services.intake.settings import IntakeSettings
from services.notify.settings import NotifySettings
from services.payment.settings import PaymentSettings
from services.processing.settings import ProcessingSettings
from services.query.settings import QuerySettings
from services.slips.settings import SlipsSettings
from tests.support.tools import ROOT

SETTINGS: dict[str, type[BaseSettings]] = {
    "intake": IntakeSettings, "query": QuerySettings, "processing": ProcessingSettings,
    "payment": PaymentSettings, "notify": NotifySettings, "slips": SlipsSettings, "gateway": GatewaySettings,
}
# Every service but the gateway consumes messages.
CONSUMERS = ("intake", "query", "processing", "payment", "notify", "slips")
# Every service has a database of its own; the gateway's keeps the Idempotency-Keys already answered.
WITH_A_DATABASE = (*CONSUMERS, "gateway")


def services_asked_by(service: str) -> list[str]:
    """The other services whose internal API `service` calls: those its settings name an address of
    (`INTAKE_URL`, `SLIPS_URL`), so that a setting added for a new call joins the checks by itself."""
    return sorted(other for other in SETTINGS
                  if other != service and f"{other}_url" in SETTINGS[service].model_fields)


def port_of(service: str) -> int:
    port: int = SETTINGS[service].model_fields["port"].default
    return port


def dockerfile_of(service: str) -> str:
    return (ROOT / "deploy" / "docker" / f"{service}.Dockerfile").read_text()
