"""Fixtures: a running payment service (see harness.py) with the sandbox provider, or with VNPay's."""

from collections.abc import AsyncIterator

import pytest

from services.payment.tests.harness import Harness, start_payment_service, stop_payment_service


@pytest.fixture()
async def payment() -> AsyncIterator[Harness]:
    harness = await start_payment_service()
    try:
        yield harness
    finally:
        await stop_payment_service(harness)


@pytest.fixture()
async def payment_vnpay() -> AsyncIterator[Harness]:
    harness = await start_payment_service(payment_provider="vnpay")
    try:
        yield harness
    finally:
        await stop_payment_service(harness)
