"""Every message type hoso knows, to its payload model: for parsing, and for the published contract."""

from shared import commands as c
from shared import lifecycle as lc
from shared import messages as m
from shared import notifications as n
from shared import payments as p
from shared import slips as s
from shared.messages import Payload

MODELS: tuple[type[Payload], ...] = (
    # intake
    m.DraftCreated, m.DraftUpdated, m.DraftDeleted, m.DocumentAttached, m.DocumentRemoved, m.DossierSubmitted,
    # processing
    lc.DossierWithdrawn, lc.DossierReceived, lc.DossierRejected, lc.SupplementRequested, lc.DueDateChanged,
    lc.DossierRescheduled, lc.DossierDueSoon, lc.DossierOverdue,
    lc.ProcessingStarted, lc.ResultIssued, lc.ResultDeliveryChosen, lc.ResultReturned, lc.DossierRated,
    # payment
    p.PaymentRequested, p.PaymentStarted, p.PaymentFailed, p.DossierPaid, p.PaymentCompleted,
    p.PaymentCallbackRefused, p.PaidFeesRecalled,
    # notify
    n.NotificationSent, n.NotificationFailed,
    # slips
    s.SlipIssued,
    # staff commands and their outcomes
    c.AcceptDossier, c.RejectDossier, c.RequestSupplement, c.StartProcessing, c.IssueResult, c.MarkReturned,
    c.RescheduleDossier,    p.RequestPayment, p.ConfirmPayment, c.CommandCompleted, c.CommandRejected,
)

PAYLOADS: dict[str, type[Payload]] = {model.model_fields["message_type"].default: model for model in MODELS}
