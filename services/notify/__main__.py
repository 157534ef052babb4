"""`python -m services.notify`: notify as its own process."""

from services.notify.bootstrap import bootstrap
from services.notify.settings import NotifySettings
from shared.process import run_service

run_service("notify", NotifySettings, bootstrap)
