"""Many questions of one kind, asked at once by concurrent handlers, answered by one call for all of them.

A consumer handles up to its prefetch of deliveries at once, and each may need the same kind of answer from
another service (notify: the contacts of a dossier's owner, from intake). One round trip each costs both
sides more than the work asked for. `Coalescer.ask(key)` waits for a call that asks many keys together: the
first key starts a call at once; the keys asked while it is on its way are taken together by the next, up to
`most` in one. Lightly loaded, nobody waits for anyone; flat out, a handful of calls answer a prefetch.
"""

import asyncio
import contextvars
import itertools
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

AskMany = Callable[[list[K]], Awaitable[Mapping[K, V]]]


class Coalescer(Generic[K, V]):
    """`ask(key)`: the answer for `key` from `ask_many`, None when its answer leaves `key` out."""

    def __init__(self, ask_many: AskMany[K, V], *, most: int) -> None:
        self._ask_many = ask_many
        self._most = most
        self._waiting: dict[K, list[asyncio.Future[V | None]]] = {}
        self._calling: asyncio.Task[None] | None = None

    async def ask(self, key: K) -> V | None:
        answer: asyncio.Future[V | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append(answer)
        if self._calling is None or self._calling.done():
            # In a context of its own: the call answers many askers, and the first one's correlation id would
            # name only one of their chains.
            self._calling = asyncio.create_task(self._call_while_asked(), name="coalescer",
                                                context=contextvars.Context())
        return await answer

    async def _call_while_asked(self) -> None:
        # Started by the first `ask`, but first run after the other deliveries of the same read had a turn:
        # they are in this call too.
        while self._waiting:
            taken = {key: self._waiting.pop(key) for key in list(itertools.islice(self._waiting, self._most))}
            try:
                answers = await self._ask_many(list(taken))
            except asyncio.CancelledError:
                # The loop is going away: nobody is left waiting for an answer that will not come.
                for waiters in (*taken.values(), *self._waiting.values()):
                    for waiter in waiters:
                        waiter.cancel()
                self._waiting.clear()
                raise
            except Exception as error:  # every asker of this call sees it, as its own call would have
                _settle(taken, error=error)
            else:
                _settle(taken, answers=answers)


def _settle(taken: Mapping[K, list[asyncio.Future[V | None]]], *, answers: Mapping[K, V] | None = None,
            error: Exception | None = None) -> None:
    for key, waiters in taken.items():
        for waiter in waiters:
            if waiter.done():  # its asker was cancelled meanwhile
                continue
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(None if answers is None else answers.get(key))
