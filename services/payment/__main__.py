"""`python -m services.payment`: payment as its own process."""

from services.payment.bootstrap import bootstrap
from services.payment.settings import PaymentSettings
from shared.process import run_service

run_service("payment", PaymentSettings, bootstrap)
