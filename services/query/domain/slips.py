"""The slips issued for a dossier (giấy tờ một cửa), as its detail lists them with where to download each.

The slips service announces each with `slip.issued`: not a change of the dossier, no version, so they are
kept beside the dossiers, one entry per slip (adapters/slip_log.py). Pure: the entry an announcement
makes, and how the detail shows the entries.
"""

from typing import Any
from urllib.parse import quote

from shared.messages import Envelope
from shared.slips import SlipIssued


def slip_entry(event: Envelope) -> dict[str, Any]:
    issued = SlipIssued.model_validate(event.data)
    return {"_id": issued.slip_id, "dossier_id": event.dossier_id, "kind": issued.kind, "title": issued.title,
            "number": issued.number, "issued_at": issued.issued_at}


def slip_views(dossier_id: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first; the newest of each kind at its plain address, an earlier one (a reissue's
    predecessor, a second supplement request's first) at the same address with its slip id."""
    ordered = sorted(entries, key=lambda entry: (entry["issued_at"], entry["_id"]))
    newest = {entry["kind"]: entry["_id"] for entry in ordered}
    views = []
    for entry in ordered:
        url = f"/v1/dossiers/{quote(dossier_id, safe='')}/slips/{entry['kind']}"
        if newest[entry["kind"]] != entry["_id"]:
            url += f"?slip_id={quote(entry['_id'], safe='')}"
        views.append({"kind": entry["kind"], "title": entry["title"], "number": entry["number"],
                      "issued_at": entry["issued_at"], "url": url})
    return views
