"""An optional module that is not installed is marked missing once: importing it then fails at once, as before,
without searching `sys.path`; an installed module is never marked."""

import importlib.util
import sys

import pytest

from shared.missing_modules import mark_missing_modules

ABSENT = "hoso_optional_module_that_is_not_installed"


def test_a_missing_module_is_marked_and_still_fails_to_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, ABSENT, raising=False)
    assert mark_missing_modules((ABSENT, "colorsys")) == [ABSENT]  # colorsys is there: left alone
    assert sys.modules[ABSENT] is None
    assert importlib.util.find_spec(ABSENT) is None
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(ABSENT)
    assert mark_missing_modules((ABSENT,)) == []  # once
    monkeypatch.delitem(sys.modules, ABSENT)
