"""Which transport the settings choose, the TLS and port they imply, and what production refuses."""

import pytest
from pydantic import ValidationError

from services.notify.settings import NotifySettings

REAL_FROM = "Cổng Dịch vụ công Sở Y tế <khong-tra-loi@syt.example.vn>"


def settings(**values: object) -> NotifySettings:
    return NotifySettings(**{"smtp_host": None, **values})  # type: ignore[arg-type]


def test_without_smtp_host_mail_goes_to_the_development_mailbox() -> None:
    assert not settings().uses_smtp and settings().port == 8105


def test_tls_defaults_to_starttls_in_production_and_to_none_in_development() -> None:
    development = settings(smtp_host="127.0.0.1", smtp_port=1025)
    assert development.uses_smtp and (development.tls_mode, development.effective_smtp_port) == ("none", 1025)
    production = settings(environment="production", smtp_host="smtp.example.vn", smtp_from=REAL_FROM)
    assert (production.tls_mode, production.effective_smtp_port) == ("starttls", 587)
    assert settings(smtp_host="smtp.example.vn", smtp_tls="tls").effective_smtp_port == 465


@pytest.mark.parametrize("values", [
    {"environment": "production", "smtp_from": REAL_FROM},  # no SMTP server: the mailbox is not email
    {"environment": "production", "smtp_host": "smtp.example.vn"},  # the placeholder sender
    {"environment": "production", "smtp_host": "smtp.example.vn", "smtp_from": REAL_FROM, "smtp_tls": "none",
     "smtp_user": "portal", "smtp_password": "s3cret"},  # a password in clear
    {"smtp_user": "portal"},  # a user without a password
    {"smtp_from": "not an address"},
    {"smtp_timeout_seconds": 60, "delivery_lease_seconds": 30},  # a live attempt could be claimed again
])
def test_unsafe_configurations_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        settings(**values)


def test_sms_go_to_the_sink_in_development_nowhere_by_default_in_production_and_one_segment_long() -> None:
    assert settings().sms == "development" and settings().sms_length == 160
    production = settings(environment="production", smtp_host="smtp.example.vn", smtp_from=REAL_FROM)
    assert production.sms == "none"
    assert settings(sms_unicode=True).sms_length == 70
    assert settings(sms_provider="").sms == "development"  # SMS_PROVIDER= in a manifest: unset


@pytest.mark.parametrize("values", [
    {"sms_provider": "esms", "sms_api_key": "k", "sms_secret_key": "s"},  # no brand name
    {"sms_provider": "esms", "sms_brandname": "SOYTE"},  # no keys
    {"environment": "production", "smtp_host": "smtp.example.vn", "smtp_from": REAL_FROM,
     "sms_provider": "development"},  # the sink is not SMS
    {"sms_timeout_seconds": 400},  # longer than the lease: a live attempt could be claimed again
])
def test_unsafe_sms_configurations_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        settings(**values)
