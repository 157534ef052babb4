"""The citizen's commands on the dossier itself: start it, edit it, delete it, send it."""

from typing import Any

from services.intake import domain
from services.intake.dependencies import PRODUCER, Intake
from services.intake.domain import Dossier, Owner
from services.intake.handlers.writing import citizen, forget_blobs, write_for_owner
from shared.holder.write import Change, CommandResult, event_of
from shared.messages import DraftContent


async def create_draft(intake: Intake, owner: Owner, content: DraftContent) -> CommandResult:
    """Start a dossier (lưu nháp): version 1, a draft."""
    dossier, payload = domain.create_draft(intake.new_id(), owner, content, intake.catalog, intake.clock())
    # A new id: no one else can have written it, so there is nothing to decide again.
    await intake.repository.add(dossier, [event_of(payload, dossier, PRODUCER, citizen(owner))])
    intake.published()
    return CommandResult.of(dossier)


async def edit_dossier(
    intake: Intake, owner: Owner, dossier_id: str, changes: dict[str, Any], expected_version: int,
) -> CommandResult:
    """Change a draft or a dossier under supplement request, on the version the citizen saw."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        edited, payload = domain.edit(dossier, changes, expected_version, intake.catalog, intake.clock())
        return Change(edited, [payload])

    written = await write_for_owner(intake, owner, dossier_id, decide)
    return CommandResult.of(written.record)


async def delete_draft(
    intake: Intake, owner: Owner, dossier_id: str, expected_version: int | None,
) -> CommandResult:
    """Delete a draft (xoá hồ sơ chưa gửi), and then the bytes of its files."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        deleted, payload = domain.delete(dossier, expected_version)
        return Change(deleted, [payload])

    written = await write_for_owner(intake, owner, dossier_id, decide)
    # Only once the tombstone is stored: until then the draft, and so its files, may still be kept.
    await forget_blobs(intake, dossier_id, [attached.file.id for attached in written.record.files])
    return CommandResult(written.record.id, "deleted", written.record.version)


async def submit_dossier(intake: Intake, owner: Owner, dossier_id: str) -> CommandResult:
    """Send the dossier (gửi hồ sơ) as it is stored now, its files frozen; processing holds it from here on."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        submitted, payload = domain.submit(dossier, intake.catalog, intake.clock())
        return Change(submitted, [payload])

    written = await write_for_owner(intake, owner, dossier_id, decide)
    return CommandResult.of(written.record)
