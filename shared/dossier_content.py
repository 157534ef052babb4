"""Intake's answers about a dossier's content and its owner's contacts, for the services that need them.

The events carry no applicant, no form (`shared.messages.ContentOutline`) and no address or phone of the
account: they would reach every reader of the events exchange, staff tools included. Intake, their owner,
answers them on its internal API: the content (`GET /dossiers/{id}/content`) to query (the detail, the list's
applicant name, the search) and slips (the name and address a slip is made out to); the account's registered
email and phone to notify, which sends the mail and the SMS: several dossiers' in one question (`POST
/dossiers/contacts`), since notify asks for every notice it records and its handlers in flight ask together.
Over the network between processes, through the ASGI app in one process (the embedded run): the same httpx
code either way.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Protocol
from urllib.parse import quote

import httpx
from pydantic import BaseModel, Field

from shared.coalescing import Coalescer
from shared.correlation import HEADER, current_correlation_id
from shared.messages import DraftContent

CONTENT_PATH = "/dossiers/{dossier_id}/content"
CONTACTS_PATH = "/dossiers/contacts"
# The most dossiers one contacts question names: a consumer's prefetch (32) and then some.
MOST_CONTACTS_ASKED = 100
# Connections kept open to intake: at least as many as one consumer's handlers ask at once (its prefetch), so
# that a burst does not close and open again those beyond httpx's default of 20.
KEPT_CONNECTIONS = 64


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


class ContactsAsked(BaseModel):
    """Whose contacts notify asks for: the dossiers' ids."""

    dossier_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=MOST_CONTACTS_ASKED)


class ContactsAnswered(BaseModel):
    """The contacts of each dossier's owner, by dossier id; a dossier intake has not (unknown, or a draft
    deleted) is left out."""

    contacts: dict[str, DossierContactsAnswer]


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
        self._contacts = Coalescer(self._contacts_of_many, most=MOST_CONTACTS_ASKED)

    async def content(self, dossier_id: str) -> DossierContentAnswer | None:
        """The dossier's content, or None when intake has no such dossier (a draft deleted meanwhile)."""
        path = CONTENT_PATH.format(dossier_id=quote(dossier_id, safe=""))
        found = await self._ask(lambda http: http.get(path, headers=_correlated()))
        return None if found is None else DossierContentAnswer.model_validate(found)

    async def contacts(self, dossier_id: str) -> DossierContactsAnswer | None:
        """The contacts of the dossier's owner, or None when intake has no such dossier.

        Asked together with the other dossiers whose contacts are wanted meanwhile (`Coalescer`): an answer
        intake could not give (away too long) is the error of every one of them, each event tried again."""
        return await self._contacts.ask(dossier_id)

    async def _contacts_of_many(self, dossier_ids: list[str]) -> dict[str, DossierContactsAnswer]:
        asked = ContactsAsked(dossier_ids=dossier_ids).model_dump()
        found = await self._ask(lambda http: http.post(CONTACTS_PATH, json=asked, headers=_correlated()))
        if found is None:  # no such route: an intake older than it, still running beside this one
            raise IntakeUnreachable("intake answered 404 to the contacts question")
        return ContactsAnswered.model_validate(found).contacts

    async def _ask(self, request: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]) -> Any:
        """Intake's JSON answer to `request`, or None for its 404; asked again while intake is away."""
        deadline = time.monotonic() + self._wait_seconds
        pause = 0.2
        while True:
            try:
                response = await request(self._client())
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

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            kept = httpx.Limits(max_connections=KEPT_CONNECTIONS, max_keepalive_connections=KEPT_CONNECTIONS)
            self._http = httpx.AsyncClient(base_url=self._base_url, timeout=self._timeout, limits=kept)
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()


def _correlated() -> dict[str, str]:
    return {HEADER: current_correlation_id() or ""}
