"""What the slips service knows of a dossier to write its slips (its own book), and what each event tells.

The submission brings the owner, the procedure and the documents sent, and intake's answer to it the
applicant's name and address (the events carry no applicant: `applicant_facts`); the reception the
lookup code; the citizen's choice of result delivery how the result will be returned. The step's own
event (reception, supplement request, rejection, payment) brings the rest when the slip is issued.
"""

from dataclasses import dataclass, field
from typing import Any

from shared.dossier_content import DossierContentAnswer
from shared.lifecycle import DossierReceived, ResultDeliveryChosen
from shared.messages import DossierSubmitted, Payload

# The events the book learns from, besides those that issue a slip.
FACT_TYPES = ("dossier.submitted", "dossier.result_delivery_chosen")


@dataclass(frozen=True)
class SentDocumentFacts:
    code: str
    files: int


@dataclass(frozen=True)
class DossierFacts:
    owner_id: str
    procedure_code: str
    title: str
    applicant_name: str
    applicant_address: str
    documents: list[SentDocumentFacts] = field(default_factory=list)
    lookup_code: str | None = None
    result_delivery: str | None = None


def learned_from(payload: Payload) -> dict[str, Any] | None:
    """The book's fields an event sets, or None when it tells nothing the slips need."""
    if isinstance(payload, DossierSubmitted):
        return {"owner_id": payload.owner_id, "procedure_code": payload.content.procedure_code,
                "title": payload.content.title,
                "documents": [{"code": document.code, "files": len(document.files)}
                              for document in payload.documents if document.files]}
    if isinstance(payload, DossierReceived):
        return {"lookup_code": payload.lookup_code}
    if isinstance(payload, ResultDeliveryChosen):
        return {"result_delivery": payload.method}
    return None


def applicant_facts(answer: DossierContentAnswer) -> dict[str, Any]:
    """Of intake's answer, what the slips print: the applicant's name and address (nothing else of theirs)."""
    applicant = answer.content.applicant
    return {"applicant_name": applicant.full_name or "", "applicant_address": applicant.address or ""}


def facts_of(document: dict[str, Any]) -> DossierFacts | None:
    """The book's entry as facts, or None while the submission that names the dossier has not come."""
    if "procedure_code" not in document:
        return None
    return DossierFacts(
        owner_id=document["owner_id"], procedure_code=document["procedure_code"], title=document["title"],
        applicant_name=document["applicant_name"], applicant_address=document["applicant_address"],
        documents=[SentDocumentFacts(item["code"], item["files"]) for item in document.get("documents", [])],
        lookup_code=document.get("lookup_code"), result_delivery=document.get("result_delivery"))
