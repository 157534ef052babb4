"""Which version applies: the next one; earlier ones are duplicates, later ones gaps."""

import pytest

from services.query.domain.ordering import Decision, decide


@pytest.mark.parametrize(("stored", "incoming", "decision"), [
    (None, 1, Decision.APPLY),
    (None, 2, Decision.GAP),
    (3, 4, Decision.APPLY),
    (3, 3, Decision.DUPLICATE),
    (3, 1, Decision.DUPLICATE),
    (3, 5, Decision.GAP),
])
def test_decide(stored: int | None, incoming: int, decision: Decision) -> None:
    assert decide(stored, incoming) is decision
