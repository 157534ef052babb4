"""The in-memory engine's table of shared leaves: equal leaves held once, unused ones let go."""

from datetime import datetime

from shared.store.memory_sharing import _Leaves


def test_equal_leaves_are_held_once_and_unequal_kinds_apart() -> None:
    leaves = _Leaves()
    first = leaves.dict_like({"kind": "citizen", "id": "u1"})
    assert leaves.dict_like({"kind": "citizen", "id": "u1"}) is first
    assert leaves.dict_like({"id": "u1", "kind": "citizen"}) is not first  # key order is part of a subdocument
    assert leaves.list_like([]) is leaves.list_like([])
    at = datetime(2026, 1, 2, 3)
    assert leaves.list_like(["a", 1, None, at]) is leaves.list_like(["a", 1, None, at])
    # 1 == True == 1.0: a leaf with a boolean or a float is never shared, nor one holding a container.
    for unshared in ({"n": True}, {"n": 1.0}, {"n": [1]}):
        assert leaves.dict_like(dict(unshared)) is not leaves.dict_like(dict(unshared))
    assert leaves.dict_like({"n": 1}) is not leaves.dict_like({"n": 2})


def test_a_sweep_lets_go_of_the_leaves_nothing_else_holds() -> None:
    leaves = _Leaves()
    kept = [leaves.dict_like({"id": f"kept-{number}"}) for number in range(3)]
    for number in range(5):
        leaves.dict_like({"id": f"dropped-{number}"})
    leaves.list_like(["dropped"])
    assert len(leaves) == 9
    leaves.sweep()
    assert len(leaves) == 3
    assert [leaves.dict_like({"id": f"kept-{number}"}) for number in range(3)] == kept
    assert all(leaves.dict_like({"id": f"kept-{number}"}) is kept[number] for number in range(3))


def test_the_table_sweeps_itself_as_it_grows() -> None:
    leaves = _Leaves()
    for number in range(20_000):
        leaves.dict_like({"id": f"transient-{number}"})  # held by nothing once made
    assert len(leaves) < 8192
