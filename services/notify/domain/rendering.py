"""Writing a message from its template (Vietnamese, HTML and plain text) and its facts.

Templates are files under `templates/`: `{name}.txt` and `{name}.html`, both extending a layout that
carries the portal's name and the footer. HTML is autoescaped (a title or a reason is typed by people);
the text part and the subject are not HTML and are not escaped. A missing fact is an error, not a blank.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from services.notify.domain.attachments import LINKED_SLIPS, SLIP_PAGE
from services.notify.domain.mail import TemplateBroken

TEMPLATES_DIR = Path(__file__).parent.parent / "templates"
PORTAL_NAME = "Cổng Dịch vụ công Sở Y tế"

# One line each. `dossier_ref` is the lookup code, or the quoted title before reception.
SUBJECTS = {
    "received": "Hồ sơ {{ lookup_code }} đã được tiếp nhận",
    "supplement_requested": "Yêu cầu bổ sung hồ sơ {{ dossier_ref }}",
    "rejected": "Hồ sơ {{ dossier_ref }} không được tiếp nhận",
    "payment_requested": "Yêu cầu thanh toán phí, lệ phí hồ sơ {{ dossier_ref }}",
    "paid": "Xác nhận đã thanh toán hồ sơ {{ dossier_ref }}",
    "result_ready": "Hồ sơ {{ dossier_ref }} đã có kết quả",
    "result_returned": "Hồ sơ {{ dossier_ref }} đã trả kết quả",
    "rescheduled": "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ dossier_ref }}",
    "due_soon": "Hồ sơ {{ dossier_ref }} sắp đến hạn trả kết quả",
    "overdue": "Hồ sơ {{ dossier_ref }} đã quá hạn trả kết quả",
    "deadline_staff": "[{{ 'Quá hạn' if kind == 'overdue' else 'Sắp đến hạn' }}] Hồ sơ {{ dossier_ref }}",
}

RESULT_DELIVERY_LABELS = {
    "online": "trực tuyến trên Cổng Dịch vụ công",
    "at_office": "trực tiếp tại Bộ phận tiếp nhận và trả kết quả của Sở Y tế",
    "postal": "qua dịch vụ bưu chính",
}
PAYMENT_METHOD_LABELS = {
    "online": "thanh toán trực tuyến",
    "at_office": "nộp trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
    "postal": "nộp qua dịch vụ bưu chính",
}
FEE_KIND_LABELS = {"phi": "Phí", "le_phi": "Lệ phí"}


def vn_date(value: str | date | datetime | None) -> str:
    """`2026-03-24` → `24/03/2026`, as dates are written in Vietnam."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def vnd(amount: int) -> str:
    """`360000` → `360.000 đồng`."""
    return f"{amount:,}".replace(",", ".") + " đồng"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class Renderer:
    def __init__(self, portal_url: str, lookup_path: str, templates_dir: Path = TEMPLATES_DIR) -> None:
        self._portal_url = portal_url.rstrip("/")
        self._lookup_path = lookup_path
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            # The templates ship with the service: each is compiled once, not looked at on disk at every render.
            auto_reload=False,
        )
        self._subjects: dict[str, jinja2.Template] = {}
        self._env.filters.update(vn_date=vn_date, vnd=vnd)
        self._env.globals.update(
            portal_name=PORTAL_NAME, portal_url=self._portal_url, result_delivery_labels=RESULT_DELIVERY_LABELS,
            payment_method_labels=PAYMENT_METHOD_LABELS, fee_kind_labels=FEE_KIND_LABELS)

    def _subject(self, template: str) -> jinja2.Template:
        """The subject line's template, compiled once (jinja2 compiles a string anew at each from_string)."""
        if template not in self._subjects:
            self._subjects[template] = self._env.from_string(SUBJECTS[template])
        return self._subjects[template]

    @property
    def portal_url(self) -> str:
        return self._portal_url

    def lookup_url(self, lookup_code: str) -> str:
        return self._portal_url + self._lookup_path.format(lookup_code=quote(lookup_code, safe=""))

    def slip_url(self, template: str, dossier_id: str | None) -> str | None:
        """Where the citizen downloads the slip of the message's step, when it links to one."""
        kind = LINKED_SLIPS.get(template)
        if kind is None or not dossier_id:
            return None
        return self._portal_url + SLIP_PAGE.format(dossier_id=quote(dossier_id, safe=""), kind=kind)

    def render(self, template: str, facts: Mapping[str, Any]) -> RenderedMail:
        code, title = facts.get("lookup_code"), facts.get("title")
        context = {**facts, "lookup_url": self.lookup_url(code) if code else None,
                   "dossier_ref": code or (f"“{title}”" if title else "của Ông/Bà"),
                   "slip_url": self.slip_url(template, facts.get("dossier_id"))}
        try:
            subject = self._subject(template).render(context)
            text = self._env.get_template(f"{template}.txt").render(context)
            html = self._env.get_template(f"{template}.html").render(context)
        except (jinja2.TemplateError, KeyError) as error:
            raise TemplateBroken(f"{template}: {type(error).__name__}") from error
        # A header is one line: a title typed with line breaks must not add headers.
        return RenderedMail(" ".join(subject.split()), text, html)
