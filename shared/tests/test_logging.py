"""Log lines carry the correlation id and never personal data or tokens."""

import json

import pytest

from shared.correlation import bind_correlation_id
from shared.logging import configure_logging, get_logger


def test_personal_data_and_tokens_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("test")
    bind_correlation_id("corr-123")
    get_logger("t").info("something_happened", dossier_id="d-1", email="a@b.vn", full_name="Nguyễn Văn A",
                         phone="0912345678", token="eyJ.secret", applicant={"id_number": "001"})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["correlation_id"] == "corr-123" and line["dossier_id"] == "d-1"
    for key in ("email", "full_name", "phone", "token", "applicant"):
        assert line[key] == "[redacted]"
    assert "0912345678" not in json.dumps(line) and "eyJ.secret" not in json.dumps(line)
