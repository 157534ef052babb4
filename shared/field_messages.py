"""pydantic's validation errors said in Vietnamese, each naming its field and the rule it breaks.

"Số điện thoại: không đúng định dạng (…)", "Tên hồ sơ: tối đa 300 ký tự": the citizen reads which field is
wrong, what is expected and the limit, in the API's error body (`fields`) and so on every page built on it.
Every service's API and intake's own checks word their refusals here, so they read alike whichever door.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from shared.documents import DOCUMENT_CODE_PATTERN
from shared.messages import EMAIL_PATTERN, ID_NUMBER_PATTERN, MONTH_PATTERN, PHONE_PATTERN

# The API's field names (dotted paths into the body, or query parameters), said as the portal labels them.
APPLICANT_LABELS = {
    "full_name": "Họ và tên",
    "id_number": "Số định danh cá nhân",
    "phone": "Số điện thoại",
    "email": "Thư điện tử",
    "address": "Địa chỉ",
}
FIELD_LABELS = {
    "procedure_code": "Thủ tục hành chính",
    "title": "Tên hồ sơ",
    "applicant": "Người nộp hồ sơ",
    **{f"applicant.{name}": label for name, label in APPLICANT_LABELS.items()},
    "form": "Nội dung theo biểu mẫu",
    "reason": "Lý do",
    "method": "Hình thức",
    "items": "Các khoản phí, lệ phí",
    "items.kind": "Loại khoản thu",
    "items.name": "Tên khoản thu",
    "items.amount_vnd": "Số tiền",
    "receipt_number": "Số biên lai",
    "tracking_number": "Mã vận đơn",
    "documents": "Thành phần hồ sơ",
    "postal_address": "Địa chỉ nhận kết quả",
    "summary": "Tóm tắt kết quả",
    "document": "Văn bản kết quả",
    "level": "Mức độ hài lòng",
    "comment": "Ý kiến",
    "due_date": "Hạn giải quyết mới",
    "new_due_date": "Ngày hẹn trả kết quả mới",
    "status": "Trạng thái",
    "q": "Từ khoá",
    "code": "Mã hồ sơ",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "from_month": "Từ tháng",
    "to_month": "Đến tháng",
    "page": "Trang",
    "page_size": "Số hồ sơ mỗi trang",
    "sub": "Mã tài khoản",
    "name": "Họ và tên",
    "email": "Thư điện tử",
    "roles": "Vai trò",
    "file": "Tệp đính kèm",
    "dossier_id": "Mã định danh hồ sơ",
    "file_id": "Mã tệp đính kèm",
    "overdue": "Quá hạn",
    "procedure": "Thủ tục hành chính",
}
# What a pattern expects, in words: a regular expression means nothing to the person filling the form.
FORMATS = {
    ID_NUMBER_PATTERN: "gồm 12 chữ số, in trên thẻ căn cước",
    PHONE_PATTERN: "bắt đầu bằng 0 hoặc +84, tiếp theo là 9 hoặc 10 chữ số, ví dụ 0912345678",
    EMAIL_PATTERN: "ví dụ ten@example.vn",
    MONTH_PATTERN: "năm và tháng dạng YYYY-MM, ví dụ 2026-03",
    DOCUMENT_CODE_PATTERN: "mã thành phần hồ sơ gồm chữ thường, chữ số, dấu gạch ngang hoặc gạch dưới",
}
# Where the body's location starts in FastAPI's errors: not part of the field's name.
_SOURCES = ("body", "query", "path", "header")
# The bodies of the services' internal APIs wrap what the citizen sent ("content", "changes").
_WRAPPERS = ("content", "changes")


def field_name(loc: Sequence[Any]) -> str:
    """The dotted name of the field an error points at ("applicant.phone", "items.0.amount_vnd")."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:] or parts
    return ".".join(parts)


def label_of(name: str, labels: dict[str, str] | None = None) -> str:
    """The field's Vietnamese label: its own, the one of its kind in a list ("items.amount_vnd"), or its name.

    A name inside a service's internal wrapper ("content.applicant.phone") is labelled as the field it wraps.
    """
    known = FIELD_LABELS | (labels or {})
    parts = name.split(".")
    while len(parts) > 1 and parts[0] in _WRAPPERS:
        parts = parts[1:]
    positions = [int(part) + 1 for part in parts if part.isdigit()]
    label = known.get(".".join(parts)) or known.get(".".join(part for part in parts if not part.isdigit()))
    if label is None:
        return f"“{name}”"
    # "Số tiền (mục 2)": which line of a list is wrong.
    return f"{label} (mục {positions[-1]})" if positions else label


def rule_of(error: dict[str, Any]) -> str:
    """The rule a pydantic error says was broken, with its limit, in Vietnamese."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "bắt buộc phải nhập"
    if kind == "string_too_short":
        minimum = ctx.get("min_length", 1)
        return "không được để trống" if minimum <= 1 else f"tối thiểu {minimum} ký tự"
    if kind == "string_too_long":
        return f"tối đa {ctx.get('max_length')} ký tự"
    if kind == "string_pattern_mismatch":
        expected = FORMATS.get(str(ctx.get("pattern")))
        return f"không đúng định dạng ({expected})" if expected else "không đúng định dạng"
    if kind == "value_error":
        # A rule of our own (a model validator): its message is already the Vietnamese sentence.
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if kind in ("too_long", "too_short"):
        limit, bound = (ctx.get("max_length"), "tối đa") if kind == "too_long" else (ctx.get("min_length"), "tối thiểu")
        return f"{bound} {limit} mục"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound(kind, ctx)
    if kind in ("enum", "literal_error"):
        return f"chỉ nhận một trong các giá trị {str(ctx.get('expected', '')).replace(' or ', ' hoặc ')}"
    return SIMPLE_RULES.get(kind, "giá trị không hợp lệ")


SIMPLE_RULES = {
    "string_type": "phải là chuỗi ký tự",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số",
    "float_type": "phải là số",
    "bool_parsing": "phải là đúng hoặc sai (true/false)",
    "date_from_datetime_parsing": "ngày không đúng định dạng YYYY-MM-DD",
    "date_parsing": "ngày không đúng định dạng YYYY-MM-DD",
    "date_type": "ngày không đúng định dạng YYYY-MM-DD",
    "dict_type": "phải là một đối tượng JSON",
    "model_type": "phải là một đối tượng JSON",
    "list_type": "phải là một danh sách",
    "extra_forbidden": "trường này không được phép",
    "json_invalid": "không phải JSON hợp lệ",
}


def _bound(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "greater_than_equal":
        return f"tối thiểu {ctx.get('ge')}"
    if kind == "greater_than":
        return f"phải lớn hơn {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"tối đa {ctx.get('le')}"
    return f"phải nhỏ hơn {ctx.get('lt')}"


def message_of(error: dict[str, Any], labels: dict[str, str] | None = None) -> str:
    """"Số điện thoại: không đúng định dạng (…)": the field's label, then the rule; only the rule for a
    rule of the whole body (a model validator's)."""
    name = field_name(error["loc"])
    rule = rule_of(error)
    if not error["loc"] or name in _SOURCES:
        return f"{rule[:1].upper()}{rule[1:]}."
    return f"{label_of(name, labels)}: {rule}."


def field_messages(errors: Iterable[Any], labels: dict[str, str] | None = None) -> dict[str, str]:
    """Every error as `fields` of the error body: the field's dotted name to its message (the first error
    of a field is the one said)."""
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(field_name(error["loc"]), message_of(error, labels))
    return fields
