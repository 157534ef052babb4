"""What each kind of route can answer besides its success, for the OpenAPI: one table per route kind.

Every status code a route can answer is documented here, with the one error shape; a route takes the table of
its kind (`responses=`). Commands also say how their success tells that the read model is behind, and take an
`Idempotency-Key` (api/idempotency.py answers its refusals before the route runs).
"""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from services.gateway.api.consistency import BEHIND, READ_MODEL_HEADER
from services.gateway.api.idempotency import COMMAND_METHODS, KEY_HEADER, MAX_KEY_LENGTH, REPLAYED_HEADER


class ErrorDetail(BaseModel):
    code: str = Field(description="Mã lỗi máy đọc được, ví dụ `dossier_not_found`")
    message: str = Field(description="Thông báo bằng tiếng Việt")
    fields: dict[str, str] | None = Field(default=None, description="Lỗi theo từng trường dữ liệu")


class ErrorOut(BaseModel):
    """Every refusal: `{"error": {"code", "message", "fields"}}`."""

    error: ErrorDetail


WHY = {
    400: "Yêu cầu sai dạng: JSON hỏng, tiêu đề If-Match hoặc Idempotency-Key không hợp lệ",
    401: "Chưa đăng nhập, hoặc token không hợp lệ hay đã hết hạn",
    403: "Vai trò của người gọi không được làm việc này",
    404: "Không tìm thấy (hồ sơ của người khác cũng vậy)",
    409: "Trạng thái hồ sơ không cho phép (hồ sơ chưa đủ thành phần để gửi: `fields` chỉ ra); hoặc Idempotency-Key "
         "đã dùng cho một yêu cầu khác, hay yêu cầu cùng khoá đang được xử lý",
    412: "Phiên bản hồ sơ (If-Match) đã cũ",
    413: "Dữ liệu gửi lên quá lớn",
    415: "Kiểu tệp không được chấp nhận (xét theo nội dung tệp)",
    422: "Dữ liệu không hợp lệ (`fields` chỉ ra trường nào)",
    428: "Thiếu tiêu đề If-Match",
    429: "Quá nhiều yêu cầu, thử lại sau `Retry-After` giây",
    502: "Dịch vụ phía sau trả lời không đúng dạng",
    503: "Dịch vụ tạm thời không khả dụng: không có gì thay đổi, có thể gửi lại",
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorOut, "description": WHY[status]} for status in statuses}


# Whatever the route: a body too large, a service that did not answer, one that answered wrongly.
_ANY = (413, 422, 502, 503)
PUBLIC = refusals(404, 429, *_ANY)
SIGNED_IN = refusals(401, 403, 404, *_ANY)
COMMAND = refusals(400, 401, 403, 404, 409, 412, 415, 428, *_ANY)
PROVIDER = refusals(400, 404, 409, *_ANY)
# The sandbox's checkout pages, and their refusals, are pages (payment's own, in Vietnamese).
_PAGE = {"content": {"text/html": {"schema": {"type": "string"}}}}
SANDBOX_PAGES: dict[int | str, dict[str, Any]] = {200: _PAGE, 303: {"description": "Về lại Cổng"},
                 **{status: {"model": ErrorOut, **_PAGE, "description": WHY[status]} for status in (404, 409)},
                 **refusals(400, 413, 422, 502, 503)}

_SUCCESS_HEADERS = {
    "ETag": {"description": "Phiên bản mới của hồ sơ", "schema": {"type": "string"}},
    READ_MODEL_HEADER: {"description": f"`{BEHIND}`: lệnh đã được thực hiện nhưng danh sách và chi tiết có thể "
                                       "chưa kịp thể hiện (đọc lại sau giây lát)",
                        "schema": {"type": "string", "enum": [BEHIND]}},
    REPLAYED_HEADER: {"description": "`true`: câu trả lời của lần gửi đầu tiên với cùng Idempotency-Key",
                      "schema": {"type": "string", "enum": ["true"]}},
}


def command(success: int = 200) -> dict[int | str, dict[str, Any]]:
    """A command's table: its success with the headers that say what the read model shows, and its refusals."""
    return {success: {"headers": _SUCCESS_HEADERS}, **COMMAND}


IDEMPOTENCY_KEY = {
    "name": KEY_HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[!-~]+$"},
    "description": "Khoá do người gọi chọn (ví dụ một UUID): gửi lại cùng lệnh với cùng khoá nhận lại đúng câu trả lời "
                   "lần đầu, không thực hiện lần hai; mỗi người dùng một không gian khoá riêng, giữ 24 giờ. Cùng khoá "
                   "cho một yêu cầu khác: 409 `idempotency_key_reused`.",
}


def document_commands(app: FastAPI) -> None:
    """Said once here, so that a new route has it too: every command of `/v1` takes an `Idempotency-Key`, and
    a multipart field is a part sent or not, never `null` (which a form cannot say), and a file is not empty."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                if path.startswith("/v1/") and method.upper() in COMMAND_METHODS:
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
                if form and "$ref" in form["schema"]:
                    _never_null(schema["components"]["schemas"][form["schema"]["$ref"].rsplit("/", 1)[1]])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _never_null(body: dict[str, Any]) -> None:
    for part in body.get("properties", {}).values():
        choices = [choice for choice in part.get("anyOf", []) if choice.get("type") != "null"]
        if len(choices) == 1:
            del part["anyOf"]
            part.update(choices[0])
        if part.get("format") == "binary":
            part["minLength"] = 1  # an empty file is refused (422 `empty_file`)
