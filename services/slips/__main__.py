"""`python -m services.slips`: the slips service as its own process."""

from services.slips.bootstrap import bootstrap
from services.slips.settings import SlipsSettings
from shared.process import run_service

run_service("slips", SlipsSettings, bootstrap)
