"""Recipients are shown masked: enough to recognise one's own address, not to read someone else's."""

import pytest

from services.notify.domain.masking import mask_email


@pytest.mark.parametrize(("address", "masked"), [
    ("binh.tran@example.vn", "b***n@e***.vn"),
    ("an@mail.example.com.vn", "a***@m***.vn"),
    ("x@localhost", "x***@l***"),
    ("not-an-address", "***"),
    ("@example.vn", "***"),
])
def test_masking(address: str, masked: str) -> None:
    assert mask_email(address) == masked
