"""Component documents (thành phần hồ sơ) as the events carry them: metadata only, never the bytes.

A procedure's catalog entry lists the documents a dossier needs (an application form, certified copies of
diplomas, …). The citizen attaches files to each while intake holds the dossier; the bytes stay in intake's
blob store and every event, record and read model carries only what is here. The payloads that carry
these (`dossier.document_attached`, `dossier.document_removed`, `dossier.submitted`) are in messages.py.
"""

from datetime import datetime

from pydantic import BaseModel, Field

# A document's code in the catalog: a short lowercase slug, unique within its procedure.
DOCUMENT_CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DocumentCode = str


class AttachedFile(BaseModel):
    """One file attached to a document (tệp đính kèm): what it is, by its content, and when it came."""

    id: str
    filename: str = Field(description="as the citizen named it, cleaned; for display only")
    content_type: str = Field(description="judged from the content: application/pdf, image/jpeg, image/png")
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    uploaded_at: datetime


class SentDocument(BaseModel):
    """A document as the dossier was sent: its code and every file attached to it, oldest first."""

    code: str = Field(pattern=DOCUMENT_CODE_PATTERN, max_length=64)
    files: list[AttachedFile] = Field(default_factory=list)
