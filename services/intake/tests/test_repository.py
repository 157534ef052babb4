"""Intake's repository: a dossier and its documents' files stored and read back, old documents too."""

from dataclasses import replace

from services.intake.adapters import DossierRepository
from services.intake.domain import SupplementRequest
from services.intake.tests.harness import OWNER, Harness, content, pdf
from services.intake.tests.test_domain import NOW, attached, draft


async def test_a_dossier_with_files_and_a_supplement_request_reads_back_as_it_was_stored(intake: Harness) -> None:
    repository = DossierRepository(intake.store.db)
    dossier = replace(draft(), files=(attached("don-de-nghi", 2), replace(attached("anh-chan-dung", 3), sent=True)),
                      supplement=SupplementRequest(("anh-chan-dung",), 9), last_sent_version=4)
    await repository.add(dossier, [])
    assert await repository.get(dossier.id, dossier.owner.id) == dossier


async def test_a_dossier_stored_before_documents_existed_reads_as_one_without_files(intake: Harness) -> None:
    # What intake stored before this release: no files, no supplement request, no version last sent.
    await intake.store.memory.db["dossiers"].insert_one({
        "_id": "d-old", "owner_id": OWNER, "owner_email": None, "status": "draft", "version": 3,
        "content": content(), "created_at": NOW, "updated_at": NOW, "outbox": []})
    found = await DossierRepository(intake.store.db).get("d-old", OWNER)
    assert found is not None
    assert (found.files, found.supplement, found.last_sent_version) == ((), None, None)
    # And it takes files like any other.
    answer = await intake.attach("d-old", "don-de-nghi", pdf())
    assert (answer.status_code, answer.json()["version"]) == (201, 4)
    [stored] = await intake.files("d-old")
    assert (stored["code"], stored["attached_version"], stored["sent"]) == ("don-de-nghi", 4, False)
