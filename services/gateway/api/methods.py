"""405 Method Not Allowed with the `Allow` of the resource, not of the first route that matched its path.

Starlette names only the methods of one route; a path served by several (a provider's callback takes GET and
POST, each its own route) would tell a client that the others do not exist.
"""

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.routing import BaseRoute, Match

from shared.http_errors import error_body

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(routes: list[BaseRoute], request: Request) -> list[str]:
    """Each method some route takes on this path (asked of the routes themselves: routers included)."""
    return [method for method in METHODS
            if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)]


async def method_not_allowed(request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse(error_body("method_not_allowed", "Phương thức không được hỗ trợ."), status_code=405,
                        headers={"Allow": ", ".join(allowed_methods(request.app.routes, request))})
