"""Who may call what, for every route of the gateway's OpenAPI: read from the running API's own document,
so that a new route joins the matrix by itself.

Rows are callers (no token, a garbage token, another citizen, a citizen on staff routes, staff on the
citizen's routes); more rows, such as the bad-JWT variants, are a `Caller` each in `CALLERS`. Each cell is
checked for exactly the right refusal: 401 without a valid token, 403 for the wrong role, 404 for a dossier
that is not the caller's (never its content, never a hint that it exists).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from services.sample_files import sample_pdf
from tests.e2e.client import new_draft, ok, sign_in, submitted_dossier
from tests.support.documents import attach
from tests.support.figures import report_figure
from tests.support.processes import free_port, running

pytestmark = pytest.mark.e2e

Route = tuple[str, str]  # method, path template


@dataclass(frozen=True)
class Caller:
    """One row: the headers a caller sends, and what each kind of route must answer them (None: not refused)."""

    name: str
    headers: Callable[["World"], dict[str, str]]
    staff_route: int | None
    citizen_route: int | None
    owned_route: int | None  # a route on one dossier of the citizen's: the caller's answer for it


@dataclass
class World:
    base_url: str
    owner: httpx.Client
    stranger: httpx.Client
    staff: httpx.Client
    values: dict[str, str]
    before: dict[str, dict[str, Any]]  # each of the owner's dossiers as it was before the matrix


def bearer(client: httpx.Client) -> dict[str, str]:
    return {"Authorization": client.headers["Authorization"]}


CALLERS = [
    Caller("no token", lambda _world: {}, 401, 401, 401),
    Caller("garbage token", lambda _world: {"Authorization": "Bearer khong.phai.token"}, 401, 401, 401),
    Caller("another citizen", lambda world: bearer(world.stranger), 403, None, 404),
    Caller("staff on a citizen's route", lambda world: bearer(world.staff), None, 403, 403),
]
# Any signed-in caller, whatever the role (each sees their own mail).
ANY_ROLE = {("get", "/v1/dev/mailbox"), ("get", "/v1/dev/sms")}


def valid_request(route: Route) -> dict[str, Any]:
    """A request the route would apply for its owner: a refusal must then come from who calls, not from what."""
    method, path = route
    if path.endswith("/documents/{code}") and method == "post":
        return {"files": {"file": ("tep.pdf", sample_pdf("tep"), "application/pdf")}}
    if path.endswith("/issue-result"):
        return {"data": {"summary": "Kết quả"}, "files": {"document": ("kq.pdf", sample_pdf("kq"), "application/pdf")}}
    bodies: dict[Route, dict[str, Any]] = {
            ("patch", "/v1/dossiers/{dossier_id}"): {"json": {"title": "Sửa"}, "headers": {"If-Match": "1"}},
            ("post", "/v1/dossiers"): {"json": new_draft()},
            ("put", "/v1/dossiers/{dossier_id}/result-delivery"): {"json": {"method": "online"}},
            ("put", "/v1/dossiers/{dossier_id}/rating"): {"json": {"level": "satisfied"}},
            ("post", "/v1/dossiers/{dossier_id}/payments"): {"json": {"method": "at_office"}},
            ("post", "/v1/staff/dossiers/{dossier_id}/{action}"): {"json": {}},
    }
    return bodies.get(route, {})


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0"}, f"{url}/readyz", "authorization"), \
            sign_in(url) as owner, sign_in(url) as stranger, sign_in(url, roles=["staff"]) as staff:
        draft = ok(owner.post("/v1/dossiers", json=new_draft()), 201)["id"]
        kept = attach(owner, draft, "don-de-nghi")
        sent = submitted_dossier(owner)
        yield World(url, owner, stranger, staff, {"draft": draft, "sent": sent, "code": "don-de-nghi",
                                                   "file_id": kept["id"]},
                    {dossier: ok(owner.get(f"/v1/dossiers/{dossier}")) for dossier in (draft, sent)})


def routes_of(world: World) -> dict[Route, dict[str, Any]]:
    spec = ok(httpx.get(f"{world.base_url}/openapi.json"))
    return {(method, path): operation for path, operations in spec["paths"].items() if path.startswith("/v1/")
            for method, operation in operations.items()}


def expected(caller: Caller, route: Route, operation: dict[str, Any]) -> int | None:
    if not operation.get("security"):
        return None  # public: nobody is refused for who they are
    path = route[1]
    if path.startswith("/v1/staff/"):
        return caller.staff_route
    if route in ANY_ROLE:
        return caller.citizen_route if caller.citizen_route == 401 else None
    return caller.owned_route if "{dossier_id}" in path else caller.citizen_route


def filled(path: str, world: World, dossier: str) -> str:
    values = {**world.values, "dossier_id": dossier, "action": "accept", "kind": "receipt"}
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def test_every_route_refuses_exactly_who_it_must(world: World) -> None:
    routes = routes_of(world)
    wrong: list[str] = []
    cells = 0
    for caller in CALLERS:
        for route, operation in sorted(routes.items()):
            want = expected(caller, route, operation)
            if want is None:
                continue
            # A route on one dossier: the draft (intake holds it) and the dossier sent (processing holds it).
            for dossier in (world.values["draft"], world.values["sent"]) if "{dossier_id}" in route[1] else ("",):
                request = valid_request(route)
                headers = {**request.pop("headers", {}), **caller.headers(world)}
                answer = httpx.request(route[0].upper(), world.base_url + filled(route[1], world, dossier),
                                       headers=headers, timeout=15, **request)
                cells += 1
                body = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
                if answer.status_code != want or set(body) != {"error"}:
                    wrong.append(f"{caller.name}: {route[0].upper()} {route[1]} ({dossier or '-'}) answered "
                                 f"{answer.status_code}, not {want}")
    report_figure("authorization matrix", f"{len(routes)} routes from the OpenAPI x {len(CALLERS)} callers",
                  f"{cells - len(wrong)} of {cells} refusals right", held=not wrong)
    assert not wrong, "\n".join(wrong)
    # Nothing the refused callers sent changed the owner's dossiers.
    assert {dossier: facts(ok(world.owner.get(f"/v1/dossiers/{dossier}"))) for dossier in world.before} == {
        dossier: facts(seen) for dossier, seen in world.before.items()}


def facts(detail: dict[str, Any]) -> tuple[Any, ...]:
    """What a refused command could have changed (not the notifications, which arrive when they do)."""
    return detail["version"], detail["status"], detail["title"], detail["documents"], detail["payment"]


def test_the_matrix_covers_every_route_that_needs_a_token(world: World) -> None:
    secured = {route for route, operation in routes_of(world).items() if operation.get("security")}
    refused_by_someone = {route for route, operation in routes_of(world).items()
                          if any(expected(caller, route, operation) for caller in CALLERS)}
    assert secured == refused_by_someone and len(secured) >= 20
