"""Errors as JSON in DESIGN.md's shape: `{"error": {"code", "message", "fields"}}`, messages in Vietnamese.

Installed on every service's app and on the gateway, so a client sees one shape whichever door it used.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import DomainError
from shared.field_messages import field_messages

STATUS_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Vui lòng đăng nhập."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn."),
    415: ("unsupported_media_type", "Kiểu dữ liệu không được hỗ trợ."),
    429: ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau."),
}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def error_response(status: int, code: str, message: str, fields: dict[str, str] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, fields), status_code=status, headers=headers)


def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(error["type"] == "json_invalid" for error in errors):
        return error_response(400, "malformed_json", "Nội dung gửi lên không phải JSON hợp lệ.")
    return error_response(422, "validation_error", "Dữ liệu không hợp lệ.", field_messages(errors))


def _on_domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    fields = exc.details.get("fields") if isinstance(exc.details.get("fields"), dict) else None
    return error_response(exc.http_status, exc.code, exc.message, fields)


def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = STATUS_MESSAGES.get(exc.status_code, ("error", "Đã xảy ra lỗi."))
    if isinstance(exc.detail, dict) and "code" in exc.detail:
        code, message = exc.detail["code"], exc.detail.get("message", message)
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
