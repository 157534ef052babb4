"""Every message in Vietnamese, HTML and text, with the facts of its kind; people's text escaped in HTML."""

from typing import Any

import pytest

from services.notify.domain.mail import TemplateBroken
from services.notify.domain.notices import TEMPLATES
from services.notify.domain.rendering import Renderer, vn_date, vnd

CODE = "000.00.17.H00-260303-0001"
DOSSIER = {"title": "Cấp lại chứng chỉ hành nghề", "procedure_name": "Cấp mới giấy phép hành nghề",
           "lookup_code": CODE}
FACTS: dict[str, dict[str, Any]] = {
    "received": {"received_on": "2026-03-03", "due_date": "2026-03-31", "processing_days": 20},
    "supplement_requested": {"reason": "Bổ sung ảnh 4x6", "remaining_working_days": 15},
    "rejected": {"reason": "Thiếu bản sao văn bằng"},
    "payment_requested": {"amount_vnd": 360_000,
                          "items": [{"kind": "phi", "name": "Phí thẩm định", "amount_vnd": 300_000},
                                    {"kind": "le_phi", "name": "Lệ phí cấp giấy phép", "amount_vnd": 60_000}]},
    "paid": {"receipt_number": "BL-0001234", "amount_vnd": 360_000, "method": "at_office", "paid_on": "2026-03-06"},
    "result_ready": {"summary": "Chứng chỉ hành nghề số 123", "has_document": True},
    "result_returned": {"method": "postal"},
    "rescheduled": {"reason": "Chờ ý kiến thẩm định", "previous_due_date": "2026-03-31",
                    "new_due_date": "2026-04-07"},
    "due_soon": {"due_date": "2026-03-31", "working_days_left": 2},
    "overdue": {"due_date": "2026-03-31"},
    "deadline_staff": {"kind": "overdue", "due_date": "2026-03-31", "working_days_left": None},
}
# What each kind must say, in the text and the HTML alike.
SAYS = {
    "received": ["đã tiếp nhận", "03/03/2026", "31/03/2026", "20 ngày làm việc", f"/v1/lookup/{CODE}"],
    "supplement_requested": ["bổ sung", "Bổ sung ảnh 4x6", "15 ngày làm việc", "gửi lại"],
    "rejected": ["từ chối tiếp nhận", "Thiếu bản sao văn bằng"],
    "payment_requested": ["300.000 đồng", "60.000 đồng", "360.000 đồng", "Lệ phí", "trực tuyến",
                          "trực tiếp", "bưu chính"],
    "paid": ["BL-0001234", "360.000 đồng", "06/03/2026", "nộp trực tiếp"],
    "result_ready": ["đã có kết quả", "Chứng chỉ hành nghề số 123", "tải kết quả", "trực tiếp", "bưu điện"],
    "result_returned": ["đã trả kết quả", "qua dịch vụ bưu chính", "hoàn tất"],
    "rescheduled": ["xin lỗi", "Chờ ý kiến thẩm định", "31/03/2026", "Ngày hẹn trả kết quả mới: 07/04/2026"],
    "due_soon": ["sắp đến hạn", "còn 2 ngày làm việc", "31/03/2026"],
    "overdue": ["quá ngày hẹn", "31/03/2026", "thư xin lỗi"],
    "deadline_staff": ["phòng chuyên môn", "31/03/2026", "phiếu xin lỗi"],
}
SUBJECTS = {
    "received": f"Hồ sơ {CODE} đã được tiếp nhận",
    "supplement_requested": f"Yêu cầu bổ sung hồ sơ {CODE}",
    "rejected": f"Hồ sơ {CODE} không được tiếp nhận",
    "payment_requested": f"Yêu cầu thanh toán phí, lệ phí hồ sơ {CODE}",
    "paid": f"Xác nhận đã thanh toán hồ sơ {CODE}",
    "result_ready": f"Hồ sơ {CODE} đã có kết quả",
    "result_returned": f"Hồ sơ {CODE} đã trả kết quả",
    "rescheduled": f"Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {CODE}",
    "due_soon": f"Hồ sơ {CODE} sắp đến hạn trả kết quả",
    "overdue": f"Hồ sơ {CODE} đã quá hạn trả kết quả",
    "deadline_staff": f"[Quá hạn] Hồ sơ {CODE}",
}

renderer = Renderer("http://portal.example.vn/", "/v1/lookup/{lookup_code}")


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_kind_says_its_facts_in_vietnamese(template: str) -> None:
    mail = renderer.render(template, {**DOSSIER, **FACTS[template]})
    assert mail.subject == SUBJECTS[template]
    for body in (mail.text, mail.html):
        assert "Kính gửi Ông/Bà" in body and "Cổng Dịch vụ công Sở Y tế" in body
        assert "Cấp lại chứng chỉ hành nghề" in body and "http://portal.example.vn" in body
        for fact in SAYS[template]:
            assert fact in body, f"{template} does not say {fact!r}"
    assert mail.html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in mail.html
    assert "<" not in mail.text


def test_html_escapes_what_people_typed_and_text_keeps_it() -> None:
    mail = renderer.render("rejected", {**DOSSIER, "title": "<b>Hồ sơ</b> & cộng sự",
                                        "reason": '<script>alert("x")</script>'})
    assert "<script>" not in mail.html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in mail.html
    assert "&lt;b&gt;Hồ sơ&lt;/b&gt; &amp; cộng sự" in mail.html
    assert '<script>alert("x")</script>' in mail.text and "<b>Hồ sơ</b> & cộng sự" in mail.text
    assert mail.subject == f"Hồ sơ {CODE} không được tiếp nhận"


def test_before_reception_the_subject_names_the_title_and_on_one_line() -> None:
    mail = renderer.render("rejected", {**DOSSIER, "lookup_code": None, "title": "Hồ sơ <b>&</b>\r\nBcc: x@example.org",
                                        "reason": "r"})
    assert mail.subject == "Hồ sơ “Hồ sơ <b>&</b> Bcc: x@example.org” không được tiếp nhận"  # not HTML: not escaped
    mail = renderer.render("supplement_requested", {**DOSSIER, "lookup_code": None, "reason": "Thiếu ảnh",
                                                    "remaining_working_days": None})
    assert mail.subject == "Yêu cầu bổ sung hồ sơ “Cấp lại chứng chỉ hành nghề”"
    assert "Mã hồ sơ" not in mail.text and "ngày làm việc" not in mail.text


def test_a_dossier_known_by_neither_code_nor_title_is_the_citizens() -> None:
    mail = renderer.render("result_returned", {"title": None, "procedure_name": None, "lookup_code": None,
                                               "method": "at_office"})
    assert mail.subject == "Hồ sơ của Ông/Bà đã trả kết quả"
    assert "None" not in mail.text and "None" not in mail.html


def test_a_payment_request_says_why_when_staff_said_so() -> None:
    additional = {**DOSSIER, **FACTS["payment_requested"], "reason": "Thẩm định thực tế lần hai"}
    for facts, says in ((additional, True), ({**additional, "reason": None}, False),
                        # Recorded before requests carried a reason: no such fact, and no broken template.
                        ({**DOSSIER, **FACTS["payment_requested"]}, False)):
        mail = renderer.render("payment_requested", facts)
        for body in (mail.text, mail.html):
            assert ("Lý do yêu cầu thanh toán" in body) is says
            assert ("Thẩm định thực tế lần hai" in body) is says


def test_result_without_a_document_offers_no_download() -> None:
    mail = renderer.render("result_ready", {**DOSSIER, **FACTS["result_ready"], "has_document": False})
    assert "tải kết quả" not in mail.text and "tải kết quả" not in mail.html


def test_a_missing_fact_is_a_broken_template_not_a_blank() -> None:
    with pytest.raises(TemplateBroken):
        renderer.render("received", DOSSIER)
    with pytest.raises(TemplateBroken):
        renderer.render("no_such_kind", DOSSIER)


def test_amounts_and_dates_as_written_in_vietnam() -> None:
    assert vnd(360_000) == "360.000 đồng" and vnd(1_250_500) == "1.250.500 đồng" and vnd(0) == "0 đồng"
    assert vn_date("2026-03-31") == "31/03/2026" and vn_date(None) == ""


@pytest.mark.parametrize(("template", "kind"), [("supplement_requested", "supplement"), ("rejected", "refusal"),
                                                ("paid", "fee-receipt"), ("rescheduled", "apology")])
def test_the_steps_mail_links_to_its_slip_on_the_portal(template: str, kind: str) -> None:
    rendered = Renderer("https://dichvucong.example", "/tra-cuu?ma={lookup_code}").render(
        template, {**DOSSIER, **FACTS[template], "dossier_id": "d-42"})
    link = f"https://dichvucong.example/ho-so/d-42/phieu/{kind}"
    assert link in rendered.text and f'href="{link}"' in rendered.html
    assert "chữ ký số" in rendered.text


def test_the_acceptance_mail_says_its_receipt_is_attached_only_when_it_is() -> None:
    renderer = Renderer("https://dichvucong.example", "/tra-cuu?ma={lookup_code}")
    attached = renderer.render("received", {**DOSSIER, **FACTS["received"], "slip": {"slip_id": "s"}})
    plain = renderer.render("received", {**DOSSIER, **FACTS["received"]})
    assert "được đính kèm thư này" in attached.text and "được đính kèm thư này" in attached.html
    assert "đính kèm" not in plain.text
