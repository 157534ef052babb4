"""Intake's record of a dossier while the citizen holds it, with the files of its documents."""

from dataclasses import dataclass
from datetime import datetime

from shared.documents import AttachedFile
from shared.holder.command_keys import KeptAnswer
from shared.messages import DraftContent
from shared.statuses import Status


@dataclass(frozen=True)
class Owner:
    """The citizen account the dossier belongs to; `email` and `phone` are those registered with the account
    (the token's claims), never the form's."""

    id: str
    email: str | None
    phone: str | None = None


@dataclass(frozen=True)
class DossierFile:
    """One file attached to one of the dossier's component documents (tệp đính kèm của thành phần hồ sơ).

    `attached_version` is the version whose event recorded the attachment, so that after a supplement request
    one can tell the files added since. `sent`: it went out with the dossier once, so processing has seen it,
    and from then on it is frozen: it is never removed or replaced, only added to.
    """

    code: str
    file: AttachedFile
    attached_version: int
    sent: bool = False


@dataclass(frozen=True)
class SupplementRequest:
    """What the last supplement request (yêu cầu bổ sung) named: its documents' codes, and its version."""

    documents: tuple[str, ...]
    version: int


@dataclass(frozen=True)
class Dossier:
    """Intake's record of a dossier: whose it is, what they filled in and attached, its status and version.

    It is a `HeldRecord` of the holders' write path (`shared.holder.write`). `files` are in the order they
    were attached; `last_sent_version` is the version at which the dossier was last submitted (None until
    then). `deleted` marks a draft the citizen deleted: stored as a tombstone until its event is published.
    `command_answers` only grow, by the write that stores each change; the record never sets them.
    """

    id: str
    owner: Owner
    status: Status
    version: int
    content: DraftContent
    created_at: datetime
    updated_at: datetime
    files: tuple[DossierFile, ...] = ()
    supplement: SupplementRequest | None = None
    last_sent_version: int | None = None
    deleted: bool = False
    # Recent commands sent under a key (the citizen's retries), with their answers: answered again, not applied.
    command_answers: tuple[KeptAnswer, ...] = ()

    @property
    def owner_id(self) -> str:
        return self.owner.id

    @property
    def revision(self) -> int:
        # Every write intake stores moves the version on (a take-back to the event's), so the version alone
        # is what the next write is conditional on.
        return self.version

    @property
    def applied_commands(self) -> tuple[str, ...]:
        # Intake takes no staff commands: it has none to remember against a redelivery.
        return ()

    @property
    def total_bytes(self) -> int:
        return sum(attached.file.size for attached in self.files)

    def files_of(self, code: str) -> tuple[DossierFile, ...]:
        return tuple(attached for attached in self.files if attached.code == code)
