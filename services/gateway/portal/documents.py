"""A dossier's component documents (thành phần hồ sơ) as the portal's pages show them.

The detail answers each document of the procedure with its files; the catalog adds what the detail leaves
out (the note, the blank form to download). The read model does not say which files went out with the
dossier, and only those that did not may be removed (intake freezes a file once it is sent): a file is
taken as sent when it was attached before the dossier's last sending, both instants being intake's. Should
that ever guess wrong, the API still refuses the removal and the page says why.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# The API's own patterns for a document's code and a file's id: anything else is no page of the portal.
DOCUMENT_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FILE_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
# What the file pickers offer: the formats intake accepts, by extension and by type (a phone's picker
# goes by type, a desktop's by extension).
ACCEPTED = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


@dataclass(frozen=True)
class ShownFile:
    id: str
    filename: str
    content_type: str
    size: int
    uploaded_at: str
    sent: bool  # went out with the dossier: frozen, no longer removable
    supplemented: bool = False  # came with the last sending, not with an earlier one (a supplement's file)


@dataclass(frozen=True)
class DocumentRow:
    """One document of the procedure on a page: what it is, whether it must be there, and its files."""

    code: str
    name: str
    required: bool
    requested: bool  # named by the supplement request the dossier is under now
    note: str | None
    template_url: str | None
    files: tuple[ShownFile, ...] = ()

    @property
    def field(self) -> str:
        """The name the API's refusals give it: `documents.<code>`."""
        return f"documents.{self.code}"

    @property
    def anchor(self) -> str:
        """The row's id, the one the error summary links to (the macros' `field_id` of `field`)."""
        return f"f-documents-{self.code}"


def document_rows(procedure: dict[str, Any] | None, dossier: dict[str, Any] | None = None) -> list[DocumentRow]:
    """The rows of a dossier's documents (in the detail's order, the catalog's), or of a new dossier's."""
    listed = {entry["code"]: entry for entry in (procedure or {}).get("documents", [])}
    entries = (dossier or {}).get("documents") or list(listed.values())
    sendings = _sendings(dossier) if dossier else []
    last = sendings[-1] if sendings else None
    before = sendings[-2] if len(sendings) > 1 else None
    rows = []
    for entry in entries:
        catalog = listed.get(entry["code"], {})
        files = []
        for file in entry.get("files", []):
            uploaded = _instant(file["uploaded_at"])
            sent = last is not None and uploaded <= last
            files.append(ShownFile(id=file["id"], filename=file["filename"], content_type=file["content_type"],
                                   size=file["size"], uploaded_at=file["uploaded_at"], sent=sent,
                                   supplemented=sent and before is not None and uploaded > before))
        rows.append(DocumentRow(code=entry["code"], name=entry.get("name") or catalog.get("name") or entry["code"],
                                required=bool(entry.get("required", catalog.get("required", False))),
                                requested=bool(entry.get("requested", False)), note=catalog.get("note"),
                                template_url=catalog.get("template_url"), files=tuple(files)))
    return rows


def last_sent_at(dossier: dict[str, Any]) -> datetime | None:
    """When the dossier was last sent (gửi, or gửi bổ sung); None if it never was."""
    sendings = _sendings(dossier)
    return sendings[-1] if sendings else None


def _sendings(dossier: dict[str, Any]) -> list[datetime]:
    """Each time the dossier was sent, oldest first: the history's entries into `submitted`."""
    return sorted(_instant(entry["at"]) for entry in dossier.get("history", []) if entry.get("to") == "submitted")


def requested_first(rows: list[DocumentRow]) -> tuple[list[DocumentRow], list[DocumentRow]]:
    """The documents the supplement request names, and the others, each in catalog order."""
    return [row for row in rows if row.requested], [row for row in rows if not row.requested]


def required_progress(rows: list[DocumentRow]) -> tuple[int, int]:
    """How many of the required documents have a file, of how many there are."""
    required = [row for row in rows if row.required]
    return sum(1 for row in required if row.files), len(required)


def document_names(rows: list[DocumentRow]) -> dict[str, str]:
    """Each document's name by its code: for the history, which names documents by code."""
    return {row.code: row.name for row in rows}


def _instant(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
