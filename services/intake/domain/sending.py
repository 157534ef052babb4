"""The documents when the dossier is sent (gửi hồ sơ): what must be attached, and what goes with it.

A first sending needs a file for every required document. After a supplement request (yêu cầu bổ sung),
each document it named needs a file added since the request: the files sent before stay, frozen, and the
new ones complete them. Sending freezes every file, and tells processing which documents changed.
"""

from dataclasses import dataclass, replace

from services.intake.domain.records import Dossier, DossierFile
from shared.documents import SentDocument
from shared.procedures import Procedure
from shared.statuses import Status


@dataclass(frozen=True)
class Sending:
    """The dossier's files once sent (all frozen), and the payload's `documents` and `changed_documents`."""

    files: tuple[DossierFile, ...]
    documents: list[SentDocument]
    changed_documents: list[str]


def document_problems(dossier: Dossier, procedure: Procedure) -> dict[str, str]:
    """What keeps the dossier from being sent, as `fields` (`documents.<code>`: the message)."""
    problems = {f"documents.{document.code}": f"Vui lòng đính kèm {document.name}."
                for document in procedure.documents if document.required and not dossier.files_of(document.code)}
    request = dossier.supplement
    if request is not None:
        listed = {document.code: document for document in procedure.documents}
        for code in request.documents:
            # A code the procedure does not list could never get a file: it cannot hold the dossier back.
            document = listed.get(code)
            if document and not any(attached.attached_version > request.version
                                    for attached in dossier.files_of(code)):
                problems[f"documents.{code}"] = f"Vui lòng bổ sung {document.name} theo yêu cầu."
    return problems


def sending(dossier: Dossier, procedure: Procedure) -> Sending:
    """Every file frozen; the documents with their files, in the catalog's order; the ones changed since."""
    catalog_order = [document.code for document in procedure.documents]
    # Files of a document the catalog no longer lists still went out: they come last, in attachment order.
    codes = [code for code in catalog_order if dossier.files_of(code)]
    codes += list(dict.fromkeys(attached.code for attached in dossier.files if attached.code not in catalog_order))
    documents = [SentDocument(code=code, files=[attached.file for attached in dossier.files_of(code)])
                 for code in codes]
    # A dossier under supplement request was sent before even if it was stored before `last_sent_version` was.
    sent_before = dossier.last_sent_version is not None or dossier.status is Status.SUPPLEMENT_REQUESTED
    changed = [code for code in codes if any(not attached.sent for attached in dossier.files_of(code))]
    frozen = tuple(attached if attached.sent else replace(attached, sent=True) for attached in dossier.files)
    return Sending(frozen, documents, changed if sent_before else [])
