"""The document store contract: what repositories rely on, written once and run on every engine.

Engines: the in-memory one, the in-memory one with a journal, and real MongoDB (MONGO_URL, or a
testcontainers MongoDB where Docker answers). The journal's own promises are tested at the end.
"""

import asyncio
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

import shared.store.journal
from shared.settings import ServiceSettings
from shared.store import DocumentStore, open_store
from shared.store.memory import MemoryStore
from shared.store.mongo import MongoStore

ROOT = Path(__file__).resolve().parents[2]
ICT = timezone(timedelta(hours=7))  # Vietnam's clock: what a citizen's "from" and "to" dates are in


@pytest.fixture(params=["memory", "journaled", pytest.param("mongo", marks=pytest.mark.mongo)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    database_name = f"contract_{uuid4().hex[:12]}"
    engine: DocumentStore
    if request.param == "memory":
        engine = MemoryStore(database_name)
    elif request.param == "journaled":
        engine = MemoryStore(database_name, tmp_path / "journal.jsonl")
    else:
        engine = MongoStore(request.getfixturevalue("mongo_url"), database_name)
    try:
        yield engine
    finally:
        for name in await engine.db.list_collection_names():
            await engine.db.drop_collection(name)
        await engine.close()


@pytest.fixture
async def dossiers(store: DocumentStore) -> Any:
    collection = store.db["dossiers"]
    await collection.insert_many(
        [
            {"_id": "d1", "owner": "u1", "status": "draft", "title": "Chứng chỉ hành nghề y",
             "created_at": datetime(2024, 3, 1, 8, tzinfo=UTC), "outbox": [], "version": 1},
            {"_id": "d2", "owner": "u1", "status": "submitted", "title": "Giấy phép hoạt động",
             "created_at": datetime(2024, 3, 2, 8, tzinfo=UTC), "outbox": [{"type": "submitted"}],
             "version": 2, "lookup_code": None},
            {"_id": "d3", "owner": "u1", "status": "submitted", "title": "Chứng chỉ dược",
             "created_at": datetime(2024, 3, 3, 8, tzinfo=UTC), "outbox": [], "version": 2},
            {"_id": "d4", "owner": "u2", "status": "received", "title": "Cấp lại chứng chỉ",
             "created_at": datetime(2024, 3, 4, 8, tzinfo=UTC), "outbox": [], "version": 3,
             "lookup_code": "000.00.01.H01-240304-0001"},
        ]
    )
    return collection


async def ids(cursor: Any) -> list[Any]:
    return [document["_id"] async for document in cursor]


async def test_ping_answers(store: DocumentStore) -> None:
    assert await store.ping() is True


async def test_insert_one_gives_the_document_an_object_id(store: DocumentStore) -> None:
    document = {"title": "x"}
    result = await store.db.things.insert_one(document)
    assert isinstance(result.inserted_id, ObjectId) and document["_id"] == result.inserted_id
    assert await store.db.things.find_one(result.inserted_id) == {"_id": document["_id"], "title": "x"}


async def test_datetimes_come_back_aware_in_utc_to_the_millisecond(store: DocumentStore) -> None:
    sent = datetime(2024, 3, 1, 15, 30, 0, 123456, tzinfo=ICT)
    await store.db.things.insert_one({"_id": 1, "at": sent})
    found = await store.db.things.find_one({"_id": 1})
    assert found is not None
    stored = found["at"]
    assert stored.utcoffset() == timedelta(0)
    assert stored == sent.replace(microsecond=123000)


async def test_filters(dossiers: Any) -> None:
    by_id = [("_id", ASCENDING)]
    in_progress = {"status": {"$in": ["submitted", "received"]}}
    assert await ids(dossiers.find(in_progress, sort=by_id)) == ["d2", "d3", "d4"]
    # Case-insensitive on ASCII letters only: Vietnamese search goes through folded text (DESIGN.md).
    named = dossiers.find({"title": {"$regex": "^chứng chỉ", "$options": "i"}}, sort=by_id)
    assert await ids(named) == ["d1", "d3"]
    # A day in Vietnam's time, as the citizen's date range arrives.
    day = {"$gte": datetime(2024, 3, 2, 0, 0, tzinfo=ICT), "$lte": datetime(2024, 3, 2, 23, 59, tzinfo=ICT)}
    assert await ids(dossiers.find({"created_at": day})) == ["d2"]
    assert await ids(dossiers.find({"lookup_code": {"$exists": True}}, sort=by_id)) == ["d2", "d4"]
    assert await ids(dossiers.find({"lookup_code": None}, sort=by_id)) == ["d1", "d2", "d3"]
    assert await ids(dossiers.find({"outbox.0": {"$exists": True}})) == ["d2"]
    assert await ids(dossiers.find({"outbox.type": "submitted"})) == ["d2"]
    assert await dossiers.find_one({"owner": "nobody"}) is None


async def test_projection(dossiers: Any) -> None:
    assert await dossiers.find_one({"_id": "d4"}, {"status": 1, "_id": 0}) == {"status": "received"}
    without_outbox = await dossiers.find_one({"_id": "d2"}, {"outbox": 0, "created_at": 0})
    assert set(without_outbox) == {"_id", "owner", "status", "title", "version", "lookup_code"}


async def test_paging_with_sort_skip_limit(dossiers: Any) -> None:
    newest_first = dossiers.find({"owner": "u1"}, {"_id": 1}).sort("created_at", DESCENDING)
    assert await ids(newest_first.skip(1).limit(1)) == ["d2"]
    by_keywords = dossiers.find({}, sort=[("status", ASCENDING), ("created_at", DESCENDING)], skip=1, limit=2)
    assert [document["_id"] for document in await by_keywords.to_list()] == ["d4", "d3"]
    cursor = dossiers.find({}, sort={"_id": 1})
    assert [document["_id"] for document in await cursor.to_list(3)] == ["d1", "d2", "d3"]
    assert [document["_id"] for document in await cursor.to_list()] == ["d4"]
    assert (await dossiers.find_one({"owner": "u1"}, sort=[("created_at", DESCENDING)]))["_id"] == "d3"
    with pytest.raises(TypeError):
        dossiers.find({}, sort="created_at")  # PyMongo wants pairs here; a bare name only in .sort()


async def test_count_and_distinct(dossiers: Any) -> None:
    assert await dossiers.count_documents({"owner": "u1"}) == 3
    assert await dossiers.count_documents({"owner": "u1", "status": "received"}) == 0
    assert await dossiers.count_documents({}, skip=1, limit=2) == 2
    assert sorted(await dossiers.distinct("status", {"owner": "u1"})) == ["draft", "submitted"]


async def test_aggregate_counts_per_status(dossiers: Any) -> None:
    per_status = {"$group": {"_id": "$status", "count": {"$sum": 1}}}
    cursor = await dossiers.aggregate([{"$match": {"owner": "u1"}}, per_status, {"$sort": {"_id": 1}}])
    assert await cursor.to_list() == [{"_id": "draft", "count": 1}, {"_id": "submitted", "count": 2}]
    versions = await dossiers.aggregate([{"$group": {"_id": None, "total": {"$sum": "$version"}}}])
    assert [row["total"] async for row in versions] == [8]


async def test_aggregate_answers_rows_of_its_own(dossiers: Any) -> None:
    # Stored values handed on by $first and $push come back as a find answers them (aware datetimes), and
    # a change to an answered row changes nothing stored.
    cursor = await dossiers.aggregate([
        {"$match": {"status": "submitted"}}, {"$sort": {"created_at": 1}},
        {"$group": {"_id": "$owner", "first_at": {"$first": "$created_at"}, "outboxes": {"$push": "$outbox"}}},
    ])
    [row] = await cursor.to_list()
    assert row == {"_id": "u1", "first_at": datetime(2024, 3, 2, 8, tzinfo=UTC),
                   "outboxes": [[{"type": "submitted"}], []]}
    row["outboxes"][0][0]["type"] = "changed"
    row["outboxes"][0].append({"type": "added"})
    assert (await dossiers.find_one({"_id": "d2"}))["outbox"] == [{"type": "submitted"}]
    counted = await dossiers.aggregate([{"$match": {"version": {"$gte": 2}}}, {"$count": "n"}])
    assert await counted.to_list() == [{"n": 3}]
    whole = await dossiers.aggregate([{"$sort": {"_id": -1}}, {"$skip": 1}, {"$limit": 2}, {"$count": "n"}])
    assert await whole.to_list() == [{"n": 2}]


async def test_documents_equal_in_a_part_change_apart(store: DocumentStore) -> None:
    # The in-memory engine holds equal subdocuments and lists once (shared/store/memory_sharing.py): a
    # change to one document's part, made by any write, changes no other document's.
    people = store.db["people"]
    actor = {"kind": "citizen", "id": "u1"}
    await people.insert_many([{"_id": name, "actor": dict(actor), "tags": [], "history": [{"by": dict(actor)}]}
                              for name in ("a", "b", "c", "d", "e")])
    await people.update_one({"_id": "a"}, {"$set": {"actor.id": "u2"}, "$push": {"tags": "x"}})
    await people.update_one({"_id": "b"}, {"$push": {"history.0.by.roles": "clerk"}})
    await people.find_one_and_update({"_id": "c"}, {"$unset": {"actor.kind": ""}, "$set": {"history.0.by.id": "u3"}})
    await people.replace_one({"_id": "d"}, {"actor": {"kind": "citizen", "id": "u1", "age": 3}, "tags": ["y"]})
    answered = await people.find_one({"_id": "e"})
    assert answered is not None
    answered["actor"]["id"] = "changed by a reader"
    answered["tags"].append("changed by a reader")
    [distinct] = await people.distinct("actor", {"_id": "e"})
    distinct["id"] = "changed by a reader"
    found = {document["_id"]: document async for document in people.find({}).sort("_id", 1)}
    assert found["a"] == {"_id": "a", "actor": {"kind": "citizen", "id": "u2"}, "tags": ["x"],
                          "history": [{"by": actor}]}
    assert found["b"] == {"_id": "b", "actor": actor, "tags": [], "history": [{"by": {**actor, "roles": ["clerk"]}}]}
    assert found["c"] == {"_id": "c", "actor": {"id": "u1"}, "tags": [], "history": [{"by": {**actor, "id": "u3"}}]}
    assert found["d"] == {"_id": "d", "actor": {**actor, "age": 3}, "tags": ["y"]}
    assert found["e"] == {"_id": "e", "actor": actor, "tags": [], "history": [{"by": actor}]}


async def test_find_one_and_update(dossiers: Any) -> None:
    after = await dossiers.find_one_and_update(
        {"_id": "d2", "version": 2},
        {"$inc": {"version": 1}, "$set": {"status": "received"}, "$push": {"outbox": {"type": "received"}}},
        return_document=ReturnDocument.AFTER,
    )
    assert after["version"] == 3 and after["status"] == "received"
    assert after["outbox"] == [{"type": "submitted"}, {"type": "received"}]
    before = await dossiers.find_one_and_update({"_id": "d2"}, {"$pull": {"outbox": {"type": "submitted"}}})
    assert len(before["outbox"]) == 2
    assert (await dossiers.find_one({"_id": "d2"}))["outbox"] == [{"type": "received"}]
    projected = await dossiers.find_one_and_update(
        {"_id": "d1"}, {"$set": {"title": "y"}}, projection={"title": 1}, return_document=ReturnDocument.AFTER
    )
    assert projected == {"_id": "d1", "title": "y"}
    assert await dossiers.find_one_and_update({"_id": "d1", "version": 99}, {"$inc": {"version": 1}}) is None


async def test_find_one_and_update_takes_the_first_in_sort_order(dossiers: Any) -> None:
    claimed = await dossiers.find_one_and_update(
        {"status": "submitted"}, {"$set": {"status": "received"}}, sort=[("created_at", DESCENDING)]
    )
    assert claimed["_id"] == "d3"


async def test_conditional_update_that_matches_nothing_changes_nothing(dossiers: Any) -> None:
    result = await dossiers.update_one({"_id": "d1", "version": 5}, {"$set": {"status": "submitted"}})
    assert (result.matched_count, result.modified_count, result.upserted_id) == (0, 0, None)
    assert (await dossiers.find_one({"_id": "d1"}))["status"] == "draft"
    result = await dossiers.update_many({"owner": "u1"}, {"$set": {"seen": True}})
    assert (result.matched_count, result.modified_count) == (3, 3)


async def test_upsert(store: DocumentStore) -> None:
    counters = store.db.counters
    first = await counters.update_one({"_id": "lookup-2024"}, {"$inc": {"n": 1}}, upsert=True)
    assert first.upserted_id == "lookup-2024" and first.matched_count == 0
    second = await counters.update_one({"_id": "lookup-2024"}, {"$inc": {"n": 1}}, upsert=True)
    assert second.upserted_id is None and second.matched_count == 1
    made = await counters.update_one({"name": "new"}, {"$set": {"n": 0}}, upsert=True)
    assert isinstance(made.upserted_id, ObjectId)
    assert await counters.find_one(made.upserted_id) == {"_id": made.upserted_id, "name": "new", "n": 0}
    counted = await counters.find_one_and_update(
        {"_id": "day"}, {"$inc": {"n": 1}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    assert counted == {"_id": "day", "n": 1}
    assert await counters.find_one_and_update({"_id": "other"}, {"$inc": {"n": 1}}, upsert=True) is None
    replaced = await counters.replace_one({"_id": "day"}, {"n": 10}, upsert=True)
    assert replaced.matched_count == 1 and await counters.find_one("day") == {"_id": "day", "n": 10}


async def test_unique_index_refuses_duplicates(dossiers: Any) -> None:
    name = await dossiers.create_index("lookup_code", unique=True, partialFilterExpression={
        "lookup_code": {"$type": "string"}
    })
    assert name == "lookup_code_1"
    await dossiers.create_indexes([IndexModel([("owner", ASCENDING), ("status", ASCENDING)])])
    with pytest.raises(DuplicateKeyError):
        await dossiers.insert_one({"_id": "d5", "lookup_code": "000.00.01.H01-240304-0001"})
    with pytest.raises(DuplicateKeyError):
        await dossiers.update_one({"_id": "d1"}, {"$set": {"lookup_code": "000.00.01.H01-240304-0001"}})
    with pytest.raises(DuplicateKeyError):
        await dossiers.insert_one({"_id": "d1"})
    assert await dossiers.count_documents({}) == 4
    await dossiers.insert_one({"_id": "d6"})  # no lookup code yet: outside the partial index


async def test_index_creation_checks_existing_documents_and_repeats_harmlessly(dossiers: Any) -> None:
    partial = {"lookup_code": {"$type": "string"}}
    for _ in range(2):  # as every start-up of a service does, with documents already there
        await dossiers.create_index("lookup_code", unique=True, partialFilterExpression=partial)
        await dossiers.create_index([("owner", ASCENDING), ("created_at", DESCENDING)])
    with pytest.raises(OperationFailure):
        await dossiers.create_index("lookup_code", unique=True, name="lookup_code_1")
    with pytest.raises(DuplicateKeyError):
        await dossiers.create_index("status", unique=True)
    with pytest.raises(DuplicateKeyError):
        await dossiers.create_index("owner", unique=True, partialFilterExpression={"status": "submitted"})


async def test_sparse_unique_index_skips_missing_fields_but_not_nulls(store: DocumentStore) -> None:
    things = store.db.things
    await things.create_index("code", unique=True, sparse=True)
    await things.insert_many([{"_id": 1}, {"_id": 2}, {"_id": 3, "code": None}])
    with pytest.raises(DuplicateKeyError):
        await things.insert_one({"_id": 4, "code": None})


async def test_delete(dossiers: Any) -> None:
    assert (await dossiers.delete_one({"_id": "d1"})).deleted_count == 1
    assert (await dossiers.delete_one({"_id": "d1"})).deleted_count == 0
    assert (await dossiers.delete_many({"owner": "u1"})).deleted_count == 2
    assert await ids(dossiers.find()) == ["d4"]


async def test_collections_are_listed_and_dropped(store: DocumentStore, dossiers: Any) -> None:
    await store.db["payments"].insert_one({"_id": 1})
    assert sorted(await store.db.list_collection_names()) == ["dossiers", "payments"]
    await dossiers.drop()
    await store.db.drop_collection("payments")
    assert await store.db.list_collection_names() == []


# Every path through the indexes the repositories declare (the in-memory engine answers these from its
# hash maps): the answers must be MongoDB's, index or not.


async def test_compound_unique_index(store: DocumentStore) -> None:
    events = store.db.events
    await events.create_index([("dossier_id", ASCENDING), ("version", ASCENDING)], unique=True)
    await events.insert_many([{"_id": 1, "dossier_id": "a", "version": 1},
                              {"_id": 2, "dossier_id": "a", "version": 2},
                              {"_id": 3, "dossier_id": "b", "version": 1}])
    with pytest.raises(DuplicateKeyError):
        await events.insert_one({"_id": 4, "dossier_id": "a", "version": 1})
    with pytest.raises(DuplicateKeyError):
        await events.update_one({"_id": 3}, {"$set": {"dossier_id": "a"}})
    assert await events.find_one(3) == {"_id": 3, "dossier_id": "b", "version": 1}  # refused: unchanged
    await events.update_one({"_id": 3}, {"$set": {"version": 2.0}})  # 2.0 is 2 to MongoDB: still (b, 2)
    with pytest.raises(DuplicateKeyError):
        await events.insert_one({"_id": 5, "dossier_id": "b", "version": 2})
    await events.insert_one({"_id": 6, "dossier_id": "b", "version": 1})  # the key 3 let go of is free
    assert await events.count_documents({"dossier_id": "b"}) == 2


async def test_unique_index_counts_a_missing_field_as_null(store: DocumentStore) -> None:
    things = store.db.things
    await things.create_index("code", unique=True)
    await things.create_index([("a", ASCENDING), ("b", ASCENDING)], unique=True)
    await things.insert_one({"_id": 1, "a": 1})  # code missing, b missing
    with pytest.raises(DuplicateKeyError):
        await things.insert_one({"_id": 2, "code": None, "a": 2})  # null is missing's key
    with pytest.raises(DuplicateKeyError):
        await things.insert_one({"_id": 3, "code": "x", "a": 1, "b": None})  # (1, null) again
    await things.insert_one({"_id": 4, "code": "y", "a": 1, "b": 2})
    with pytest.raises(DuplicateKeyError):
        await things.update_one({"_id": 4}, {"$unset": {"code": ""}})  # back to null: 1 holds it
    await things.update_one({"_id": 1}, {"$set": {"code": "z"}})
    await things.update_one({"_id": 4}, {"$unset": {"code": ""}})  # null let go of by 1
    assert await ids(things.find({"code": None})) == [4]


async def test_equality_on_an_indexed_field_follows_updates_and_deletes(store: DocumentStore) -> None:
    dossiers = store.db.dossiers
    await dossiers.create_index([("owner", ASCENDING), ("updated_at", DESCENDING)])
    await dossiers.create_index([("status", ASCENDING), ("updated_at", DESCENDING)])
    await dossiers.insert_many([
        {"_id": f"d{n}", "owner": f"u{n % 3}", "status": "draft", "updated_at": datetime(2024, 3, n + 1, tzinfo=UTC)}
        for n in range(9)
    ])
    newest_first = [("updated_at", DESCENDING)]
    assert await ids(dossiers.find({"owner": "u1"}, sort=newest_first)) == ["d7", "d4", "d1"]
    await dossiers.update_one({"_id": "d4"}, {"$set": {"owner": "u2", "status": "submitted"}})
    await dossiers.update_many({"owner": "u0"}, {"$set": {"status": "submitted"}})
    await dossiers.replace_one({"_id": "d7"}, {"owner": "u0", "status": "received",
                                               "updated_at": datetime(2024, 4, 1, tzinfo=UTC)})
    assert await ids(dossiers.find({"owner": "u1"}, sort=newest_first)) == ["d1"]
    assert await ids(dossiers.find({"owner": "u0"}, sort=newest_first)) == ["d7", "d6", "d3", "d0"]
    assert await ids(dossiers.find({"owner": "u2", "status": "submitted"})) == ["d4"]
    assert await ids(dossiers.find({"status": {"$eq": "submitted", "$ne": "x"}}, sort=newest_first)) == [
        "d6", "d4", "d3", "d0"]
    assert sorted(await ids(dossiers.find({"status": {"$in": ["received", "draft"]}}))) == [
        "d1", "d2", "d5", "d7", "d8"]
    assert await dossiers.count_documents({"owner": "u0", "$and": [{"status": "submitted"}]}) == 3
    due = {"$or": [{"status": "draft", "updated_at": {"$lte": datetime(2024, 3, 3, tzinfo=UTC)}},
                   {"status": "received"}, {"_id": "d8"}]}
    assert await ids(dossiers.find(due, sort=[("_id", ASCENDING)])) == ["d1", "d2", "d7", "d8"]
    await dossiers.delete_one({"_id": "d6"})
    await dossiers.delete_many({"status": "draft"})
    assert await ids(dossiers.find({"owner": "u0"}, sort=newest_first)) == ["d7", "d3", "d0"]
    assert await ids(dossiers.find({"status": "draft"})) == []
    counts = await dossiers.aggregate([{"$match": {"owner": "u0"}},
                                       {"$group": {"_id": "$status", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}])
    assert await counts.to_list() == [{"_id": "received", "n": 1}, {"_id": "submitted", "n": 2}]


async def test_equality_on_an_indexed_field_keeps_mongodb_rules(store: DocumentStore) -> None:
    things = store.db.things
    for field in ("n", "tags", "at", "code", "sub.key"):
        await things.create_index(field)
    moment = datetime(2024, 3, 1, 15, tzinfo=ICT)
    await things.insert_many([
        {"_id": 1, "n": 1, "tags": ["a", "b"], "at": moment, "code": None, "sub": [{"key": "k"}]},
        {"_id": 2, "n": 1.0, "tags": "a", "sub": {"key": "k"}},
        {"_id": 3, "n": True, "tags": [], "code": "c"},
    ])
    assert sorted(await ids(things.find({"n": 1}))) == [1, 2]  # 1 and 1.0 alike, True apart
    assert await ids(things.find({"n": True})) == [3]
    assert sorted(await ids(things.find({"tags": "a"}))) == [1, 2]  # an element of an array matches
    assert await ids(things.find({"tags": ["a", "b"]})) == [1]
    assert await ids(things.find({"at": datetime(2024, 3, 1, 8, tzinfo=UTC)})) == [1]  # the same instant
    assert sorted(await ids(things.find({"code": None}))) == [1, 2]  # null, and missing
    assert sorted(await ids(things.find({"sub.key": "k"}))) == [1, 2]  # through an array and a subdocument
    assert await ids(things.find({"_id": {"$in": [3, 9, 1]}}, sort=[("_id", ASCENDING)])) == [1, 3]
    assert await things.find_one({"_id": 2, "n": 5}) is None


# The journal: what an embedded run keeps across a restart.


async def fill(store: MemoryStore) -> None:
    dossiers = store.db.dossiers
    await dossiers.create_index("lookup_code", unique=True, sparse=True)
    await dossiers.insert_many([{"_id": "d1", "title": "Chứng chỉ", "at": datetime(2024, 3, 1, tzinfo=ICT)},
                                {"_id": "d2", "title": "Giấy phép", "tags": ["a", "b"]}])
    await dossiers.insert_one({"title": "no id given"})
    await dossiers.update_one({"title": "upserted"}, {"$set": {"n": 1}}, upsert=True)
    await dossiers.find_one_and_update({"title": "made"}, {"$inc": {"n": 1}}, upsert=True)
    # Operators that look like json_util's own wrappers must come back as operators.
    with_e = {"$regex": "E", "$options": "i", "$ne": "upserted"}
    await dossiers.update_many({"title": with_e}, {"$set": {"e": 1}})
    await dossiers.update_many({"title": re.compile("^giấy", re.IGNORECASE)}, {"$set": {"g": 1}})
    await dossiers.find_one_and_update({"_id": "d2"}, {"$pull": {"tags": "a"}, "$set": {"lookup_code": "L1"}})
    with pytest.raises(BulkWriteError):
        await dossiers.insert_many([{"_id": "d3"}, {"_id": "d4", "lookup_code": "L1"}, {"_id": "d5"}])
    await dossiers.delete_one({"_id": "d3"})
    await store.db.scratch.insert_one({"_id": 1})
    await store.db.drop_collection("scratch")


async def snapshot(store: MemoryStore) -> tuple[Any, ...]:
    documents = sorted(await store.db.dossiers.find().to_list(), key=lambda document: str(document["_id"]))
    return documents, await store.db.dossiers.index_information(), await store.db.list_collection_names()


async def test_journal_brings_back_data_and_indexes(tmp_path: Path) -> None:
    journal = tmp_path / "hoso_intake.jsonl"
    first = MemoryStore("hoso_intake", journal)
    await fill(first)
    before = await snapshot(first)
    await first.close()

    again = MemoryStore("hoso_intake", journal)
    assert await snapshot(again) == before
    assert before[2] == ["dossiers"]
    assert {document.get("title"): (document.get("e"), document.get("g")) for document in before[0]} == {
        "Chứng chỉ": (None, None), "Giấy phép": (None, 1), "no id given": (1, None), "upserted": (None, None),
        "made": (1, None),
    }
    with pytest.raises(DuplicateKeyError):
        await again.db.dossiers.insert_one({"lookup_code": "L1"})
    await again.close()


async def test_journal_drops_a_torn_last_line_and_keeps_going(tmp_path: Path) -> None:
    journal = tmp_path / "store.jsonl"
    first = MemoryStore("db", journal)
    await first.db.things.insert_one({"_id": 1})
    await first.close()
    with journal.open("a") as file:
        file.write('{"c": "things", "m": "insert_one", "a": [{"_id": 2')

    second = MemoryStore("db", journal)
    assert await second.db.things.find().to_list() == [{"_id": 1}]
    await second.db.things.insert_one({"_id": 3})
    await second.close()
    third = MemoryStore("db", journal)
    assert await third.db.things.find().to_list() == [{"_id": 1}, {"_id": 3}]


async def test_journal_refuses_damage_before_its_end(tmp_path: Path) -> None:
    journal = tmp_path / "store.jsonl"
    journal.write_text('not json\n{"c": "things", "m": "drop", "a": [], "k": {}}\n')
    with pytest.raises(ValueError, match="unreadable journal line"):
        MemoryStore("db", journal)


CRASHING_WRITER = """
import asyncio, os, signal, sys
from shared.store.memory import MemoryStore

async def main():
    store = MemoryStore("db", sys.argv[1])
    for n in range(50):
        await store.db.things.update_one({"_id": "counter"}, {"$inc": {"n": 1}}, upsert=True)
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


def test_journal_survives_sigkill(tmp_path: Path) -> None:
    journal = tmp_path / "store.jsonl"
    killed = subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(journal)], cwd=ROOT, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    counter = asyncio.run(MemoryStore("db", journal).db.things.find_one("counter"))
    assert counter == {"_id": "counter", "n": 50}


async def test_open_store_picks_the_engine_from_settings(tmp_path: Path) -> None:
    settings = ServiceSettings(namespace="t1", store_journal_dir=tmp_path / "journals")
    memory = await open_store(settings, "intake")
    assert isinstance(memory, MemoryStore) and memory.db.name == "t1_intake"
    await memory.db.things.insert_one({"_id": 1})
    await memory.close()
    assert (tmp_path / "journals" / "t1_intake.jsonl").exists()
    mongo = await open_store(ServiceSettings(namespace="t1", mongo_url="mongodb://127.0.0.1:1"), "intake")
    assert isinstance(mongo, MongoStore) and mongo.db.name == "t1_intake"
    await mongo.close()


# Compaction: the journal snapshots the data and starts afresh from it, so that a start replays little.


def journal_files(journal: Path) -> list[str]:
    return sorted(path.name.replace(journal.name, "J") for path in journal.parent.iterdir())


async def test_a_compacted_journal_brings_back_the_same_data_and_indexes(tmp_path: Path) -> None:
    journal = tmp_path / "hoso_intake.jsonl"
    first = MemoryStore("hoso_intake", journal, compact_bytes=1)  # a snapshot after every write
    await fill(first)
    before = await snapshot(first)
    await first.close()
    assert journal_files(journal)[:2] == ["J", "J.lock"] and len(journal_files(journal)) == 3
    assert b'"snapshot"' in journal.read_bytes() and journal.read_bytes().count(b"\n") == 1

    again = MemoryStore("hoso_intake", journal)
    assert await snapshot(again) == before
    with pytest.raises(DuplicateKeyError):
        await again.db.dossiers.insert_one({"lookup_code": "L1"})
    await again.db.dossiers.insert_one({"_id": "after", "at": datetime(2024, 3, 2, tzinfo=ICT)})
    assert again.memory.compact_journal() is True
    assert again.memory.compact_journal() is False  # nothing new since
    await again.close()
    third = MemoryStore("hoso_intake", journal)
    found = await third.db.dossiers.find_one("after")
    assert found is not None and found["at"] == datetime(2024, 3, 2, tzinfo=ICT)
    assert found["at"].utcoffset() == timedelta(0)
    await third.close()


async def test_a_long_journal_is_compacted_when_opened(tmp_path: Path) -> None:
    journal = tmp_path / "store.jsonl"
    first = MemoryStore("db", journal, compact_bytes=10**9)
    for n in range(20):
        await first.db.things.insert_one({"_id": n, "text": "x" * 200})
    await first.close()  # under a megabyte: left as it is
    assert journal.read_bytes().count(b"\n") == 20
    second = MemoryStore("db", journal, compact_bytes=1000)
    assert journal.read_bytes().count(b"\n") == 1
    assert await second.db.things.count_documents({}) == 20
    await second.close()


async def test_lines_appended_by_a_process_keeping_no_state_are_compacted_by_the_next_reader(
        tmp_path: Path) -> None:
    """A bulk loader appends lines and keeps no state (it cannot snapshot); the first process holding
    the state to read them past `compact_bytes` compacts them, so that a crash then replays little."""
    path = tmp_path / "store.jsonl"
    reader = MemoryStore("db", path, compact_bytes=2000)
    await reader.db.things.create_index("code", unique=True)
    loader = shared.store.journal.Journal(path, lambda _record: None)  # appends only, as bench's seeder
    for start in range(0, 60, 10):
        with loader.writing():
            loader.append({"c": "things", "m": "insert_many", "k": {"ordered": True},
                           "a": [[{"_id": n, "code": f"c{n}", "text": "x" * 50} for n in range(start, start + 10)]]})
    loader.close()
    assert path.read_bytes().count(b"\n") > 6 and b'"snapshot"' not in path.read_bytes()
    assert await reader.db.things.count_documents({}) == 60  # the read that catches up
    assert path.read_bytes().count(b"\n") == 1 and b'"snapshot"' in path.read_bytes()
    # No close(), as after a SIGKILL: the next start loads the snapshot and finds everything.
    again = MemoryStore("db", path, compact_bytes=2000)
    assert await ids(again.db.things.find({"code": {"$in": ["c0", "c59"]}})) == [0, 59]
    with pytest.raises(DuplicateKeyError):
        await again.db.things.insert_one({"code": "c7"})
    await again.close()
    await reader.close()


async def test_replayed_inserts_hold_what_the_inserts_stored(tmp_path: Path) -> None:
    """A start replays a journaled insert by a path of its own (one copy per document): what it holds
    must be what the insert itself stored, to the millisecond, types and all, unique indexes included."""
    path = tmp_path / "store.jsonl"
    first = MemoryStore("db", path, compact_bytes=10**9)
    things = first.db.things
    await things.create_index([("code", ASCENDING), ("n", ASCENDING)], unique=True)
    at = datetime(2024, 3, 1, 8, 30, 15, 123456, tzinfo=ICT)
    await things.insert_one({"_id": ObjectId(), "code": "a", "n": 1, "at": at, "pair": ("x", 1),
                             "nested": {"when": [at, {"at": at}], "raw": b"\x00\x01", "f": 1.5, "ok": True},
                             "weird": {"$regex": "looks like an operator"}, "~tilde": None})
    await things.insert_many([{"_id": n, "code": "b", "n": n, "listed": [n, None]} for n in range(3)])
    before = await things.find({}, sort=[("n", ASCENDING), ("code", ASCENDING)]).to_list()
    await first.close()  # under a megabyte: replayed, not compacted
    assert b'"snapshot"' not in path.read_bytes()

    again = MemoryStore("db", path, compact_bytes=10**9)
    after = await again.db.things.find({}, sort=[("n", ASCENDING), ("code", ASCENDING)]).to_list()
    assert after == before and [type(document["_id"]) for document in after] == [int, ObjectId, int, int]
    assert after[1]["at"] == at.replace(microsecond=123000) and after[1]["pair"] == ["x", 1]
    assert await again.db.things.find_one({"at": at.replace(microsecond=123000)}) == after[1]
    with pytest.raises(DuplicateKeyError):
        await again.db.things.insert_one({"code": "b", "n": 2})
    with pytest.raises(DuplicateKeyError):
        await again.db.things.insert_one({"_id": 1})
    await again.close()


def test_a_replayed_insert_still_meets_the_unique_indexes(tmp_path: Path) -> None:
    """A journal whose inserts break a unique index (written by hand: the store never writes one) is
    refused at the start, as mongomock's own insert refused it, rather than held half-right."""
    path = tmp_path / "store.jsonl"
    lines: list[dict[str, Any]] = [
        {"c": "things", "m": "create_index", "a": [[["code", 1]]], "k": {"unique": True}},
        {"c": "things", "m": "insert_one", "a": [{"_id": 1, "code": "a"}], "k": {}},
        {"c": "things", "m": "insert_many", "a": [[{"_id": 2, "code": "a"}]], "k": {"ordered": True}}]
    path.write_bytes(b"".join(shared.store.journal.encode(line) for line in lines))
    with pytest.raises(DuplicateKeyError):
        MemoryStore("db", path)


CRASHING_COMPACTOR = """
import asyncio, os, signal, sys
from shared.store.memory import MemoryStore

journal, point = sys.argv[1], sys.argv[2]
renamed = []
real_replace = os.replace

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def replace(source, target):
    # A compaction renames the snapshot into place, then the new journal.
    if point == "before the snapshot is renamed" and not renamed:
        die()
    real_replace(source, target)
    renamed.append(target)
    if point == "after the snapshot is renamed" and len(renamed) == 1:
        die()
    if point == "after the journal is renamed" and len(renamed) == 2:
        die()

async def main():
    store = MemoryStore("db", journal)
    await store.db.things.insert_one({"_id": "last", "code": "last"})
    os.replace = replace
    store.memory.compact_journal()
    die()

asyncio.run(main())
"""

CRASH_POINTS = ["before the snapshot is renamed", "after the snapshot is renamed", "after the journal is renamed",
                "after the leftovers are removed"]


@pytest.mark.parametrize("point", CRASH_POINTS)
async def test_a_crash_during_compaction_leaves_a_usable_journal(tmp_path: Path, point: str) -> None:
    journal = tmp_path / "store.jsonl"
    first = MemoryStore("db", journal, compact_bytes=1)  # starts from a snapshot already
    await first.db.things.create_index("code", unique=True)
    await first.db.things.insert_many([{"_id": n, "code": f"c{n}"} for n in range(5)])
    await first.close()

    crashed = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", CRASHING_COMPACTOR, str(journal), point], cwd=ROOT, timeout=60)
    assert crashed.returncode == -signal.SIGKILL

    again = MemoryStore("db", journal)
    assert await ids(again.db.things.find({}, sort=[("_id", ASCENDING)])) == [0, 1, 2, 3, 4, "last"]
    with pytest.raises(DuplicateKeyError):
        await again.db.things.insert_one({"code": "c3"})
    await again.db.things.insert_one({"_id": "next", "code": "next"})
    assert again.memory.compact_journal() is True
    assert journal_files(journal) == ["J", "J.lock", "J.snapshot-" + journal.read_text().split("snapshot-")[1][:32]]
    await again.close()
    assert await MemoryStore("db", journal).db.things.count_documents({}) == 7


async def test_a_journal_is_read_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = tmp_path / "store.jsonl"
    first = MemoryStore("db", journal, compact_bytes=10**9)
    await fill(first)
    before = await snapshot(first)
    await first.close()
    with journal.open("a") as file:
        file.write('{"c": "things", "m": "insert_one", "a": [{"_id": 2')  # torn, at the end
    monkeypatch.setattr(shared.store.journal, "READ_BYTES", 50)  # far shorter than most lines
    again = MemoryStore("db", journal, compact_bytes=10**9)
    assert await snapshot(again) == before
    await again.close()
