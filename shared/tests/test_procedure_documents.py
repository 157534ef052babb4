"""Each procedure lists its component documents (thành phần hồ sơ), and its application form ships as a blank
template a citizen can open in Word or LibreOffice; template lookups refuse unknown codes and path tricks."""

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pydantic import ValidationError

from shared.catalog import make_templates
from shared.errors import UnknownProcedure, UnknownProcedureDocument
from shared.procedures import DEFAULT_FILE, Procedure, ProcedureCatalog, load_catalog

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOCX_PARTS = {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"}


def text_of(docx: Path) -> str:
    """The text a reader sees in a .docx: every w:t of word/document.xml, parsed as XML."""
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    assert root.tag == f"{W}document"
    return "".join(node.text or "" for node in root.iter(f"{W}t"))


def procedure_entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "code": "X-01", "name": "Thủ tục thử", "field": "Dược", "fee_items": [], "processing_days": 5,
        "form_fields": [],
        "documents": [{"code": "don-de-nghi", "name": "Đơn đề nghị", "required": True, "note": None,
                       "template": None}],
    }
    return {**entry, **changes}


def test_every_procedure_asks_for_required_documents_led_by_its_application_form() -> None:
    for procedure in load_catalog().procedures:
        assert any(document.required for document in procedure.documents), procedure.code
        form = procedure.application_form
        assert form is not None and form.required and form.template, procedure.code
        codes = [document.code for document in procedure.documents]
        assert len(codes) == len(set(codes)), procedure.code
        assert all(SLUG.match(code) for code in codes), procedure.code
        assert all(document.name.strip() for document in procedure.documents), procedure.code


def test_every_template_is_a_word_document_with_the_forms_title() -> None:
    catalog = load_catalog()
    for procedure in catalog.procedures:
        for document in procedure.documents:
            path = catalog.template_path(procedure.code, document.code)
            if document.template is None:
                assert path is None
                continue
            assert path is not None and path.stat().st_size > 0
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
                assert set(archive.namelist()) >= DOCX_PARTS
                for name in archive.namelist():
                    if name.endswith((".xml", ".rels")):
                        ElementTree.fromstring(archive.read(name))
            text = text_of(path)
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
            assert "Kính gửi: Sở Y tế tỉnh" in text and "……" in text
            assert "cam kết" in text or "cam đoan" in text


def test_the_committed_templates_are_what_the_generator_writes_from_the_catalog() -> None:
    forms = make_templates.catalog_forms()
    assert {form.procedure for _, form, _ in forms} == {p.code for p in load_catalog().procedures}
    for file_name, form, documents in forms:
        with zipfile.ZipFile(make_templates.TEMPLATES_DIR / file_name) as archive:
            committed = {name: archive.read(name) for name in archive.namelist()}
        assert committed == make_templates.parts(form, documents), f"{file_name}: run make_templates"
        text = text_of(make_templates.TEMPLATES_DIR / file_name)
        assert form.title in text and form.subtitle in text
        # The form lists the documents to attach, as the catalog names them.
        assert all(str(document["name"]) in text for document in documents[1:])


def test_every_template_in_the_folder_is_named_by_the_catalog() -> None:
    named = {d.template for p in load_catalog().procedures for d in p.documents if d.template}
    assert named == {path.name for path in make_templates.TEMPLATES_DIR.iterdir()}


def test_a_document_is_found_by_its_code_and_unknown_codes_are_refused() -> None:
    catalog = load_catalog()
    assert catalog.document("SYT-KCB-01", "van-bang-chuyen-mon").required
    assert catalog.get("SYT-KCB-01").document("anh-chan-dung").name.startswith("02 ảnh")
    with pytest.raises(UnknownProcedureDocument):
        catalog.document("SYT-KCB-01", "khong-co")
    with pytest.raises(UnknownProcedure):
        catalog.template_path("KHONG-CO", "don-de-nghi")
    path = catalog.template_path("SYT-KCB-01", "don-de-nghi")
    assert path is not None and path.name == "syt-kcb-01-don-de-nghi.docx"
    assert catalog.template_path("SYT-KCB-01", "van-bang-chuyen-mon") is None


@pytest.mark.parametrize("trick", [
    "../procedures.json", "../../procedures.py", "/etc/passwd", str(DEFAULT_FILE), "templates/x.docx",
    "syt-kcb-01-don-de-nghi.docx", "don-de-nghi/../../x", "", ".", "..", "don-de-nghi\x00",
])
def test_template_lookup_refuses_path_tricks(trick: str) -> None:
    with pytest.raises(UnknownProcedureDocument):
        load_catalog().template_path("SYT-KCB-01", trick)
    with pytest.raises(UnknownProcedure):
        load_catalog().template_path(trick, "don-de-nghi")


@pytest.mark.parametrize("template", ["../procedures.json", "/etc/passwd", "a/b.docx", ".hidden.docx", "x.exe"])
def test_a_template_name_with_a_folder_or_an_odd_extension_is_refused_at_load(template: str) -> None:
    documents = [{"code": "don-de-nghi", "name": "Đơn", "required": True, "template": template}]
    with pytest.raises(ValidationError):
        Procedure.model_validate(procedure_entry(documents=documents))


@pytest.mark.parametrize("code", ["Don-De-Nghi", "don_de_nghi", "đơn", "don--de", "-don", "don de nghi", "../x"])
def test_a_document_code_that_is_not_a_slug_is_refused_at_load(code: str) -> None:
    documents = [{"code": code, "name": "Đơn", "required": True}]
    with pytest.raises(ValidationError):
        Procedure.model_validate(procedure_entry(documents=documents))


def test_a_document_code_listed_twice_in_a_procedure_is_refused_at_load() -> None:
    twice = [{"code": "don-de-nghi", "name": "Đơn", "required": True}] * 2
    with pytest.raises(ValidationError, match="don-de-nghi"):
        Procedure.model_validate(procedure_entry(documents=twice))


def test_a_catalog_naming_a_missing_template_fails_at_load(tmp_path: Path) -> None:
    documents = [{"code": "don-de-nghi", "name": "Đơn", "required": True, "template": "khong-co.docx"}]
    catalog_file = tmp_path / "procedures.json"
    catalog_file.write_text(json.dumps({"procedures": [procedure_entry(documents=documents)]}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"khong-co\.docx"):
        load_catalog(str(catalog_file))


def test_an_operators_catalog_finds_its_templates_beside_it_and_may_omit_documents(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "don.docx").write_bytes(b"PK")
    documents = [{"code": "don-de-nghi", "name": "Đơn", "required": True, "template": "don.docx"}]
    entries = [procedure_entry(documents=documents), procedure_entry(code="X-02")]
    del entries[1]["documents"]
    catalog_file = tmp_path / "procedures.json"
    catalog_file.write_text(json.dumps({"procedures": entries}), encoding="utf-8")
    catalog = load_catalog(str(catalog_file))
    assert catalog.template_path("X-01", "don-de-nghi") == (tmp_path / "templates" / "don.docx").resolve()
    assert catalog.get("X-02").documents == () and catalog.get("X-02").application_form is None


def test_a_template_linked_out_of_the_templates_folder_is_not_served(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "secret.docx").write_bytes(b"PK")
    (tmp_path / "templates" / "don.docx").symlink_to(tmp_path / "secret.docx")
    documents = [{"code": "don-de-nghi", "name": "Đơn", "required": True, "template": "don.docx"}]
    catalog = ProcedureCatalog([Procedure.model_validate(procedure_entry(documents=documents))],
                               templates_dir=tmp_path / "templates")
    with pytest.raises(UnknownProcedureDocument):
        catalog.template_path("X-01", "don-de-nghi")
