"""`python -m services.processing`: processing as its own process."""

from services.processing.bootstrap import bootstrap
from services.processing.settings import ProcessingSettings
from shared.process import run_service

run_service("processing", ProcessingSettings, bootstrap)
