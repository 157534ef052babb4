"""The countdown as the portal writes it, for each deadline state the API gives (the overdue one cannot be
reached in a browser run, whose clock is the real one)."""

from typing import Any

import pytest
from markupsafe import Markup

from services.gateway.portal.pages import _environment


def countdown(item: dict[str, Any]) -> str:
    macros: Any = _environment.get_template("_macros.html").module
    html = Markup(macros.due({"due_date": "2026-03-17", "overdue": False, **item}))
    return " ".join(html.striptags().split())


@pytest.mark.parametrize(("item", "says"), [
    ({"deadline_state": "on_track", "working_days_left": 7}, "17/03/2026 còn 7 ngày làm việc"),
    ({"deadline_state": "due_soon", "working_days_left": 2}, "Sắp đến hạn: còn 2 ngày làm việc"),
    ({"deadline_state": "due_soon", "working_days_left": 0}, "Sắp đến hạn: hạn là hôm nay"),
    ({"deadline_state": "overdue", "working_days_left": 0, "overdue": True}, "Quá hạn"),
    ({"deadline_state": "paused", "working_days_left": 4}, "tạm dừng, còn 4 ngày làm việc"),
])
def test_each_state_in_vietnamese(item: dict[str, Any], says: str) -> None:
    assert says in countdown(item)


def test_no_countdown_without_a_running_clock() -> None:
    assert countdown({"deadline_state": None, "working_days_left": None}) == "17/03/2026"
