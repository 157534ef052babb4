"""The status and procedure catalogs and the Department's office, read once from the API (/v1/statuses,
/v1/procedures, /v1/office) and kept.

All are fixed for the life of a process (the procedure file is read once at start), so the portal asks
the first time a page needs them.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from services.gateway.portal.adapters.public_api import PortalApi, portal_api


@dataclass(frozen=True)
class Catalogs:
    statuses: list[dict[str, Any]]
    procedures: list[dict[str, Any]]
    office: dict[str, Any]

    def status_label(self, code: str | None) -> str:
        return next((entry["label"] for entry in self.statuses if entry["code"] == code), code or "")

    def procedure(self, code: str | None) -> dict[str, Any] | None:
        return next((entry for entry in self.procedures if entry["code"] == code), None)

    def procedures_by_field(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The procedures grouped by their field (lĩnh vực), in catalog order."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for procedure in self.procedures:
            groups.setdefault(procedure["field"], []).append(procedure)
        return list(groups.items())

    def field_labels(self, procedure_code: str | None) -> dict[str, str]:
        """The procedure's form fields by name: their labels, for showing content and naming errors."""
        procedure = self.procedure(procedure_code)
        return {field["name"]: field["label"] for field in (procedure or {}).get("form_fields", [])}


async def load_catalogs(request: Request, api: Annotated[PortalApi, Depends(portal_api)]) -> Catalogs:
    kept: Catalogs | None = getattr(request.app.state, "portal_catalogs", None)
    if kept is None:
        kept = Catalogs(statuses=await api.get("/v1/statuses"), procedures=await api.get("/v1/procedures"),
                        office=await api.get("/v1/office"))
        request.app.state.portal_catalogs = kept
    return kept
