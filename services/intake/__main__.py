"""`python -m services.intake`: intake as its own process."""

from services.intake.bootstrap import bootstrap
from services.intake.settings import IntakeSettings
from shared.process import run_service

run_service("intake", IntakeSettings, bootstrap)
