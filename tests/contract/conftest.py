"""Fixtures the contract suites share: a real MongoDB for the runs on MongoDB."""

import os
import warnings
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    """MONGO_URL, else a MongoDB started by testcontainers; skipped (loudly) when neither is there."""
    if url := os.environ.get("MONGO_URL"):
        yield url
        return
    import docker
    from docker.errors import DockerException

    try:
        docker.from_env().ping()
    except DockerException as error:
        reason = f"no MONGO_URL and no Docker engine for testcontainers ({type(error).__name__})"
        warnings.warn(f"SKIPPING MongoDB contract tests: {reason}", stacklevel=2)
        pytest.skip(f"SKIPPED, NOT RUN: {reason}")
    from testcontainers.community.mongodb import MongoDbContainer

    with MongoDbContainer("mongo:7") as container:
        yield container.get_connection_url()
