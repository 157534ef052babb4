"""Creating the project's broker users on the real broker for a test, under a namespace of its own, and
deleting them afterwards whatever happens (`rabbitmqctl import_definitions`, then `delete_user`)."""

import asyncio
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import pytest

from shared.broker_users import broker_users, definitions, user_entry


async def rabbitmqctl(*arguments: str) -> None:
    executable = shutil.which("rabbitmqctl")
    if executable is None:
        pytest.skip("rabbitmqctl is not installed here: cannot create broker users")
    process = await asyncio.create_subprocess_exec(executable, *arguments, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    if process.returncode != 0:
        pytest.skip(f"`rabbitmqctl {arguments[0]}` failed here (exit {process.returncode}): "
                    f"{stderr.decode(errors='replace').strip()[:200]}")


@asynccontextmanager
async def namespaced_broker_users(namespace: str) -> AsyncIterator[dict[str, tuple[str, str]]]:
    """The users for `namespace`, each named `<namespace>-<user>`: their (name, password) by user."""
    credentials = {user.name: (f"{namespace}-{user.name}", secrets.token_urlsafe(16))
                   for user in broker_users(namespace)}
    defined = definitions(namespace)
    for entry in [*defined["permissions"], *defined["topic_permissions"]]:
        entry["user"] = credentials[str(entry["user"])][0]
    defined["users"] = [user_entry(name, password, secrets.token_bytes(4)) for name, password in credentials.values()]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(defined, file)
    try:
        os.chmod(file.name, 0o644)  # the broker's own user reads it
        await rabbitmqctl("import_definitions", file.name)
        yield credentials
    finally:
        os.unlink(file.name)
        for name, _password in credentials.values():
            with suppress(Exception, pytest.skip.Exception):
                await rabbitmqctl("delete_user", name)
