"""Processing and the result (giải quyết, trả kết quả): start processing, issue the result, the citizen's
choice of delivery, the online download, and marking the result returned. Pure decisions, no I/O."""

from dataclasses import replace
from datetime import datetime

from services.processing.domain.dossier import Delivery, Dossier, Result
from services.processing.errors import (
    DeliveryChoiceNotOpen,
    OnlineDeliveryNotChosen,
    PostalAddressRequired,
    ResultHasNoDocument,
    ResultNotAvailable,
)
from shared.errors import InvalidCommand
from shared.holder.write import Change
from shared.lifecycle import (
    DeliveryMethod,
    ProcessingStarted,
    ResultDeliveryChosen,
    ResultDocument,
    ResultIssued,
    ResultReturned,
)
from shared.statuses import Status, ensure_can_move

WITH_RESULT = frozenset({Status.RESULT_READY, Status.RESULT_RETURNED})


def start_processing(dossier: Dossier, now: datetime) -> Change[Dossier]:
    """Start handling the dossier (đang giải quyết), after reception or after payment."""
    ensure_can_move(dossier.status, Status.PROCESSING)
    started = replace(dossier, status=Status.PROCESSING, version=dossier.version + 1, updated_at=now)
    return Change(started, [ProcessingStarted(from_status=dossier.status)])


def ensure_can_issue_result(dossier: Dossier) -> None:
    ensure_can_move(dossier.status, Status.RESULT_READY)


def issue_result(dossier: Dossier, summary: str, document: ResultDocument | None, now: datetime) -> Change[Dossier]:
    """The leadership approved the result (đã có kết quả); the document is referred to, never carried."""
    ensure_can_issue_result(dossier)
    result = Result(summary=summary, issued_at=now, document=document)
    issued = replace(dossier, status=Status.RESULT_READY, version=dossier.version + 1, updated_at=now,
                     result=result)
    return Change(issued, [ResultIssued(from_status=dossier.status, summary=summary, document=document)])


def choose_delivery(dossier: Dossier, delivery: Delivery, now: datetime) -> Change[Dossier] | None:
    """Record how the citizen will receive the result; None when that is already the choice."""
    if dossier.status is not Status.RESULT_READY or dossier.result is None:
        raise DeliveryChoiceNotOpen(status=dossier.status)
    if delivery.method == "postal" and not (delivery.postal_address or "").strip():
        raise PostalAddressRequired()
    if delivery.method == "online" and dossier.result.document is None:
        raise ResultHasNoDocument()
    if delivery.method != "postal":
        delivery = Delivery(delivery.method)
    if dossier.result.delivery == delivery:
        return None
    chosen = replace(dossier, result=replace(dossier.result, delivery=delivery),
                     version=dossier.version + 1, updated_at=now)
    return Change(chosen, [ResultDeliveryChosen(method=delivery.method, postal_address=delivery.postal_address)])


def ensure_downloadable(dossier: Dossier) -> ResultDocument:
    """The document the citizen may download now: there is one and they chose to receive it online."""
    if dossier.status not in WITH_RESULT or dossier.result is None:
        raise ResultNotAvailable(status=dossier.status)
    if dossier.result.document is None:
        raise ResultHasNoDocument()
    if dossier.result.delivery is None or dossier.result.delivery.method != "online":
        raise OnlineDeliveryNotChosen()
    return dossier.result.document


def return_online(dossier: Dossier, now: datetime) -> Change[Dossier] | None:
    """The citizen downloads the result: the first download returns it (đã trả kết quả); later ones don't."""
    ensure_downloadable(dossier)
    if dossier.status is Status.RESULT_RETURNED:
        return None
    return _returned(dossier, "online", now)


def mark_returned(dossier: Dossier, method: DeliveryMethod | None, now: datetime,
                  tracking_number: str | None = None) -> Change[Dossier]:
    """Staff handed the result over at the office or sent it by post: by default the way the citizen chose,
    with the post's tracking number (mã vận đơn) for a result posted."""
    ensure_can_move(dossier.status, Status.RESULT_RETURNED)
    assert dossier.result is not None
    chosen = dossier.result.delivery
    if method is None:
        if chosen is None or chosen.method == "online":
            # Online, the citizen's own download returns it; staff handing it over must say how they did.
            raise InvalidCommand({"method": "Chọn hình thức trả kết quả (tại cơ quan hoặc qua bưu điện)."})
        method = chosen.method
    tracking = (tracking_number or "").strip() or None
    if tracking is not None and method != "postal":
        raise InvalidCommand({"tracking_number": "Mã vận đơn chỉ dùng khi gửi kết quả qua bưu điện."})
    return _returned(dossier, method, now, tracking)


def _returned(dossier: Dossier, method: DeliveryMethod, now: datetime,
              tracking_number: str | None = None) -> Change[Dossier]:
    assert dossier.result is not None
    chosen = dossier.result.delivery
    address = chosen.postal_address if chosen and chosen.method == method else None
    result = replace(dossier.result, delivery=Delivery(method, address, tracking_number))
    returned = replace(dossier, status=Status.RESULT_RETURNED, version=dossier.version + 1, updated_at=now,
                       result=result)
    return Change(returned, [ResultReturned(method=method, tracking_number=tracking_number)])
