"""The in-memory engine reads only what its indexes point at (the answers themselves are the store
contract's, tests/contract/test_store.py): what MongoDB's explain() calls the documents examined."""

from datetime import UTC, datetime, timedelta

from shared.store.memory import MemoryStore

OWNERS = 50
PER_OWNER = 20


async def filled() -> MemoryStore:
    store = MemoryStore("examined")
    dossiers = store.db.dossiers
    await dossiers.create_index([("owner_id", 1), ("status", 1), ("updated_at", -1)])
    await dossiers.create_index([("status", 1), ("updated_at", -1), ("_id", 1)])
    await dossiers.create_index("lookup_code", unique=True,
                                partialFilterExpression={"lookup_code": {"$type": "string"}})
    start = datetime(2025, 1, 6, tzinfo=UTC)
    await dossiers.insert_many([
        {"_id": f"d{n}", "owner_id": f"u{n % OWNERS}", "status": ("draft", "submitted")[n // OWNERS % 2],
         "updated_at": start + timedelta(minutes=n), "lookup_code": f"L{n}" if n % 2 else None}
        for n in range(OWNERS * PER_OWNER)
    ])
    return store


async def test_an_equality_on_a_declared_index_examines_only_its_matches() -> None:
    store = await filled()
    dossiers = store.memory["dossiers"]
    assert dossiers.documents_examined({"_id": "d7"}) == 1
    assert dossiers.documents_examined({"_id": "d7", "status": "draft"}) == 1
    assert dossiers.documents_examined({"_id": "d7", "status": "submitted"}) == 0  # d7 is a draft
    assert dossiers.documents_examined({"owner_id": "u3"}) == PER_OWNER
    assert dossiers.documents_examined({"owner_id": "u3", "status": "submitted"}) == PER_OWNER // 2
    assert dossiers.documents_examined({"owner_id": "u3", "$and": [{"status": {"$in": ["submitted"]}}]}) == 10
    assert dossiers.documents_examined({"owner_id": "nobody"}) == 0
    assert dossiers.documents_examined({"lookup_code": "L7"}) == 1
    either = {"$or": [{"owner_id": "u3", "updated_at": {"$gte": datetime(2025, 1, 6, tzinfo=UTC)}}, {"_id": "d8"}]}
    assert dossiers.documents_examined(either) == PER_OWNER + 1
    assert dossiers.documents_examined({"$or": [{"owner_id": "u3"}, {"title": "x"}]}) == OWNERS * PER_OWNER
    # Not on a declared index's first field, or not an equality: every document.
    assert dossiers.documents_examined({"title": "L7"}) == OWNERS * PER_OWNER
    assert dossiers.documents_examined({"status": {"$ne": "draft"}}) == OWNERS * PER_OWNER


async def test_the_maps_follow_updates_and_deletes() -> None:
    store = await filled()
    dossiers = store.memory["dossiers"]
    await store.db.dossiers.update_many({"owner_id": "u3"}, {"$set": {"owner_id": "u4"}})
    assert dossiers.documents_examined({"owner_id": "u3"}) == 0
    assert dossiers.documents_examined({"owner_id": "u4"}) == 2 * PER_OWNER
    await store.db.dossiers.delete_many({"owner_id": "u4", "status": "draft"})
    assert dossiers.documents_examined({"owner_id": "u4"}) == PER_OWNER
    await store.db.dossiers.drop()
    assert dossiers.documents_examined({"owner_id": "u4"}) == 0
