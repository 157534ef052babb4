"""The query service's named refusals."""

from shared.errors import InvalidFields


class InvalidFilters(InvalidFields):
    """A combination of search filters that cannot hold (a date range that ends before it starts)."""


class InvalidCursor(InvalidFields):
    """A `cursor` this service did not give (altered, cut short, or from another list's version)."""

    def __init__(self) -> None:
        super().__init__({"cursor": "Vị trí trang không hợp lệ; vui lòng tải lại danh sách từ trang đầu."})
