"""At start, payment recalls to processing the payments settled on records stored before processing kept
the fees paid (`payment.paid_recalled`): once per record, whatever the number of starts or replicas."""

from services.payment.bootstrap import bootstrap
from services.payment.tests.harness import ITEMS, Harness
from tests.support.service_harness import stop_service

CONFIRMATION = {"method": "at_office", "receipt_number": "0001234"}


async def paid(payment: Harness) -> str:
    dossier_id = await payment.request(version=5)
    confirmed = await payment.command("confirm-payment", dossier_id, CONFIRMATION)
    assert (await payment.outcome_of(confirmed)).data["version"] == 6
    return dossier_id


async def start_again(payment: Harness) -> None:
    """Another start on the same bus and store (a restart, or one more replica): its start-up steps run."""
    again = await Harness.start(bootstrap(payment.settings, payment.bus, payment.store, clock=payment.clock),
                                payment.bus, payment.store, payment.clock, settings=payment.settings)
    await stop_service(again, close_bus=False)


async def test_a_record_stored_before_is_recalled_once_with_its_payments(payment: Harness) -> None:
    old, new = await paid(payment), await paid(payment)
    # As the release before stored it: no mark of its payments having been recalled.
    await payment.store.memory.db["payment_requests"].update_one({"_id": old}, {"$unset": {"paid_recalled": ""}})
    await start_again(payment)
    await start_again(payment)
    await payment.all_published()
    [recalled] = payment.published("payment.paid_recalled")
    assert (recalled.dossier_id, recalled.version, recalled.producer) == (old, None, "payment")
    [settled] = recalled.data["payments"]
    assert (settled["receipt_number"], settled["method"], settled["items"]) == (
        "0001234", "at_office", [item.model_dump() for item in ITEMS])
    assert (await payment.record(old))["paid_recalled"] is True
    assert not payment.published("payment.paid_recalled", new)  # dossier.paid told processing already


async def test_a_record_stored_before_with_nothing_settled_recalls_nothing(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    await payment.store.memory.db["payment_requests"].update_one({"_id": dossier_id},
                                                                 {"$unset": {"paid_recalled": ""}})
    await start_again(payment)
    await payment.all_published()
    assert not payment.published("payment.paid_recalled")
