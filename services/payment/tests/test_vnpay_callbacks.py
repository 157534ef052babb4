"""VNPay through the real bootstrap (PAYMENT_PROVIDER=vnpay): the payment URL, the IPN (a GET) answered with
VNPay's codes and settling once, the return URL verified and showing where the payment is."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from services.payment.adapters.providers.signing import canonical_query
from services.payment.tests.harness import Harness


def ipn(harness: Harness, reference: str, *, amount_vnd: int = 150_000, response_code: str = "00",
        status: str = "00") -> dict[str, str]:
    """VNPay's report on a payment, signed with the hash secret as VNPay signs it."""
    params = {"vnp_Amount": str(amount_vnd * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14226112",
              "vnp_CardType": "ATM", "vnp_OrderInfo": f"Thanh toan phi le phi ho so ma giao dich {reference}",
              "vnp_PayDate": "20260303091000", "vnp_ResponseCode": response_code, "vnp_TmnCode": "HOSOTEST",
              "vnp_TransactionNo": "14226112", "vnp_TransactionStatus": status, "vnp_TxnRef": reference}
    return {**params, "vnp_SecureHashType": "HmacSHA512", "vnp_SecureHash": harness.vnpay.secure_hash(params)}


async def checkout(harness: Harness) -> tuple[str, str]:
    dossier_id = await harness.request(version=5)
    answer = await harness.pay(dossier_id, "online")
    sent = dict(parse_qsl(urlsplit(answer.json()["checkout_url"]).query))
    return dossier_id, sent["vnp_TxnRef"]


async def test_the_payment_url_goes_to_vnpay_signed(payment_vnpay: Harness) -> None:
    dossier_id = await payment_vnpay.request(version=5)
    answer = (await payment_vnpay.pay(dossier_id, "online")).json()
    url = urlsplit(answer["checkout_url"])
    assert (url.scheme, url.netloc, url.path, answer["provider"]) == ("https", "vnpay.test", "/pay", "vnpay")
    sent = dict(parse_qsl(url.query))
    given_hash = sent.pop("vnp_SecureHash")
    assert given_hash == payment_vnpay.vnpay.secure_hash(sent)
    assert url.query == f"{canonical_query(sent)}&vnp_SecureHash={given_hash}"
    assert {key: sent[key] for key in ("vnp_Amount", "vnp_Command", "vnp_CurrCode", "vnp_CreateDate",
                                       "vnp_ExpireDate", "vnp_ReturnUrl", "vnp_TmnCode", "vnp_Version")} == {
        "vnp_Amount": "15000000", "vnp_Command": "pay", "vnp_CurrCode": "VND", "vnp_CreateDate": "20260303090000",
        "vnp_ExpireDate": "20260303091500", "vnp_ReturnUrl": "https://portal.test/v1/payments/return/vnpay",
        "vnp_TmnCode": "HOSOTEST", "vnp_Version": "2.1.0"}


async def test_the_ipn_settles_once_and_is_answered_with_vnpays_codes(payment_vnpay: Harness) -> None:
    dossier_id, reference = await checkout(payment_vnpay)
    before = await payment_vnpay.record(dossier_id)
    refusals = [(ipn(payment_vnpay, reference) | {"vnp_Amount": "100"}, "97"),  # altered after signing
                (ipn(payment_vnpay, reference, amount_vnd=1_000), "04"),
                (ipn(payment_vnpay, "NOSUCHREFERENCE00000"), "01"),
                ({"vnp_TxnRef": reference}, "97")]
    for params, code in refusals:
        assert (await payment_vnpay.callback(params, "vnpay", get=True)).json()["RspCode"] == code
    assert await payment_vnpay.record(dossier_id) == before

    genuine = ipn(payment_vnpay, reference)
    answers = [(await payment_vnpay.callback(genuine, "vnpay", get=True)).json() for _ in range(3)]
    assert answers == [{"RspCode": "00", "Message": "Confirm Success"}] + [
        {"RspCode": "02", "Message": "Order already confirmed"}] * 2
    contradiction = await payment_vnpay.callback(ipn(payment_vnpay, reference, response_code="24", status="02"),
                                                 "vnpay", get=True)
    assert contradiction.json()["RspCode"] == "02"
    record = await payment_vnpay.record(dossier_id)
    assert (record["status"], record["version"], record["payments"][0]["provider_transaction_id"]) == (
        "paid", 7, "14226112")
    await payment_vnpay.all_published()
    assert len(payment_vnpay.published("dossier.paid", dossier_id)) == 1
    assert [event.data["reason"] for event in payment_vnpay.published("payment.callback_refused")] == [
        "bad_signature", "amount_mismatch", "unknown_reference", "bad_signature", "replayed"]


@pytest.mark.parametrize(("response_code", "state"), [("24", "cancelled"), ("51", "failed")])
async def test_an_unsuccessful_ipn_fails_the_payment(payment_vnpay: Harness, response_code: str, state: str) -> None:
    dossier_id, reference = await checkout(payment_vnpay)
    answer = await payment_vnpay.callback(ipn(payment_vnpay, reference, response_code=response_code, status="02"),
                                          "vnpay", get=True)
    assert answer.json()["RspCode"] == "00"
    record = await payment_vnpay.record(dossier_id)
    assert (record["status"], record["version"], record["payments"][0]["state"]) == ("payment_requested", 7, state)
    await payment_vnpay.all_published()
    [failed] = payment_vnpay.published("dossier.payment_failed", dossier_id)
    assert (failed.data["provider"], failed.data["provider_code"]) == ("vnpay", response_code)


async def test_the_return_url_is_verified_and_changes_nothing(payment_vnpay: Harness) -> None:
    dossier_id, reference = await checkout(payment_vnpay)
    before = await payment_vnpay.record(dossier_id)
    waiting = await payment_vnpay.client.get("/returns/vnpay", params=ipn(payment_vnpay, reference))
    assert "Đang chờ xác nhận" in waiting.text  # the IPN, not the browser, settles the payment
    assert await payment_vnpay.record(dossier_id) == before
    altered = ipn(payment_vnpay, reference) | {"vnp_Amount": "1"}
    forged = await payment_vnpay.client.get("/returns/vnpay", params=altered)
    assert "Không xác nhận được kết quả" in forged.text
    await payment_vnpay.callback(ipn(payment_vnpay, reference), "vnpay", get=True)
    paid = await payment_vnpay.client.get("/returns/vnpay", params=ipn(payment_vnpay, reference))
    assert "Thanh toán thành công" in paid.text


async def test_the_sandbox_does_not_exist_beside_vnpay(payment_vnpay: Harness) -> None:
    dossier_id, reference = await checkout(payment_vnpay)
    assert (await payment_vnpay.client.get(f"/sandbox/checkout/{reference}")).status_code == 404
    assert (await payment_vnpay.client.post(f"/sandbox/checkout/{reference}/pay")).status_code == 404
    assert (await payment_vnpay.callback({"reference": reference}, "sandbox")).status_code == 404
    assert (await payment_vnpay.record(dossier_id))["payments"][0]["state"] == "pending"
