"""The files of a dossier's component documents (thành phần hồ sơ): what may be attached, removed and read.

The catalog lists each procedure's documents; the citizen attaches files (tệp đính kèm) to them while intake
holds the dossier. An upload is checked twice: before its bytes are taken (`check_can_attach`, so that a
refused upload costs nothing), and when it is recorded (`attach`, on the dossier as stored then, which
another upload may have filled meanwhile). What the bytes are is judged from the bytes (`judge_content`).
"""

from dataclasses import dataclass, replace
from datetime import datetime

from services.intake.domain.records import Dossier, DossierFile
from services.intake.errors import (
    DocumentFileFrozen,
    DocumentFileNotFound,
    DossierTooLarge,
    EmptyFile,
    FileIncomplete,
    FileTooLarge,
    TooManyFiles,
    UnknownDocument,
    UnsupportedFileType,
)
from shared.blobs.content_types import BY_CONTENT_TYPE, ContentInspector, FileFormat, IncompleteFile, UnknownFormat
from shared.documents import AttachedFile
from shared.errors import DomainError, NotEditable
from shared.messages import DocumentAttached, DocumentRemoved
from shared.procedures import ProcedureCatalog, ProcedureDocument
from shared.statuses import EDITABLE


@dataclass(frozen=True)
class DocumentLimits:
    """How much a dossier may carry (IntakeSettings), and which formats its files may be."""

    max_file_bytes: int
    max_dossier_bytes: int
    max_files: int
    accepted_content_types: tuple[str, ...]

    @property
    def accepted_labels(self) -> list[str]:
        return [BY_CONTENT_TYPE[content_type].label for content_type in self.accepted_content_types]


def listed_document(dossier: Dossier, code: str, catalog: ProcedureCatalog) -> ProcedureDocument | None:
    """The document of the dossier's procedure with this code, None if the procedure lists none such."""
    procedure = catalog.get(dossier.content.procedure_code)
    return next((document for document in procedure.documents if document.code == code), None)


def document_name(dossier: Dossier, code: str, catalog: ProcedureCatalog) -> str:
    """How messages name a document: by its catalog name, or its code once the catalog no longer lists it."""
    document = listed_document(dossier, code, catalog)
    return document.name if document else code


def check_can_attach(
    dossier: Dossier, code: str, catalog: ProcedureCatalog, limits: DocumentLimits,
) -> ProcedureDocument:
    """Whether the dossier may take one more file for this document: its status, the code, the caps."""
    document = listed_document(dossier, code, catalog)
    _ensure_editable(dossier, document.name if document else code)
    if document is None:
        raise UnknownDocument(code)
    if len(dossier.files) >= limits.max_files:
        raise TooManyFiles(document.name, limits.max_files)
    if dossier.total_bytes >= limits.max_dossier_bytes:
        raise DossierTooLarge(document.name, limits.max_dossier_bytes)
    return document


def upload_room(dossier: Dossier, limits: DocumentLimits) -> int:
    """How many bytes the next file may have: the file limit, or less if the dossier is nearly full."""
    return min(limits.max_file_bytes, limits.max_dossier_bytes - dossier.total_bytes)


def too_large(document: ProcedureDocument, room: int, limits: DocumentLimits) -> DomainError:
    """The refusal for an upload that went past `room`: the dossier's limit when that was the tighter one."""
    if room < limits.max_file_bytes:
        return DossierTooLarge(document.name, limits.max_dossier_bytes)
    return FileTooLarge(document.name, limits.max_file_bytes)


def judge_content(
    document: ProcedureDocument, size: int, inspector: ContentInspector, limits: DocumentLimits,
) -> FileFormat:
    """The format of the bytes the inspector watched; refused when empty, unknown or cut off."""
    if size == 0:
        raise EmptyFile(document.name)
    try:
        return inspector.verdict()
    except UnknownFormat:
        raise UnsupportedFileType(document.name, limits.accepted_labels) from None
    except IncompleteFile as incomplete:
        raise FileIncomplete(document.name, incomplete.file_format.label) from None


def attach(
    dossier: Dossier, code: str, file: AttachedFile, catalog: ProcedureCatalog, limits: DocumentLimits,
    now: datetime,
) -> tuple[Dossier, DocumentAttached]:
    """Record the file (its bytes are stored already) on the dossier as it is now, within the caps."""
    document = check_can_attach(dossier, code, catalog, limits)
    if dossier.total_bytes + file.size > limits.max_dossier_bytes:
        raise DossierTooLarge(document.name, limits.max_dossier_bytes)
    version = dossier.version + 1
    attached = DossierFile(code=code, file=file, attached_version=version)
    changed = replace(dossier, files=(*dossier.files, attached), version=version, updated_at=now)
    return changed, DocumentAttached(code=code, file=file)


def remove(
    dossier: Dossier, code: str, file_id: str, catalog: ProcedureCatalog, now: datetime,
) -> tuple[Dossier, DocumentRemoved]:
    """Take off a file not yet sent; a file that was sent stays, frozen."""
    name = document_name(dossier, code, catalog)
    _ensure_editable(dossier, name)
    found = find_file(dossier, code, file_id, catalog)
    if found.sent:
        raise DocumentFileFrozen(name, found.file.filename)
    kept = tuple(attached for attached in dossier.files if attached is not found)
    changed = replace(dossier, files=kept, version=dossier.version + 1, updated_at=now)
    return changed, DocumentRemoved(code=code, file_id=file_id)


def find_file(
    dossier: Dossier, code: str, file_id: str, catalog: ProcedureCatalog, *, sent_only: bool = False,
) -> DossierFile:
    """The file `file_id` of document `code`; with `sent_only` (staff), only one that went out with the dossier.

    Staff see a dossier as it was sent: a draft's files, and files added since the last sending, are not
    theirs to read yet, and are not found rather than forbidden, as a draft is.
    """
    for attached in dossier.files_of(code):
        if attached.file.id == file_id and (attached.sent or not sent_only):
            return attached
    raise DocumentFileNotFound(document_name(dossier, code, catalog))


def _ensure_editable(dossier: Dossier, document: str) -> None:
    if dossier.status not in EDITABLE:
        raise NotEditable(f"Không thể thay đổi tệp đính kèm của “{document}”: hồ sơ không ở trạng thái cho phép "
                          "chỉnh sửa.", status=dossier.status)
