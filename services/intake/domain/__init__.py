"""The dossier while the citizen holds it (hồ sơ chưa gửi / yêu cầu bổ sung): pure records and decisions.

- `records`: the dossier, its owner, the files of its documents, the last supplement request;
- `dossiers`: drafting, editing, deleting, sending it, and taking it back from processing;
- `documents`: attaching files to its component documents (thành phần hồ sơ) and removing them;
- `sending`: what sending needs of the documents, and what it carries of them;
"""

from services.intake.domain.documents import (
    DocumentLimits,
    attach,
    check_can_attach,
    document_name,
    find_file,
    judge_content,
    remove,
    too_large,
    upload_room,
)
from services.intake.domain.dossiers import check_content, create_draft, delete, edit, submit, take_back
from services.intake.domain.records import Dossier, DossierFile, Owner, SupplementRequest
from shared.filenames import clean_filename

__all__ = [
    "DocumentLimits", "Dossier", "DossierFile", "Owner", "SupplementRequest", "attach", "check_can_attach",
    "check_content", "clean_filename", "create_draft", "delete", "document_name", "edit", "find_file",
    "judge_content", "remove", "submit", "take_back", "too_large", "upload_room",
]
