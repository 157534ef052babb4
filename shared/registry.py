"""Every message type hoso knows, to its payload model: for parsing, and for the published contract."""

from shared import commands as c
from shared import lifecycle as lc
from shared import messages as m
from shared.messages import Payload

MODELS: tuple[type[Payload], ...] = (
    # intake
    m.DraftCreated, m.DraftUpdated, m.DraftDeleted, m.DossierSubmitted,
    # processing
    lc.DossierWithdrawn, lc.DossierReceived, lc.DossierRejected, lc.SupplementRequested, lc.DueDateChanged,
    lc.ProcessingStarted, lc.ResultIssued, lc.ResultDeliveryChosen, lc.ResultReturned,
    # staff commands and their outcomes
    c.AcceptDossier, c.RejectDossier, c.RequestSupplement, c.StartProcessing, c.IssueResult, c.MarkReturned,
    c.CommandCompleted, c.CommandRejected,
)

PAYLOADS: dict[str, type[Payload]] = {model.model_fields["message_type"].default: model for model in MODELS}
