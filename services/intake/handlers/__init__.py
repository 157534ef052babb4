"""Intake's use cases: one function per citizen command or query, each storing the change with its event.

- `dossiers`: start, edit, delete and send a dossier;
- `documents`: attach files to its component documents, remove them, read them back;
- `writing`: the write path they share (`shared.holder.write`, among the owner's dossiers only).
"""

from services.intake.handlers.documents import (
    FileAttached,
    FileDownload,
    attach_file,
    download_own_file,
    download_sent_file,
    remove_file,
)
from services.intake.handlers.dossiers import create_draft, delete_draft, edit_dossier, submit_dossier

__all__ = [
    "FileAttached", "FileDownload", "attach_file", "create_draft", "delete_draft", "download_own_file",
    "download_sent_file", "edit_dossier", "remove_file", "submit_dossier",
]
