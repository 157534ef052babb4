"""Rendering the portal's pages: the Jinja environment, the answer's headers, and redirects with notices."""

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.gateway.portal import formatting, labels
from services.gateway.portal.documents import ACCEPTED
from services.gateway.portal.form_keys import new_form_key
from services.gateway.portal.session import forget_notice, keep_cookies, leave_notice, take_notice, visitor_of
from services.gateway.portal.staff_actions import BY_NAME

TEMPLATES = Path(__file__).parent / "templates"
# Own scripts and styles only (nothing from a CDN), never in a frame. No `form-action`: paying online
# posts here and is then redirected to the payment provider's origin, which form-action would block.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Pages show personal data: never kept in a shared cache or the browser's back-forward store.
    "Cache-Control": "no-store",
}

# A notice about one document's files: `attached:<count>:<code>` or `removed:<code>`, shown on its row.
_DOCUMENT_NOTICE = re.compile(r"^(?:attached:(?P<count>\d{1,3})|removed):(?P<code>[a-z0-9-]{1,64})$")

_environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                           trim_blocks=True, lstrip_blocks=True)
_environment.filters.update(money=formatting.money, day=formatting.day, moment=formatting.moment,
                            size=formatting.size, titled=formatting.titled)
# `form_key()`: a fresh one-time key for each form drawn (form_keys.py).
_environment.globals.update(labels=labels, accepted=ACCEPTED, form_key=new_form_key)


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """The page, with the visitor, their CSRF token and any notice left for it by the last redirect."""
    visitor = visitor_of(request)
    notice = take_notice(request)
    document_notice = _DOCUMENT_NOTICE.match(notice or "")
    html = _environment.get_template(template).render(
        visitor=visitor, csrf=visitor.csrf, notice=_notice_text(notice), path=request.url.path,
        notice_for=document_notice["code"] if document_notice else None, **context)
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    if notice:
        forget_notice(response)
    keep_cookies(request, response)
    return response


def go(request: Request, url: str, notice: str | None = None) -> RedirectResponse:
    """After a form: see the next page by GET (303), with a one-time notice on it."""
    response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
    if notice:
        leave_notice(request, response, notice)
    keep_cookies(request, response)
    return response


def _notice_text(code: str | None) -> str | None:
    if code and code.startswith("staff:") and code[6:] in BY_NAME:
        return BY_NAME[code[6:]].done
    document_notice = _DOCUMENT_NOTICE.match(code or "")
    if document_notice:
        count = document_notice["count"]
        return labels.ATTACHED.format(count=count) if count else labels.REMOVED
    return labels.NOTICES.get(code or "")
