"""The slips service's named errors: the refusal of its internal API, and the one reason to hold back."""

from shared.errors import DomainError


class SlipNotFound(DomainError):
    """No such slip for this dossier (the step did not happen, or the dossier is someone else's)."""

    code = "slip_not_found"
    http_status = 404
    message_vi = "Không tìm thấy phiếu của hồ sơ này: bước đó chưa diễn ra hoặc phiếu chưa được cấp."


class DossierNotKnownYet(Exception):
    """A step's event for a dossier whose submission has not reached the book yet: raised so that the bus
    delivers the event again later (and, in the end, dead-letters it)."""

    def __init__(self, dossier_id: str) -> None:
        self.dossier_id = dossier_id
        super().__init__(f"no submission known for dossier {dossier_id} yet")
