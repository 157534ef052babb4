"""The advanced search said in MongoDB's query language (the same in the in-memory store)."""

import re
from datetime import timedelta, tzinfo
from typing import Any

from services.query.dates import start_of_day
from services.query.filters import DossierFilters
from services.query.search import search_tokens
from shared.statuses import Status


def owner_dossiers(owner_id: str) -> dict[str, Any]:
    """One owner's dossiers that still exist (a deleted draft is a tombstone, never shown)."""
    return {"owner_id": owner_id, "deleted": False}


def dossier_search(owner_id: str, filters: DossierFilters, zone: tzinfo) -> dict[str, Any]:
    query = owner_dossiers(owner_id)
    conditions: list[dict[str, Any]] = []
    if filters.status:
        query["status"] = Status(filters.status).value
    if filters.procedure_code:
        query["procedure_code"] = filters.procedure_code
    # Each word must appear somewhere in the folded code, title, procedure and applicant name.
    conditions += [{"search_text": {"$regex": re.escape(token)}} for token in search_tokens(filters.q or "")]
    if filters.code and filters.code.strip():
        code = filters.code.strip()
        conditions.append({"$or": [
            {"_id": code},
            {"lookup_code": {"$regex": "^" + re.escape(code), "$options": "i"}},
        ]})
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
