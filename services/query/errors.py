"""The query service's named refusals."""

from shared.errors import InvalidFields


class InvalidFilters(InvalidFields):
    """A combination of search filters that cannot hold (a date range that ends before it starts)."""
