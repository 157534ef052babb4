"""The reads said in MongoDB's query language (the same in the in-memory store): who sees what, the search.

An owner id means the citizen's own view; None means the staff view (the Reception and Result Return
Unit), which sees every owner's dossiers except the drafts: a draft is not yet sent to the Department.
"""

import re
from datetime import date, timedelta, tzinfo
from typing import Any

from services.query.domain.dates import start_of_day
from services.query.domain.filters import DossierFilters
from services.query.domain.overdue import CLOCK_RUNS
from services.query.domain.search import lookup_key, search_tokens
from shared.statuses import Status

# Never shown to staff; a document without a status never had its first event read.
_HIDDEN_FROM_STAFF = [None, Status.DRAFT.value]
# The lookup-key index's partial filter, repeated in its queries so that MongoDB sees they can use it.
HAS_LOOKUP_KEY = {"$type": "string"}


def visible_dossiers(owner_id: str | None) -> dict[str, Any]:
    """The dossiers a reader may see that still exist (a deleted draft is a tombstone, never shown)."""
    if owner_id is None:
        return {"deleted": False, "status": {"$nin": _HIDDEN_FROM_STAFF}}
    return {"owner_id": owner_id, "deleted": False}


def one_dossier(dossier_id: str, owner_id: str | None) -> dict[str, Any]:
    query = {"_id": dossier_id, **visible_dossiers(owner_id)}
    # A document without a status never had its first event read: nothing to show yet.
    query.setdefault("status", {"$ne": None})
    return query


def by_lookup_code(code: str) -> dict[str, Any]:
    """The dossier with exactly this lookup code, in any case (tra cứu bằng mã hồ sơ)."""
    return {"lookup_key": {"$eq": lookup_key(code), **HAS_LOOKUP_KEY}, "deleted": False}


def dossier_search(owner_id: str | None, filters: DossierFilters, zone: tzinfo, today: date,
                   due_soon_until: date | None = None) -> dict[str, Any]:
    """`today` (in Vietnam) is the day the overdue filter counts from, the same day the list items are read on;
    `due_soon_until` the last due date that is due soon on it (domain/countdown.py's `due_soon_until`)."""
    query = visible_dossiers(owner_id)
    # Every condition under "$and": the staff view's own condition on the status stays beside the filter's.
    conditions: list[dict[str, Any]] = []
    if filters.status:
        conditions.append({"status": Status(filters.status).value})
    if filters.overdue:
        # domain/overdue.py's rule said to the store: a due date (an ISO day) before today, while the clock runs.
        conditions.append({"status": {"$in": sorted(status.value for status in CLOCK_RUNS)},
                           "clock_paused": {"$ne": True},
                           "due_date": {"$type": "string", "$lt": today.isoformat()}})
    if filters.due_soon:
        # domain/countdown.py's "sắp đến hạn": due today or within the working days the setting gives.
        conditions.append({"status": {"$in": sorted(status.value for status in CLOCK_RUNS)},
                           "clock_paused": {"$ne": True},
                           "due_date": {"$type": "string", "$gte": today.isoformat(),
                                        "$lte": (due_soon_until or today).isoformat()}})
    if filters.procedure_code:
        query["procedure_code"] = filters.procedure_code
    # Each word must appear somewhere in the folded code, title, procedure and applicant name.
    conditions += [{"search_text": {"$regex": re.escape(token)}} for token in search_tokens(filters.q or "")]
    if filters.code and filters.code.strip():
        code = filters.code.strip()
        # A prefix of the case-free lookup key: an anchored, case-sensitive pattern can use its index.
        prefix = {"$regex": "^" + re.escape(lookup_key(code)), **HAS_LOOKUP_KEY}
        conditions.append({"$or": [{"_id": code}, {"lookup_key": prefix}]})
    filed: dict[str, Any] = {}
    if filters.date_from:
        filed["$gte"] = start_of_day(filters.date_from, zone)
    if filters.date_to:
        filed["$lt"] = start_of_day(filters.date_to + timedelta(days=1), zone)
    if filed:
        query["filed_at"] = filed
    if conditions:
        query["$and"] = conditions
    return query
