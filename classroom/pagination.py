"""The API's pages: limit and offset as DRF's LimitOffsetPagination has them, read as
ASCII digits and capped. `?limit=99999999999999999999` is a page of MAX_LIMIT rows (it
was a number too large for SQLite, a 500); an offset past the end is an empty page.

Configured for every view in settings.REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"].
"""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

from .inputs import MAX_ID

# Ten of the default pages (PAGE_SIZE is 100): a whole school's pupils in one request.
MAX_LIMIT = 1000


def _bounded(raw, cap: int) -> int | None:
    """ASCII digits as a number no larger than `cap`; None for anything else."""
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()):
        return None
    if len(raw) > len(str(cap)):  # int() of thousands of digits is slow, and refused
        return cap
    return min(int(raw), cap)


class CappedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        limit = _bounded(request.query_params.get(self.limit_query_param), self.max_limit)
        return limit or self.default_limit

    def get_offset(self, request):
        return _bounded(request.query_params.get(self.offset_query_param), MAX_ID) or 0
