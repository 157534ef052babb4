"""The Department's office data: the sample shipped is whole, and an operator's own file replaces it."""

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.office import DEFAULT_FILE, load_office
from shared.settings import ServiceSettings


def test_the_sample_names_where_when_whom_to_call_and_where_to_transfer() -> None:
    office = load_office(DEFAULT_FILE)
    assert office.unit == "Bộ phận Tiếp nhận và Trả kết quả" and office.name.startswith("Sở Y tế")
    assert "7 giờ 30 – 11 giờ 30" in office.opening_hours and "13 giờ 30 – 17 giờ" in office.opening_hours
    assert office.phone and office.bank_account.number.isdigit() and office.bank_account.holder
    assert 1 <= office.payment_days <= 60


def test_an_operators_file_named_by_the_setting_replaces_the_sample(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = json.loads(DEFAULT_FILE.read_text(encoding="utf-8")) | {"name": "Sở Y tế tỉnh Thử Nghiệm", "payment_days": 3}
    path = tmp_path / "office.json"
    path.write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("OFFICE_FILE", str(path))
    settings = ServiceSettings()
    assert settings.office_file == path
    office = load_office(settings.office_file)
    assert (office.name, office.payment_days) == ("Sở Y tế tỉnh Thử Nghiệm", 3)


def test_a_file_with_a_field_wrong_is_refused_at_start(tmp_path: Path) -> None:
    wrong = json.loads(DEFAULT_FILE.read_text(encoding="utf-8")) | {"payment_days": 0}
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(wrong), encoding="utf-8")
    with pytest.raises(ValidationError):
        load_office(path)
