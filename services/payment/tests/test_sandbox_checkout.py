"""The sandbox's checkout page and buttons over HTTP, as a browser uses them, and the way back."""

from urllib.parse import urlsplit

from services.payment.tests.harness import LOOKUP_CODE, Harness
from shared.procedures import load_catalog


async def test_the_checkout_page_shows_the_dossier_the_payee_the_amount_and_items_with_two_buttons(
        payment: Harness) -> None:
    dossier_id = await payment.request()
    reference = await payment.paying_online(dossier_id)
    page = await payment.client.get(f"/sandbox/checkout/{reference}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="vi">' in html and "150.000 ₫" in html and "Phí thẩm định cấp lại giấy phép hành nghề" in html
    # Whose dossier is paid for, for what and to whom: the code, the procedure and the Department.
    assert LOOKUP_CODE in html and "Sở Y tế" in html.split("Thanh toán cho")[1].split("</dd>")[0]
    assert load_catalog().get("SYT-KCB-02").name in html
    assert f'action="{reference}/pay"' in html and f'action="{reference}/cancel"' in html
    assert ">Thanh toán</button>" in html and ">Huỷ</button>" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # nothing from elsewhere
    assert "default-src 'none'" in page.headers["content-security-policy"]


async def test_pressing_pay_reports_through_the_callback_and_goes_back_to_the_portal(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    reference = await payment.paying_online(dossier_id)
    pressed = await payment.client.post(f"/sandbox/checkout/{reference}/pay")
    assert pressed.status_code == 303
    assert (pressed.headers["x-dossier-version"], pressed.headers["x-dossier-status"]) == ("7", "paid")
    location = urlsplit(pressed.headers["location"])
    assert location.path == "/v1/payments/return/sandbox"
    record = await payment.record(dossier_id)
    assert (record["status"], record["payments"][0]["state"]) == ("paid", "paid")
    # The way back verifies what the sandbox reported and shows where the payment is.
    back = await payment.client.get(f"/returns/sandbox?{location.query}")
    assert "Thanh toán thành công" in back.text and record["payments"][0]["receipt_number"] in back.text
    forged = await payment.client.get(f"/returns/sandbox?{location.query.replace('amount=150000', 'amount=1')}")
    assert "Không xác nhận được kết quả" in forged.text
    # A frontend showing the outcome on a page of its own asks for JSON: the dossier it is about, verified.
    as_json = {"Accept": "application/json"}
    seen = (await payment.client.get(f"/returns/sandbox?{location.query}", headers=as_json)).json()
    assert (seen["verified"], seen["state"], seen["dossier_id"]) == (True, "paid", dossier_id)
    assert seen["receipt_number"] == record["payments"][0]["receipt_number"]
    forged_seen = await payment.client.get(f"/returns/sandbox?{location.query.replace('amount=150000', 'amount=1')}",
                                           headers=as_json)
    assert forged_seen.json()["verified"] is False and forged_seen.json()["dossier_id"] is None
    # The page now says it cannot be paid; pressing again changes nothing.
    assert "không còn thanh toán được" in (await payment.client.get(f"/sandbox/checkout/{reference}")).text
    await payment.client.post(f"/sandbox/checkout/{reference}/cancel")
    assert await payment.record(dossier_id) == record


async def test_pressing_cancel_fails_the_payment_and_the_citizen_may_pay_again(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    reference = await payment.paying_online(dossier_id)
    pressed = await payment.client.post(f"/sandbox/checkout/{reference}/cancel")
    assert (pressed.status_code, pressed.headers["x-dossier-version"]) == (303, "7")
    back = await payment.client.get(f"/returns/sandbox?{urlsplit(pressed.headers['location']).query}")
    assert "Đã huỷ giao dịch" in back.text
    assert (await payment.record(dossier_id))["payments"][0]["state"] == "cancelled"
    assert (await payment.pay(dossier_id, "online")).json()["version"] == 8


async def test_an_unknown_checkout_is_a_page_not_found(payment: Harness) -> None:
    for answer in (await payment.client.get("/sandbox/checkout/NOSUCHREFERENCE"),
                   await payment.client.post("/sandbox/checkout/NOSUCHREFERENCE/pay")):
        assert answer.status_code == 404 and "Không tìm thấy giao dịch" in answer.text
    assert payment.published("payment.callback_refused") == []


async def test_an_expired_checkout_takes_no_money(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    reference = await payment.paying_online(dossier_id)
    payment.clock.advance(minutes=16)
    assert "đã quá thời hạn thanh toán" in (await payment.client.get(f"/sandbox/checkout/{reference}")).text
    pressed = await payment.client.post(f"/sandbox/checkout/{reference}/pay")
    assert (pressed.status_code, pressed.headers["x-dossier-status"]) == (303, "payment_requested")
    record = await payment.record(dossier_id)
    assert (record["version"], record["payments"][0]["state"]) == (7, "failed")
