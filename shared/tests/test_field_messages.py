"""Every validation message names its field (its Vietnamese label) and the rule it breaks, with its limit."""

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from shared.field_messages import field_messages, label_of
from shared.messages import ApplicantDraft


class Body(BaseModel):
    reason: str = Field(min_length=1, max_length=10)
    postal_address: str | None = Field(default=None, min_length=5)
    items: list[Annotated[int, Field(ge=0)]] = Field(default_factory=list, max_length=2)
    method: Annotated[str, Field(pattern="^(online|postal)$")] = "online"


def messages(data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        Body.model_validate(data)
    return field_messages(refused.value.errors())


def test_lengths_say_their_limit() -> None:
    assert messages({"reason": "x" * 11}) == {"reason": "Lý do: tối đa 10 ký tự."}
    assert messages({"reason": ""}) == {"reason": "Lý do: không được để trống."}
    assert messages({"reason": "a", "postal_address": "ab"}) == {
        "postal_address": "Địa chỉ nhận kết quả: tối thiểu 5 ký tự."}


def test_a_missing_field_and_a_list_item_are_named() -> None:
    assert messages({}) == {"reason": "Lý do: bắt buộc phải nhập."}
    assert messages({"reason": "a", "items": [1, -1]}) == {"items.1": "Các khoản phí, lệ phí (mục 2): tối thiểu 0."}
    assert messages({"reason": "a", "items": [1, 2, 3]}) == {"items": "Các khoản phí, lệ phí: tối đa 2 mục."}


def test_a_format_says_what_it_expects_or_at_least_that_it_is_wrong() -> None:
    with pytest.raises(ValidationError) as refused:
        ApplicantDraft.model_validate({"phone": "12"})
    assert field_messages(refused.value.errors()) == {"phone": "“phone”: không đúng định dạng (bắt đầu bằng 0 hoặc "
                                                        "+84, tiếp theo là 9 hoặc 10 chữ số, ví dụ 0912345678)."}
    assert messages({"reason": "a", "method": "drone"}) == {"method": "Hình thức: không đúng định dạng."}


def test_labels_come_from_the_api_names_wrappers_and_the_callers_own() -> None:
    assert label_of("applicant.phone") == label_of("content.applicant.phone") == "Số điện thoại"
    assert label_of("items.0.amount_vnd") == "Số tiền (mục 1)"
    assert label_of("form.so_giuong", {"form.so_giuong": "Số giường bệnh"}) == "Số giường bệnh"
    assert label_of("form.la") == "“form.la”"
