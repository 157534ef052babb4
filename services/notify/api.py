"""Notify's internal HTTP API, behind the gateway: a dossier's delivery log, a second chance for a failed
delivery (operators), and the development mailbox and SMS sink when that is where messages go."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.notify.adapters.dev_mailbox import DevMailbox
from services.notify.adapters.dev_sms_sink import DevSmsSink
from services.notify.dependencies import Notify
from services.notify.errors import DeliveryNotFound, MailboxNotInUse, SmsSinkNotInUse
from services.notify.handlers import try_failed_delivery_again
from services.notify.schemas import (
    DeliveriesPublic,
    DeliveryPublic,
    MailboxMessage,
    MailboxPublic,
    SmsSinkMessage,
    SmsSinkPublic,
)

Id = Annotated[str, Path(min_length=1, max_length=200)]


def notify_router(notify: Notify, mailbox: DevMailbox | None, sms_sink: DevSmsSink | None = None) -> APIRouter:
    router = APIRouter(tags=["notify"])

    @router.get("/deliveries")
    async def deliveries_of_dossier(
        dossier_id: Annotated[str, Query(min_length=1, max_length=64)],
    ) -> DeliveriesPublic:
        documents = await notify.deliveries.of_dossier(dossier_id)
        return DeliveriesPublic(dossier_id=dossier_id, items=[DeliveryPublic.of(found) for found in documents])

    @router.post("/deliveries/{delivery_id}/retry")
    async def retry_delivery(delivery_id: Id) -> DeliveryPublic:
        await try_failed_delivery_again(notify, delivery_id)
        found = await notify.deliveries.find(delivery_id)
        if found is None:
            raise DeliveryNotFound(delivery_id=delivery_id)
        return DeliveryPublic.of(found)

    @router.get("/mailbox")
    async def development_mailbox(
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        recipient: Annotated[str | None, Query(min_length=3, max_length=254, alias="to")] = None,
    ) -> MailboxPublic:
        if mailbox is None:
            raise MailboxNotInUse()
        return MailboxPublic(items=[MailboxMessage.of(found) for found in await mailbox.newest(limit, recipient)])

    @router.get("/sms")
    async def development_sms_sink(
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        recipient: Annotated[str | None, Query(min_length=3, max_length=32, alias="to")] = None,
    ) -> SmsSinkPublic:
        if sms_sink is None:
            raise SmsSinkNotInUse()
        return SmsSinkPublic(items=[SmsSinkMessage.of(found) for found in await sms_sink.newest(limit, recipient)])

    return router
