"""The advanced search (tìm kiếm nâng cao) of the management screen, as typed and as the API takes it.

The search fits the status: a draft has no dossier code yet (it gets one on reception), and a draft's
day is the day it was created, a sent dossier's the day it was sent.
"""

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from services.gateway.portal.formatting import iso_day
from services.gateway.portal.problems import Problem

# The query string's names: Vietnamese, as people see them in the address bar.
NAMES = {"status": "trang-thai", "keyword": "tu-khoa", "procedure": "thu-tuc", "code": "ma-ho-so",
         "date_from": "tu-ngay", "date_to": "den-ngay", "page": "trang", "cursor": "vi-tri"}
PAGE_SIZE = 10


@dataclass(frozen=True)
class Search:
    status: str | None = None
    keyword: str = ""
    procedure: str = ""
    code: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1
    # Where the page starts (the API's next_cursor or prev_cursor): the page numbered `page` without one.
    cursor: str = ""

    @classmethod
    def of(cls, query: Any, statuses: set[str]) -> "Search":
        """From the query string; an unknown status is the "all" tab, a bad page number the first page."""
        def text(name: str) -> str:
            return str(query.get(NAMES[name], "")).strip()[:200]

        page = text("page")
        status = text("status")
        return cls(status=status if status in statuses else None, keyword=text("keyword"),
                   procedure=text("procedure"), code=text("code"), date_from=text("date_from"),
                   date_to=text("date_to"), page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
                   cursor=str(query.get(NAMES["cursor"], "")).strip()[:500])

    @property
    def has_code(self) -> bool:
        """Whether the dossier code is a filter here: not for drafts, which have none yet."""
        return self.status != "draft"

    @property
    def day_label(self) -> str:
        return "Ngày tạo" if self.status == "draft" else "Ngày nộp"

    @property
    def filtered(self) -> bool:
        return any((self.keyword, self.procedure, self.code, self.date_from, self.date_to))

    def api_params(self) -> tuple[dict[str, Any], Problem | None]:
        """The API's filters, or the problem with the days typed."""
        wrong = {}
        days = {}
        for name, api_name in (("date_from", "from"), ("date_to", "to")):
            typed = getattr(self, name)
            days[api_name] = iso_day(typed) if typed else None
            if typed and days[api_name] is None:
                wrong[api_name] = "Ngày không hợp lệ; vui lòng nhập theo dạng ngày/tháng/năm."
        if wrong:
            labels = {"from": f"{self.day_label} từ", "to": f"{self.day_label} đến"}
            return {}, Problem("Vui lòng kiểm tra lại điều kiện tìm kiếm.", wrong, labels)
        return {"status": self.status, "q": self.keyword, "procedure_code": self.procedure,
                "code": self.code if self.has_code else None, **days,
                "page": self.page, "page_size": PAGE_SIZE, "cursor": self.cursor or None}, None

    def paged(self, page: int, cursor: str) -> str:
        """Another page of the same search: by its cursor, so that the list changing meanwhile shifts nothing."""
        return self.link(page=page, cursor=cursor)

    def cleared(self) -> str:
        """The same tab without any search condition."""
        return Search(status=self.status).link()

    def link(self, **changes: Any) -> str:
        """The address of this search with some of it changed (another page, another tab)."""
        changed = replace(self, **changes)
        pairs = [(NAMES[name], value) for name, value in vars(changed).items()
                 if value and not (name == "page" and value == 1)]
        return "/?" + urlencode(pairs) if pairs else "/"
