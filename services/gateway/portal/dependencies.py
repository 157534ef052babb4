"""What the portal's pages are given, as `Annotated` aliases they declare by name.

The API as the person at the browser, the catalogs, and who may see which page (citizens' pages, staff
pages); and the names a dossier id may have.
"""

import re
from typing import Annotated

from fastapi import Depends, Request

from services.gateway.portal.adapters.catalogs import Catalogs, load_catalogs
from services.gateway.portal.adapters.public_api import PortalApi, SignInRequired, portal_api
from services.gateway.portal.session import Visitor, visitor_of

_DOSSIER_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class WrongDoor(Exception):
    """A signed-in person on a page that is for the other role; they go to their own home page."""

    def __init__(self, home: str) -> None:
        super().__init__(home)
        self.home = home


class StaffOnly(Exception):
    """A signed-in citizen on a staff page: told so (403), not sent elsewhere without a word."""


class PageNotFound(Exception):
    """An address the portal has no page for (a malformed dossier id)."""


ApiDep = Annotated[PortalApi, Depends(portal_api)]
CatalogsDep = Annotated[Catalogs, Depends(load_catalogs)]


def citizen_only(request: Request) -> Visitor:
    visitor = visitor_of(request)
    if visitor.principal is None:
        raise SignInRequired()
    if not visitor.is_citizen:
        raise WrongDoor("/can-bo")
    return visitor


def staff_only(request: Request) -> Visitor:
    visitor = visitor_of(request)
    if visitor.principal is None:
        raise SignInRequired()
    if not visitor.is_staff:
        raise StaffOnly()
    return visitor


def checked_id(dossier_id: str) -> str:
    if not _DOSSIER_ID.match(dossier_id):
        raise PageNotFound()
    return dossier_id


CitizenVisitor = Annotated[Visitor, Depends(citizen_only)]
StaffVisitor = Annotated[Visitor, Depends(staff_only)]
