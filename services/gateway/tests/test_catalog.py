"""The procedures' catalog as the API answers it: documents (thành phần hồ sơ) and their blank forms."""

import zipfile
from collections.abc import AsyncIterator
from io import BytesIO

import httpx
import pytest
from fastapi import FastAPI

from services.gateway.api.catalog import router
from shared.http_errors import install_error_handlers
from shared.procedures import load_catalog


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        yield client


async def test_every_procedure_lists_its_documents_as_the_catalog_does(client: httpx.AsyncClient) -> None:
    answered = {procedure["code"]: procedure for procedure in (await client.get("/v1/procedures")).json()}
    for procedure in load_catalog().procedures:
        documents = answered[procedure.code]["documents"]
        assert [(d["code"], d["name"], d["required"], d["note"]) for d in documents] == [
            (d.code, d.name, d.required, d.note) for d in procedure.documents]
        assert all((d["template_url"] is None) == (source.template is None)
                   for d, source in zip(documents, procedure.documents, strict=True))


async def test_an_application_form_downloads_as_a_word_document(client: httpx.AsyncClient) -> None:
    procedure = (await client.get("/v1/procedures")).json()[0]
    form = procedure["documents"][0]
    answer = await client.get(form["template_url"])
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    assert answer.headers["x-content-type-options"] == "nosniff"
    with zipfile.ZipFile(BytesIO(answer.content)) as document:
        assert "ĐƠN ĐỀ NGHỊ" in document.read("word/document.xml").decode("utf-8").upper()


@pytest.mark.parametrize("path", [
    "/v1/procedures/SYT-KCB-01/templates/khong-co",  # no such document
    "/v1/procedures/KHONG-CO/templates/don-de-nghi",  # no such procedure
    "/v1/procedures/SYT-KCB-01/templates/..%2F..%2Fpyproject.toml",  # a path trick
    "/v1/procedures/SYT-KCB-01/templates/van-bang-chuyen-mon",  # a document without a template
])
async def test_anything_but_a_listed_template_is_not_found(client: httpx.AsyncClient, path: str) -> None:
    answer = await client.get(path)
    assert answer.status_code == 404
    # A path trick reaches no route at all.
    assert answer.json()["error"]["code"] in ("unknown_procedure_document", "not_found")
