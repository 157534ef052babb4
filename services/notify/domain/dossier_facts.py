"""What notify knows of a dossier to word its mail (its recipient book), and what each event teaches it.

The book names the dossier's owner (an entry exists once an event named them) and what the mail says of the
dossier: title, procedure, lookup code. Not where the mail goes: the address and phone registered with the
account (the token's `email` and `phone_number` claims, kept by intake with the dossier) travel in no event,
since every reader of the events exchange would see them; notify asks intake for them as it records a
delivery (`shared.dossier_content`). Never the applicant's email or phone typed into the form, which anyone
filling the form may have written.
"""

from dataclasses import dataclass

from shared.lifecycle import DossierDueSoon, DossierOverdue, DossierReceived, DossierRescheduled
from shared.messages import DossierSubmitted, DraftCreated, Payload
from shared.payments import PaymentRequested

# The events that name the dossier's owner, besides the notices' own.
FACT_TYPES = ("dossier.draft_created", "dossier.submitted")


@dataclass(frozen=True)
class DossierFacts:
    """The book's entry: an entry exists once an event named the owner."""

    title: str | None = None
    procedure_code: str | None = None
    lookup_code: str | None = None


@dataclass(frozen=True)
class Learned:
    owner_id: str
    # The content as of this event's version (a later submission's title replaces an earlier one).
    title: str | None = None
    procedure_code: str | None = None
    # Given once, on reception; a supplement keeps it.
    lookup_code: str | None = None


def learned_from(payload: Payload) -> Learned | None:
    """What an event tells about its dossier's owner and content, or None when it tells nothing."""
    if isinstance(payload, DraftCreated | DossierSubmitted):
        return Learned(payload.owner_id, title=payload.content.title, procedure_code=payload.content.procedure_code)
    if isinstance(payload, DossierReceived):
        return Learned(payload.owner_id, lookup_code=payload.lookup_code)
    if isinstance(payload, PaymentRequested | DossierRescheduled | DossierDueSoon | DossierOverdue):
        return Learned(payload.owner_id)
    return None
