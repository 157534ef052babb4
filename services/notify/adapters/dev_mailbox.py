"""The development mailbox: the mail transport of a run without SMTP_HOST. Mail is kept in notify's own
store (`mailbox`) and listed by `GET /mailbox`, newest first; it never leaves the machine."""

import contextlib
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.notify.domain.mail import OutgoingMail
from shared.messages import utc_now
from shared.store.port import Collection, Database

COLLECTION = "mailbox"


class DevMailbox:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.collection: Collection = db[COLLECTION]
        self._clock = clock

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("received_at", -1)])

    async def send(self, mail: OutgoingMail) -> None:
        # The same message again (a resend after a crash) is kept once, as a mail client would show it.
        with contextlib.suppress(DuplicateKeyError):
            await self.collection.insert_one({
                "_id": mail.message_id, "delivery_id": mail.delivery_id, "from": mail.sender,
                "to": mail.recipient, "subject": mail.subject, "text": mail.text, "html": mail.html,
                "date": mail.date, "received_at": self._clock(),
                # What a mail client shows of a file attached, and its digest to compare the bytes by.
                "attachments": [{"filename": attachment.filename, "content_type": attachment.content_type,
                                 "size": len(attachment.content),
                                 "sha256": hashlib.sha256(attachment.content).hexdigest()}
                                for attachment in mail.attachments]})

    async def newest(self, limit: int, recipient: str | None = None) -> list[dict[str, Any]]:
        """The newest mail, to `recipient` only when given."""
        query = {} if recipient is None else {"to": recipient}
        cursor = self.collection.find(query).sort([("received_at", -1), ("_id", -1)]).limit(limit)
        return list(await cursor.to_list(None))
