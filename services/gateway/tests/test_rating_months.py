"""The staff's summary page reads a month as Vietnamese write it and says it back that way."""

import pytest

from services.gateway.portal.api.rating import api_month, shown_month


@pytest.mark.parametrize(("typed", "sent"), [("3/2026", "2026-03"), ("03/2026", "2026-03"), ("12/2025", "2025-12"),
                                             ("2026-03", "2026-03"), ("13/2026", "2026-13"), ("tháng 3", "tháng 3")])
def test_a_typed_month_goes_to_the_api_as_yyyy_mm_or_as_typed(typed: str, sent: str) -> None:
    assert api_month(typed) == sent


def test_a_month_is_shown_as_mm_yyyy() -> None:
    assert shown_month("2026-03") == "03/2026"
