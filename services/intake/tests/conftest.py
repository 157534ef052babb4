"""Fixtures: a running intake service (see harness.py), stopped after each test."""

from collections.abc import AsyncIterator

import pytest

from services.intake.tests.harness import Harness, start_intake_service, stop_intake_service


@pytest.fixture()
async def intake() -> AsyncIterator[Harness]:
    harness = await start_intake_service()
    try:
        yield harness
    finally:
        await stop_intake_service(harness)
