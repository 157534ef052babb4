"""Attaching a dossier's required documents (thành phần hồ sơ) through the public API, as a portal does,
so that a test can send it."""

from typing import Any

import httpx

from services.sample_files import sample_pdf
from shared.procedures import load_catalog


def required_documents(client: httpx.Client, procedure_code: str) -> list[dict[str, Any]]:
    procedures = client.get("/v1/procedures")
    assert procedures.status_code == 200, procedures.text
    procedure = next(p for p in procedures.json() if p["code"] == procedure_code)
    return [document for document in procedure["documents"] if document["required"]]


def attach(client: httpx.Client, dossier_id: str, code: str, content: bytes | None = None,
           filename: str = "tai-lieu.pdf", content_type: str = "application/pdf") -> dict[str, Any]:
    """Attach one file (a small PDF unless given) to one document; the stored file's metadata."""
    answer = client.post(f"/v1/dossiers/{dossier_id}/documents/{code}",
                         files={"file": (filename, content if content is not None else sample_pdf(code),
                                         content_type)})
    assert answer.status_code == 201, answer.text
    attached: dict[str, Any] = answer.json()
    return attached


def attach_required(client: httpx.Client, dossier_id: str, procedure_code: str) -> list[dict[str, Any]]:
    """A file for each of the procedure's required documents."""
    return [attach(client, dossier_id, document["code"], filename=f"{document['code']}.pdf")
            for document in required_documents(client, procedure_code)]


async def attach_required_to_intake(intake: httpx.AsyncClient, dossier_id: str, procedure_code: str,
                                    owner_id: str) -> None:
    """The same, through intake's internal API (the gateway's door to it), for tests without a gateway."""
    for document in load_catalog().get(procedure_code).documents:
        if document.required:
            answer = await intake.post(f"/dossiers/{dossier_id}/documents/{document.code}", content=sample_pdf(),
                                       params={"owner_id": owner_id, "filename": f"{document.code}.pdf"})
            assert answer.status_code == 201, answer.text
