"""A citizen reaches only their own dossiers: anyone else's is not found, whatever the command."""

import pytest

from services.intake.adapters import DossierRepository
from services.intake.tests.harness import Harness

OTHER = "citizen-2"


@pytest.fixture()
async def someone_elses(intake: Harness) -> str:
    return await intake.create(owner=OTHER)


async def assert_untouched(intake: Harness, dossier_id: str) -> None:
    record = await intake.record(dossier_id)
    assert record is not None and (record["status"], record["version"], record["owner_id"]) == ("draft", 1, OTHER)
    assert [event.type for event in intake.published(dossier_id=dossier_id)] in ([], ["dossier.draft_created"])


async def test_get_finds_only_the_owners_dossier(intake: Harness, someone_elses: str) -> None:
    repository = DossierRepository(intake.store.db)
    assert await repository.get(someone_elses, "citizen-1") is None
    found = await repository.get(someone_elses, OTHER)
    assert found is not None and found.owner.id == OTHER


async def test_edit_of_someone_elses_dossier_is_not_found(intake: Harness, someone_elses: str) -> None:
    answer = await intake.edit(someone_elses, {"title": "Không phải của tôi"}, 1)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "dossier_not_found")
    await assert_untouched(intake, someone_elses)


async def test_delete_of_someone_elses_dossier_is_not_found(intake: Harness, someone_elses: str) -> None:
    for expected_version in (None, 1):
        answer = await intake.delete(someone_elses, expected_version)
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "dossier_not_found")
    await assert_untouched(intake, someone_elses)


async def test_submit_of_someone_elses_dossier_is_not_found(intake: Harness, someone_elses: str) -> None:
    answer = await intake.submit(someone_elses)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "dossier_not_found")
    await assert_untouched(intake, someone_elses)

