"""DEV_DAYS_AHEAD: a development run may judge deadlines as if it were later, production never."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from services.query.bootstrap import looking_ahead
from services.query.settings import QuerySettings
from shared.messages import utc_now


def test_the_clock_looks_ahead_by_the_days_asked_for() -> None:
    assert looking_ahead(0) is utc_now
    ahead = looking_ahead(40)() - utc_now()
    assert timedelta(days=39, hours=23) < ahead <= timedelta(days=40)


def test_production_refuses_to_look_ahead() -> None:
    assert QuerySettings(environment="development", dev_days_ahead=40).dev_days_ahead == 40
    assert QuerySettings(environment="production").dev_days_ahead == 0
    with pytest.raises(ValidationError, match="DEV_DAYS_AHEAD"):
        QuerySettings(environment="production", dev_days_ahead=40)
