"""Fixtures: a running processing service (see harness.py), stopped after each test."""

from collections.abc import AsyncIterator

import pytest

from services.processing.tests.harness import Harness, start_processing_service, stop_processing_service


@pytest.fixture()
async def processing() -> AsyncIterator[Harness]:
    harness = await start_processing_service()
    try:
        yield harness
    finally:
        await stop_processing_service(harness)
