"""The fault tests' figures, printed as one table at the end of the run, and their stand-ins."""

from collections.abc import Iterator

import pytest

from tests.support.figures import REPORTED
from tests.support.intake_stub import intake_without_dossiers


@pytest.fixture
def intake_url() -> Iterator[str]:
    """For query run alone on made-up events: an intake that knows none of them (INTAKE_URL)."""
    with intake_without_dossiers() as url:
        yield url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORTED:
        return
    terminalreporter.section("fault figures")
    terminalreporter.write_line("scenario | what was done | figure | held/broke")
    for figure in REPORTED:
        terminalreporter.write_line(figure.line())
