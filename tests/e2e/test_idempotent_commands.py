"""Retrying a command is safe: every command route of the API, each sent three times with one
`Idempotency-Key` (two at once, then once more), is applied once and answers the three the same.

The routes come from the gateway's own OpenAPI, so a new command route fails the coverage check until it
is exercised here. Against `make run` and `make run-services` alike.
"""

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from urllib.parse import urljoin
from uuid import uuid4

import httpx
import pytest

from services.sample_files import sample_pdf
from shared.staff_actions import STAFF_ACTIONS
from shared.working_calendar import load_calendar
from tests.e2e.client import detail, new_draft, ok, submitted_dossier
from tests.e2e.conftest import Product
from tests.support.documents import attach, required_documents
from tests.support.figures import report_figure

pytestmark = pytest.mark.e2e

COMMAND_METHODS = {"post", "put", "patch", "delete"}
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
CALENDAR = load_calendar()


class KeyedCommands:
    """Sends commands with a fresh key three times, and remembers which routes and staff actions it sent."""

    def __init__(self) -> None:
        self.routes: set[tuple[str, str]] = set()
        self.actions: set[str] = set()
        self.sent = 0
        self.held = False  # set by the test once every assertion passed: the figure says so

    def send(self, client: httpx.Client, method: str, route: str, path: str, **request: Any) -> httpx.Response:
        self.routes.add((method.lower(), route))
        if route.endswith("/{action}"):
            self.actions.add(path.rsplit("/", 1)[1])
        elif route.endswith("/issue-result"):
            self.actions.add("issue-result")
        headers = {**request.pop("headers", {}), "Idempotency-Key": f"thu-lai-{uuid4().hex}"}

        def once(_: int) -> httpx.Response:
            return client.request(method, path, headers=headers, **request)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(once, range(2)))
        answers.append(once(2))
        self.sent += 1
        first = answers[0]
        assert {(a.status_code, a.content) for a in answers} == {(first.status_code, first.content)}, (
            method, path, [(a.status_code, a.text) for a in answers])
        # One of the three ran the command; the two others were given its answer.
        assert [a.headers.get("idempotent-replayed") for a in answers].count("true") == 2, (method, path)
        return first


@pytest.fixture()
def keyed(product: Product) -> Iterator[KeyedCommands]:
    sender = KeyedCommands()
    yield sender
    report_figure(f"idempotent commands ({product.mode})", f"{sender.sent} commands x3 with one key (2 at once + 1)",
                  f"{len(sender.routes)} routes, {len(sender.actions)} staff actions, each applied once",
                  held=sender.held)


def version_of(client: httpx.Client, path: str) -> int:
    version: int = ok(client.get(path))["version"]
    return version


def test_every_command_route_applies_once_however_often_it_is_sent(
        keyed: KeyedCommands, citizen: httpx.Client, staff: httpx.Client, base_url: str) -> None:
    def drafts() -> int:
        total: int = ok(citizen.get("/v1/dossiers", params={"status": "draft"}))["total"]
        return total

    created = ok(keyed.send(citizen, "POST", "/v1/dossiers", "/v1/dossiers", json=new_draft()), 201)
    dossier = created["id"]
    assert drafts() == 1
    codes = [document["code"] for document in required_documents(citizen, "SYT-KCB-01")]
    attached = ok(keyed.send(citizen, "POST", "/v1/dossiers/{dossier_id}/documents/{code}",
                             f"/v1/dossiers/{dossier}/documents/{codes[0]}",
                             files={"file": ("van-bang.pdf", sample_pdf("van bang"), "application/pdf")}), 201)
    for code in codes[1:]:
        attach(citizen, dossier, code)
    spare = attach(citizen, dossier, codes[0], filename="thua.pdf")
    keyed.send(citizen, "DELETE", "/v1/dossiers/{dossier_id}/documents/{code}/{file_id}",
               f"/v1/dossiers/{dossier}/documents/{codes[0]}/{spare['id']}")
    [first_document] = [d for d in detail(citizen, dossier)["documents"] if d["code"] == codes[0]]
    assert [file["id"] for file in first_document["files"]] == [attached["id"]]

    steps: list[tuple[httpx.Client, str, str, str, dict[str, Any], str]] = [
        (citizen, "PATCH", "/v1/dossiers/{dossier_id}", "", {"json": {"title": "Giấy phép hành nghề (đã sửa)"}},
         "draft"),
        (citizen, "POST", "/v1/dossiers/{dossier_id}/submit", "/submit", {}, "submitted"),
        (citizen, "POST", "/v1/dossiers/{dossier_id}/withdraw", "/withdraw", {}, "draft"),
    ]
    for client, method, route, suffix, request, status in steps:
        if method == "PATCH":
            request["headers"] = {"If-Match": str(version_of(citizen, f"/v1/dossiers/{dossier}"))}
        answer = ok(keyed.send(client, method, route, f"/v1/dossiers/{dossier}{suffix}", **request))
        assert answer["status"] == status and version_of(citizen, f"/v1/dossiers/{dossier}") == answer["version"]
    ok(citizen.post(f"/v1/dossiers/{dossier}/submit"))

    def staff_act(action: str, status: str, **request: Any) -> dict[str, Any]:
        route = "/v1/staff/dossiers/{dossier_id}/" + ("issue-result" if action == "issue-result" else "{action}")
        answer: dict[str, Any] = ok(keyed.send(staff, "POST", route, f"/v1/staff/dossiers/{dossier}/{action}",
                                               **request))
        assert answer["status"] == status
        assert version_of(staff, f"/v1/staff/dossiers/{dossier}") == answer["version"]
        return answer

    staff_act("accept", "received")
    staff_act("request-supplement", "supplement_requested", json={"reason": "Thiếu bản sao văn bằng."})
    ok(citizen.post(f"/v1/dossiers/{dossier}/submit"))
    ok(staff.post(f"/v1/staff/dossiers/{dossier}/accept"))
    staff_act("start-processing", "processing")
    due = date.fromisoformat(detail(citizen, dossier)["due_date"])
    staff_act("reschedule", "processing", json={"new_due_date": CALENDAR.add_working_days(due, 5).isoformat(),
                                                "reason": "Cần xác minh văn bằng với cơ sở đào tạo."})
    staff_act("request-payment", "payment_requested")
    paying = ok(keyed.send(citizen, "POST", "/v1/dossiers/{dossier_id}/payments", f"/v1/dossiers/{dossier}/payments",
                           json={"method": "at_office"}))
    assert paying["state"] == "pending"
    staff_act("confirm-payment", "paid", json={"method": "at_office", "receipt_number": "0001234"})
    staff_act("issue-result", "result_ready", data={"summary": "Cấp giấy phép số 77/GP."},
              files={"document": ("giay-phep.pdf", sample_pdf("giay phep"), "application/pdf")})
    chosen = ok(keyed.send(citizen, "PUT", "/v1/dossiers/{dossier_id}/result-delivery",
                           f"/v1/dossiers/{dossier}/result-delivery", json={"method": "at_office"}))
    assert version_of(citizen, f"/v1/dossiers/{dossier}") == chosen["version"]
    staff_act("mark-returned", "result_returned", json={"method": "at_office"})
    rated = ok(keyed.send(citizen, "PUT", "/v1/dossiers/{dossier_id}/rating", f"/v1/dossiers/{dossier}/rating",
                          json={"level": "satisfied"}))
    assert version_of(citizen, f"/v1/dossiers/{dossier}") == rated["version"]
    history = [entry["to"] for entry in detail(citizen, dossier)["history"]]
    assert history == ["draft", "submitted", "draft", "submitted", "received", "supplement_requested", "submitted",
                       "received", "processing", "processing", "payment_requested", "paid", "result_ready",
                       "result_returned"]

    # Refused once, refused the same each time: a rejection, and a deleted draft.
    dossier = submitted_dossier(citizen)
    staff_act("reject", "rejected", json={"reason": "Hồ sơ không thuộc thẩm quyền của Sở."})
    gone = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
    keyed.send(citizen, "DELETE", "/v1/dossiers/{dossier_id}", f"/v1/dossiers/{gone}")
    assert citizen.get(f"/v1/dossiers/{gone}").status_code == 404

    # The doors without a login: the sandbox's checkout buttons, a provider's report, a development token.
    with httpx.Client(base_url=base_url, timeout=15) as browser:
        dossier = submitted_dossier(citizen)
        for action in ("accept", "start-processing", "request-payment"):
            ok(staff.post(f"/v1/staff/dossiers/{dossier}/{action}"))
        started = ok(citizen.post(f"/v1/dossiers/{dossier}/payments", json={"method": "online"}))
        page = browser.get(started["checkout_url"])
        [pay] = [action for action in FORM_ACTION.findall(page.text) if action.endswith("/pay")]
        pressed = keyed.send(browser, "POST", "/v1/payments/sandbox/checkout/{reference}/{button}",
                             urljoin(str(page.url), pay))
        assert pressed.status_code == 303
        assert detail(citizen, dossier)["status"] == "paid"
        keyed.send(browser, "POST", "/v1/payments/callbacks/{provider}", "/v1/payments/callbacks/sandbox",
                   data={"reference": "KHONGCO", "signature": "gia-mao"})
        token = keyed.send(browser, "POST", "/v1/dev/token", "/v1/dev/token", json={
            "sub": f"citizen-{uuid4().hex[:6]}", "name": "Người thử", "email": "thu@example.vn"})
        assert token.status_code == 200

    spec = ok(citizen.get("/openapi.json"))
    routes = {(method, path) for path, operations in spec["paths"].items() if path.startswith("/v1/")
              for method in operations if method in COMMAND_METHODS}
    assert keyed.routes == routes
    assert keyed.actions == {action.name for action in STAFF_ACTIONS}
    keyed.held = True


def test_a_key_is_one_request_of_one_caller(citizen: httpx.Client, other_citizen: httpx.Client) -> None:
    key = {"Idempotency-Key": f"ho-so-{uuid4().hex}"}
    first = ok(citizen.post("/v1/dossiers", json=new_draft("Hồ sơ thứ nhất"), headers=key), 201)
    # Another request under the same key: refused, nothing created.
    reused = citizen.post("/v1/dossiers", json=new_draft("Hồ sơ khác"), headers=key)
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"
    assert "khoá mới" in reused.json()["error"]["message"]
    # The same JSON written otherwise is the same request.
    spaced = json.dumps(new_draft("Hồ sơ thứ nhất"), indent=2, ensure_ascii=False).encode()
    again = citizen.post("/v1/dossiers", content=spaced, headers={**key, "Content-Type": "application/json"})
    assert (again.status_code, again.json()) == (201, first)
    assert ok(citizen.get("/v1/dossiers"))["total"] == 1
    # Another citizen's key is theirs: the same key and body create their own draft, never show the first.
    theirs = ok(other_citizen.post("/v1/dossiers", json=new_draft("Hồ sơ thứ nhất"), headers=key), 201)
    assert theirs["id"] != first["id"]
    for bad in (b"", b"x" * 256, "khoá có dấu".encode(), b"hai tu"):
        refused = citizen.post("/v1/dossiers", json=new_draft(), headers={b"Idempotency-Key": bad})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_idempotency_key", bad
    assert ok(citizen.get("/v1/dossiers"))["total"] == 1
