"""Intake's answers about a dossier's content and its owner's contacts, for the services that need them.

The events carry no applicant, no form (`shared.messages.ContentOutline`) and no address or phone of the
account: they would reach every reader of the events exchange, staff tools included. Intake, their owner,
answers them on its internal API: the content (`GET /dossiers/{id}/content`) to query (the detail, the list's
applicant name, the search) and slips (the name and address a slip is made out to); the account's registered
email and phone (`GET /dossiers/{id}/contacts`) to notify, which sends the mail and the SMS. Over the
network between processes, through the ASGI app in one process (the embedded run): the same httpx code
either way.
"""

import asyncio
import time
from typing import Any, Protocol
from urllib.parse import quote

import httpx
from pydantic import BaseModel, Field

from shared.correlation import HEADER, current_correlation_id
from shared.messages import DraftContent

CONTENT_PATH = "/dossiers/{dossier_id}/content"
CONTACTS_PATH = "/dossiers/{dossier_id}/contacts"


class DossierContentAnswer(BaseModel):
    """A dossier's content as intake holds it now, and intake's version of the dossier when it answered."""

    dossier_id: str
    # At least the version of the event that made the consumer ask: intake stores a change before its event
    # leaves (the outbox), so the answer is never older than the event, at most newer.
    version: int = Field(ge=1)
    content: DraftContent


class DossierContactsAnswer(BaseModel):
    """The address and phone registered with the account that owns the dossier (the token's `email` and
    `phone_number` claims, kept by intake with the dossier), never the form's; None where it has none."""

    owner_email: str | None = None
    owner_phone: str | None = None


class ContentSource(Protocol):
    """Where a consumer reads a dossier's content: intake's API, or a test's fake."""

    async def content(self, dossier_id: str) -> DossierContentAnswer | None: ...


class ContactsSource(Protocol):
    """Where notify reads the contacts of a dossier's owner: intake's API, or a test's fake."""

    async def contacts(self, dossier_id: str) -> DossierContactsAnswer | None: ...


class IntakeUnreachable(Exception):
    """Intake did not answer in time: the event that needs its answer is tried again later (the bus retries)."""


class IntakeContents:
    """Intake's content and contacts API. A connection refused or a 5xx is tried again for up to
    `wait_seconds` (a service restarted beside intake, which is not up yet), then `IntakeUnreachable`."""

    def __init__(self, http: httpx.AsyncClient | None = None, *, base_url: str = "", timeout: float = 10.0,
                 wait_seconds: float = 30.0) -> None:
        # The client given (in-process), or one of its own to `base_url`, made at the first question (on the
        # running loop) and kept: its connections are reused, a question per content event being many.
        self._http = http
        self._base_url = base_url
        self._timeout = timeout
        self._wait_seconds = wait_seconds

    async def content(self, dossier_id: str) -> DossierContentAnswer | None:
        """The dossier's content, or None when intake has no such dossier (a draft deleted meanwhile)."""
        found = await self._ask(CONTENT_PATH.format(dossier_id=quote(dossier_id, safe="")))
        return None if found is None else DossierContentAnswer.model_validate(found)

    async def contacts(self, dossier_id: str) -> DossierContactsAnswer | None:
        """The contacts of the dossier's owner, or None when intake has no such dossier."""
        found = await self._ask(CONTACTS_PATH.format(dossier_id=quote(dossier_id, safe="")))
        return None if found is None else DossierContactsAnswer.model_validate(found)

    async def _ask(self, path: str) -> Any:
        """Intake's JSON answer at `path`, or None for its 404; asked again while intake is away."""
        deadline = time.monotonic() + self._wait_seconds
        pause = 0.2
        while True:
            try:
                response = await self._get(path)
                if response.status_code == 404:
                    return None
                if response.status_code < 500:
                    response.raise_for_status()
                    return response.json()
                failure = f"intake answered {response.status_code}"
            except httpx.TransportError as error:
                failure = type(error).__name__
            if time.monotonic() + pause > deadline:
                raise IntakeUnreachable(failure)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)

    async def _get(self, path: str) -> httpx.Response:
        if self._http is None:
            self._http = httpx.AsyncClient(base_url=self._base_url, timeout=self._timeout)
        return await self._http.get(path, headers={HEADER: current_correlation_id() or ""})

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
