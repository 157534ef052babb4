"""What notify knows of a dossier to address and word its mail (its recipient book), and what each event
teaches it.

The recipient is the address the citizen registered with their account: the token's `email` claim, which
intake captures as `owner_email` and which travels in the owner-bearing events below. Never the
applicant's email typed into the form, which anyone filling the form may have written.
"""

from dataclasses import dataclass

from shared.lifecycle import DossierReceived
from shared.messages import DossierSubmitted, DraftCreated, Payload
from shared.payments import PaymentRequested

# The events that name the dossier's owner (and so its registered address), besides the notices' own.
FACT_TYPES = ("dossier.draft_created", "dossier.submitted")


@dataclass(frozen=True)
class DossierFacts:
    """The book's entry: an entry exists once an event named the owner, even one with no address."""

    owner_email: str | None
    title: str | None = None
    procedure_code: str | None = None
    lookup_code: str | None = None
    owner_phone: str | None = None  # the account's phone (the token's phone_number claim): SMS goes there


@dataclass(frozen=True)
class Learned:
    owner_id: str
    owner_email: str | None
    owner_phone: str | None = None
    # The content as of this event's version (a later submission's title replaces an earlier one).
    title: str | None = None
    procedure_code: str | None = None
    # Given once, on reception; a supplement keeps it.
    lookup_code: str | None = None


def learned_from(payload: Payload) -> Learned | None:
    """What an event tells about its dossier's owner and content, or None when it tells nothing."""
    if isinstance(payload, DraftCreated | DossierSubmitted):
        return Learned(payload.owner_id, payload.owner_email, payload.owner_phone, title=payload.content.title,
                       procedure_code=payload.content.procedure_code)
    if isinstance(payload, DossierReceived):
        return Learned(payload.owner_id, payload.owner_email, lookup_code=payload.lookup_code)
    if isinstance(payload, PaymentRequested):
        return Learned(payload.owner_id, payload.owner_email)
    return None
