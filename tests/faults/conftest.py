"""The fault tests' figures, printed as one table at the end of the run."""

import pytest

from tests.support.figures import REPORTED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORTED:
        return
    terminalreporter.section("fault figures")
    terminalreporter.write_line("scenario | what was done | figure | held/broke")
    for figure in REPORTED:
        terminalreporter.write_line(figure.line())
