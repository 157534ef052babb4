"""The read model's fixtures: each store engine, a repository on it, a portfolio of dossiers, the API.

Engines: the in-memory store always; real MongoDB when MONGO_URL is set (skipped with the reason otherwise).
"""

import os
from collections.abc import AsyncIterator
from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.query.adapters.read_model import ReadModelRepository
from services.query.bootstrap import procedure_names
from shared.messages import DraftDeleted
from shared.procedures import load_catalog
from shared.store.memory import MemoryStore
from shared.store.mongo import MongoStore
from shared.store.port import DocumentStore
from tests.contract.read_model.events import STRANGER, T0, VIETNAM, apply_all, event, life, received, staff
from tests.contract.read_model.service import QueryApi, running_query


@pytest.fixture(params=["memory", pytest.param("mongo", marks=pytest.mark.mongo)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[DocumentStore]:
    name = f"query_contract_{uuid4().hex[:12]}"
    engine: DocumentStore
    if request.param == "memory":
        engine = MemoryStore(name)
    else:
        url = os.environ.get("MONGO_URL")
        if not url:
            pytest.skip("MONGO_URL is not set: the read model's MongoDB run needs a reachable MongoDB")
        engine = MongoStore(url, name)
    try:
        yield engine
    finally:
        for collection in await engine.db.list_collection_names():
            await engine.db.drop_collection(collection)
        await engine.close()


@pytest.fixture
async def repo(store: DocumentStore) -> ReadModelRepository:
    repository = ReadModelRepository(store.db, procedure_names(load_catalog()), VIETNAM)
    await repository.ensure_indexes()
    return repository


@pytest.fixture
async def portfolio(repo: ReadModelRepository) -> ReadModelRepository:
    """Four of the owner's dossiers (one received with a lookup code), one deleted, one of a stranger."""
    await apply_all(repo, life("d1", "Giấy phép hành nghề khám bệnh", at=T0))
    await apply_all(repo, life("d2", "Chứng chỉ hành nghề dược", at=T0 + timedelta(days=1),
                               full_name="Đỗ Thị Hoa", procedure_code="SYT-DUOC-01"))
    await apply_all(repo, life("d3", "Bản nháp", at=T0 + timedelta(days=2), submit=False,
                               procedure_code="SYT-ATTP-01"))
    await repo.apply(staff(received("H48.25-0301-0001", T0 + timedelta(days=3), date(2025, 3, 20)),
                           "d1", 4, T0 + timedelta(days=3)))
    await apply_all(repo, life("d4", "Sẽ bị xoá", at=T0 + timedelta(days=4), submit=False))
    await repo.apply(event(DraftDeleted(), "d4", 3, T0 + timedelta(days=4, hours=1)))
    await apply_all(repo, life("x1", "Giấy phép của người khác", owner=STRANGER))
    return repo


@pytest.fixture
async def api(store: DocumentStore) -> AsyncIterator[QueryApi]:
    async with running_query(store) as running:
        yield running
