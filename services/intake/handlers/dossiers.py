"""The citizen's commands on the dossier itself: start it, edit it, delete it, send it.

Each takes the `command_key` the gateway passed on (shared/holder/command_keys.py), if any: the same
command sent again under it answers its first outcome and changes nothing.
"""

from dataclasses import asdict
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from services.intake import domain
from services.intake.dependencies import PRODUCER, Intake
from services.intake.domain import Dossier, Owner
from services.intake.handlers.writing import citizen, forget_blobs, write_for_owner
from shared.errors import DossierNotFound
from shared.holder.command_keys import KeptAnswer
from shared.holder.errors import VersionConflict
from shared.holder.write import Change, CommandResult, event_of
from shared.logging import get_logger
from shared.messages import DraftContent

log = get_logger(__name__)

# Drafts created under a key get an id derived from it: a second creation under it meets the first dossier.
KEYED_DRAFTS = uuid5(NAMESPACE_URL, "urn:hoso:intake:draft")


async def create_draft(intake: Intake, owner: Owner, content: DraftContent,
                       command_key: str | None = None) -> CommandResult:
    """Start a dossier (lưu nháp): version 1, a draft; under a key, one dossier however often it is sent."""
    dossier_id = intake.new_id() if command_key is None else str(uuid5(KEYED_DRAFTS, f"{owner.id}\n{command_key}"))
    dossier, payload = domain.create_draft(dossier_id, owner, content, intake.catalog, intake.clock())
    created = CommandResult.of(dossier)
    answered = None if command_key is None else KeptAnswer(command_key, asdict(created))
    try:
        # A new id (or one only this key leads to): nothing else writes it, so there is nothing to decide again.
        await intake.repository.add(dossier, [event_of(payload, dossier, PRODUCER, citizen(owner))], answered)
    except VersionConflict:
        if (first := await _answered_before(intake, owner, dossier_id, command_key)) is None:
            raise
        return first
    intake.published()
    return created


async def edit_dossier(
    intake: Intake, owner: Owner, dossier_id: str, changes: dict[str, Any], expected_version: int,
    command_key: str | None = None,
) -> CommandResult:
    """Change a draft or a dossier under supplement request, on the version the citizen saw."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        edited, payload = domain.edit(dossier, changes, expected_version, intake.catalog, intake.clock())
        return Change(edited, [payload])

    return (await write_for_owner(intake, owner, dossier_id, decide, command_key)).result()


async def delete_draft(
    intake: Intake, owner: Owner, dossier_id: str, expected_version: int | None, command_key: str | None = None,
) -> CommandResult:
    """Delete a draft (xoá hồ sơ chưa gửi), and then the bytes of its files."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        deleted, payload = domain.delete(dossier, expected_version)
        return Change(deleted, [payload])

    try:
        written = await write_for_owner(intake, owner, dossier_id, decide, command_key, outcome=_deleted)
    except DossierNotFound:
        # Deleted already, maybe by this very command: its tombstone (kept until its event is out) has the answer.
        if (first := await _answered_before(intake, owner, dossier_id, command_key)) is None:
            raise
        return first
    if written.changed:
        # Only once the tombstone is stored: until then the draft, and so its files, may still be kept.
        await forget_blobs(intake, dossier_id, [attached.file.id for attached in written.record.files])
    return CommandResult(**(written.answer or _deleted(written.record)))


def _deleted(dossier: Dossier) -> dict[str, Any]:
    return {"id": dossier.id, "status": "deleted", "version": dossier.version}


async def submit_dossier(intake: Intake, owner: Owner, dossier_id: str,
                         command_key: str | None = None) -> CommandResult:
    """Send the dossier (gửi hồ sơ) as it is stored now, its files frozen; processing holds it from here on."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        submitted, payload = domain.submit(dossier, intake.catalog, intake.clock())
        return Change(submitted, [payload])

    return (await write_for_owner(intake, owner, dossier_id, decide, command_key)).result()


async def _answered_before(intake: Intake, owner: Owner, dossier_id: str,
                           command_key: str | None) -> CommandResult | None:
    """The first outcome of this command, when the dossier keeps one under its key; None otherwise."""
    first = None if command_key is None else await intake.repository.answer_kept(dossier_id, owner.id, command_key)
    if first is None:
        return None
    log.info("command_key_answered_again", dossier_id=dossier_id)
    return CommandResult(**first)
