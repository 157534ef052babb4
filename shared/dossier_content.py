"""Intake's answer about a dossier's content, for the services that show or print the applicant.

The events carry no applicant and no form (`shared.messages.ContentOutline`): they would reach every reader
of the events exchange, staff tools included. Query (the detail, the list's applicant name, the search) and
slips (the name and address a slip is made out to) ask intake, the content's owner, on its internal API:
`GET /dossiers/{id}/content`. Over the network between processes, through the ASGI app in one process (the
embedded run): the same httpx code either way.
"""

import asyncio
import time
from typing import Protocol
from urllib.parse import quote

import httpx
from pydantic import BaseModel, Field

from shared.correlation import HEADER, current_correlation_id
from shared.messages import DraftContent

CONTENT_PATH = "/dossiers/{dossier_id}/content"


class DossierContentAnswer(BaseModel):
    """A dossier's content as intake holds it now, and intake's version of the dossier when it answered."""

    dossier_id: str
    # At least the version of the event that made the consumer ask: intake stores a change before its event
    # leaves (the outbox), so the answer is never older than the event, at most newer.
    version: int = Field(ge=1)
    content: DraftContent


class ContentSource(Protocol):
    """Where a consumer reads a dossier's content: intake's API, or a test's fake."""

    async def content(self, dossier_id: str) -> DossierContentAnswer | None: ...


class IntakeUnreachable(Exception):
    """Intake did not answer in time: the event that needs its answer is tried again later (the bus retries)."""


class IntakeContents:
    """Intake's content API. A connection refused or a 5xx is tried again for up to `wait_seconds` (a
    service restarted beside intake, which is not up yet), then `IntakeUnreachable`."""

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
        path = CONTENT_PATH.format(dossier_id=quote(dossier_id, safe=""))
        deadline = time.monotonic() + self._wait_seconds
        pause = 0.2
        while True:
            try:
                response = await self._get(path)
                if response.status_code == 404:
                    return None
                if response.status_code < 500:
                    response.raise_for_status()
                    return DossierContentAnswer.model_validate(response.json())
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
