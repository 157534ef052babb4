"""The slips a message carries (giấy tờ một cửa đính kèm): the acceptance mail carries the receipt slip.

A delivery whose message carries a slip is recorded `waiting` until that slip is issued: the slips service
announces it with `slip.issued`, naming the event of the step (`for_event_id`), which is the delivery's
own. Whichever of the two reaches notify first, the other finds it: the delivery is then `pending`, with
the slip it carries in its facts, and the sender fetches the slip's bytes when it writes the message.
"""

from dataclasses import dataclass
from typing import Any

from shared.slips import SlipIssued

# Each template whose message carries a slip, and the kind of that slip.
ATTACHED_SLIPS = {"received": "receipt"}
# Each template whose message links to the slip of its step, on the dossier's page of the portal (the
# citizen signs in to download it): the message need not wait for the slip.
LINKED_SLIPS = {"supplement_requested": "supplement", "rejected": "refusal", "paid": "fee-receipt",
                "rescheduled": "apology"}
SLIP_PAGE = "/ho-so/{dossier_id}/phieu/{kind}"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


def slip_facts(dossier_id: str, issued: SlipIssued) -> dict[str, Any]:
    """What a delivery keeps of the slip it carries: enough to fetch it and to name the file."""
    return {"dossier_id": dossier_id, "slip_id": issued.slip_id, "kind": issued.kind,
            "filename": f"{issued.kind}-{issued.number.replace('/', '-')}.pdf"}
