"""The one line each fault test reports: scenario, what was done, the figure, held or broke.

Each line is written to the test's output and appended to test-artifacts/faults/figures.jsonl, so that a
run of the fault tests (`make faults`) can print them as one table; tests/faults/conftest.py prints those
of the current run at the end.
"""

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

FIGURES_FILE = Path(__file__).resolve().parents[2] / "test-artifacts" / "faults" / "figures.jsonl"


@dataclass(frozen=True)
class Figure:
    scenario: str
    done: str
    figure: str
    held: bool

    def line(self) -> str:
        return f"{self.scenario} | {self.done} | {self.figure} | {'held' if self.held else 'broke'}"


REPORTED: list[Figure] = []


def report_figure(scenario: str, done: str, figure: str, *, held: bool) -> Figure:
    """Record one scenario's figure (a test still asserts its guarantee itself)."""
    reported = Figure(scenario, done, figure, held)
    REPORTED.append(reported)
    sys.stdout.write(f"FIGURE {reported.line()}\n")
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES_FILE.open("a", encoding="utf-8") as figures:
        figures.write(json.dumps(asdict(reported), ensure_ascii=False) + "\n")
    return reported


def read_figures() -> list[Figure]:
    """The figures this run has written so far (`make faults` empties the file before it starts)."""
    if not FIGURES_FILE.exists():
        return []
    lines = FIGURES_FILE.read_text(encoding="utf-8").splitlines()
    return [Figure(**json.loads(line)) for line in lines if line.strip()]


def print_table() -> int:
    """`make faults`' table: one row a figure, then how many held and broke; answers 1 when any broke."""
    figures = read_figures()
    broke = sum(not figure.held for figure in figures)
    sys.stdout.write("\nscenario | what was done | figure | held/broke\n--- | --- | --- | ---\n")
    sys.stdout.writelines(f"{figure.line()}\n" for figure in figures)
    sys.stdout.write(f"\n{len(figures) - broke} held, {broke} broke\n")
    return 1 if broke else 0


if __name__ == "__main__":
    raise SystemExit(print_table())
