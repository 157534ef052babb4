"""The slips service's internal HTTP API, behind the gateway: a slip's signed PDF (for its owner, or for
staff and notify), a dossier's slips, and the certificate that verifies them."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import StreamingResponse

from services.slips import handlers
from services.slips.dependencies import Slips
from services.slips.schemas import SlipPublic, SlipsPublic
from shared.errors import DomainError
from shared.http_files import attachment_headers
from shared.slips import SLIP_KIND_PATTERN

DossierId = Annotated[str, Path(min_length=1, max_length=64)]
Kind = Annotated[str, Path(pattern=SLIP_KIND_PATTERN)]


class OwnerOrStaff(DomainError):
    code = "owner_or_staff"
    http_status = 422
    message_vi = "Cần cho biết chủ hồ sơ (owner_id) hoặc yêu cầu của cán bộ (for_staff=true)."


def slips_router(slips: Slips) -> APIRouter:
    router = APIRouter(tags=["slips"])

    @router.get("/dossiers/{dossier_id}/slips/{kind}", response_class=StreamingResponse,
                responses={200: {"content": {"application/pdf": {}}}})
    async def download_slip(
        dossier_id: DossierId, kind: Kind,
        owner_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
        for_staff: bool = False,
        slip_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    ) -> StreamingResponse:
        # Never neither: a forgotten owner must not open every citizen's slips.
        if owner_id is None and not for_staff:
            raise OwnerOrStaff()
        found = await handlers.open_slip(slips, dossier_id, kind, owner_id=owner_id, slip_id=slip_id)
        headers = attachment_headers(found.slip.filename, "application/pdf", found.slip.size)
        return StreamingResponse(found.chunks, media_type=headers.pop("Content-Type"), headers=headers)

    @router.get("/dossiers/{dossier_id}/slips")
    async def slips_of_dossier(dossier_id: DossierId) -> SlipsPublic:
        return SlipsPublic(dossier_id=dossier_id,
                           items=[SlipPublic.of(slip) for slip in await slips.register.of_dossier(dossier_id)])

    @router.get("/certificate", response_class=Response, responses={200: {"content": {"application/x-pem-file": {}}}})
    async def signing_certificate() -> Response:
        """The certificate whose key signs the slips (PEM), to verify them with."""
        return Response(slips.signer.certificate_pem, media_type="application/x-pem-file")

    return router
