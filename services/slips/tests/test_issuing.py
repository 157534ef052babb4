"""Issuing slips from the steps' events, on the real bootstrap: once per step, signed, stored, announced."""

import asyncio
from pathlib import Path

import pytest

from services.slips.adapters.dev_certificate import FILENAME
from services.slips.tests.events import (
    DUE,
    LOOKUP_CODE,
    OWNER,
    new_dossier_id,
    paid,
    received,
    rejected,
    rescheduled,
    submitted,
    supplement_requested,
)
from services.slips.tests.harness import SlipsHarness, start_slips, stop_slips
from tests.support.slip_pdfs import pdf_text, save_png, verifies
from tests.support.waiting import eventually


@pytest.fixture()
async def slips(tmp_path: Path):
    harness = await start_slips(tmp_path)
    yield harness
    await stop_slips(harness)


async def issued_pdf(slips: SlipsHarness, dossier_id: str, kind: str) -> bytes:
    async def there() -> bool:
        return (await slips.download(dossier_id, kind, owner_id=OWNER)).status_code == 200

    await eventually(there, timeout=15, what=f"the {kind} slip")
    answer = await slips.download(dossier_id, kind, owner_id=OWNER)
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment;")
    return answer.content


async def certificate(slips: SlipsHarness) -> bytes:
    answer = await slips.client.get("/certificate")
    assert answer.status_code == 200
    return answer.content


async def test_the_receipt_is_signed_and_says_what_was_received(slips: SlipsHarness) -> None:
    dossier_id = new_dossier_id()
    await slips.publish(submitted(dossier_id), received(dossier_id))
    pdf = await issued_pdf(slips, dossier_id, "receipt")

    assert pdf.startswith(b"%PDF")
    assert await asyncio.to_thread(verifies, pdf, await certificate(slips))
    text = pdf_text(pdf)
    for expected in (LOOKUP_CODE, "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh", DUE.strftime("%d/%m/%Y"),
                     "Đơn đề nghị cấp mới giấy phép hành nghề (1 tệp)", "Trần Thị Bình",
                     "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Mẫu số 01", "9 giờ 05 phút", "CHỮ KÝ SỐ PHÁT TRIỂN"):
        assert expected in text, expected
    assert "(2 tệp)" in text
    save_png(pdf, "120-slip-receipt")

    await eventually(lambda: len(slips.issued) == 1, what="slip.issued")
    event = slips.issued[0]
    assert (event.dossier_id, event.data["kind"], event.data["title"]) == (
        dossier_id, "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    assert "bytes" not in str(event.data) and len(event.model_dump_json()) < 2000
    assert (slips.certificate_dir / FILENAME).exists()


async def test_one_changed_byte_fails_verification(slips: SlipsHarness) -> None:
    dossier_id = new_dossier_id()
    await slips.publish(submitted(dossier_id), received(dossier_id))
    pdf = await issued_pdf(slips, dossier_id, "receipt")
    trusted = await certificate(slips)
    assert await asyncio.to_thread(verifies, pdf, trusted)
    middle = len(pdf) // 3  # inside the page's content, covered by the signature
    changed = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:]
    assert not await asyncio.to_thread(verifies, changed, trusted)


async def test_a_slip_is_issued_once_and_the_same_bytes_every_time(slips: SlipsHarness) -> None:
    dossier_id = new_dossier_id()
    reception = received(dossier_id)
    await slips.publish(submitted(dossier_id), reception)
    first = await issued_pdf(slips, dossier_id, "receipt")
    await slips.publish(reception)  # delivered again
    await eventually(lambda: len(slips.issued) >= 1, what="slip.issued")
    listed = (await slips.client.get(f"/dossiers/{dossier_id}/slips")).json()["items"]
    assert len(listed) == 1
    assert (await slips.download(dossier_id, "receipt", owner_id=OWNER)).content == first
    assert len(slips.issued) == 1


async def test_each_step_issues_its_own_kind(slips: SlipsHarness) -> None:
    dossier_id = new_dossier_id()
    await slips.publish(submitted(dossier_id), received(dossier_id), supplement_requested(dossier_id),
                        paid(dossier_id))
    supplement = pdf_text(pdf := await issued_pdf(slips, dossier_id, "supplement"))
    save_png(pdf, "121-slip-supplement")
    assert "Văn bằng chưa được chứng thực" in supplement and "Mẫu số 02" in supplement
    assert "Bản sao hợp lệ văn bằng chuyên môn" in supplement and LOOKUP_CODE in supplement
    fee = pdf_text(pdf := await issued_pdf(slips, dossier_id, "fee-receipt"))
    save_png(pdf, "123-slip-fee-receipt")
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in fee and "BL-0000123" in fee and "360.000 đồng" in fee

    refused_id = new_dossier_id()
    await slips.publish(submitted(refused_id), rejected(refused_id))
    refusal = pdf_text(pdf := await issued_pdf(slips, refused_id, "refusal"))
    save_png(pdf, "122-slip-refusal")
    assert "không thuộc thẩm quyền" in refusal and "Mẫu số 03" in refusal
    assert await asyncio.to_thread(verifies, pdf, await certificate(slips))


async def test_no_slip_for_a_step_that_did_not_happen_nor_for_another_owner(slips: SlipsHarness) -> None:
    dossier_id = new_dossier_id()
    await slips.publish(submitted(dossier_id), received(dossier_id))
    await issued_pdf(slips, dossier_id, "receipt")
    assert (await slips.download(dossier_id, "refusal", owner_id=OWNER)).status_code == 404
    assert (await slips.download(dossier_id, "receipt", owner_id="someone-else")).status_code == 404
    assert (await slips.download(dossier_id, "receipt")).status_code == 422  # neither owner nor staff
    assert (await slips.download(dossier_id, "receipt", for_staff="true")).status_code == 200
    assert (await slips.download(dossier_id, "not-a-kind", owner_id=OWNER)).status_code == 422


async def test_a_step_that_comes_before_the_submission_is_issued_once_the_submission_is_known(
        slips: SlipsHarness) -> None:
    dossier_id = new_dossier_id()
    await slips.publish(received(dossier_id))  # held back and delivered again: nothing known of the dossier yet
    await slips.publish(submitted(dossier_id))
    assert LOOKUP_CODE in pdf_text(await issued_pdf(slips, dossier_id, "receipt"))


async def test_a_reschedule_issues_the_apology_slip(slips: SlipsHarness) -> None:
    dossier_id = new_dossier_id()
    await slips.publish(submitted(dossier_id), received(dossier_id), rescheduled(dossier_id))
    pdf = await issued_pdf(slips, dossier_id, "apology")
    assert await asyncio.to_thread(verifies, pdf, await certificate(slips))
    text = pdf_text(pdf)
    for expected in ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Mẫu số 04", LOOKUP_CODE, "Trần Thị Bình",
                     "Chờ kết quả thẩm định của Hội đồng chuyên môn", DUE.strftime("%d/%m/%Y"), "08/01/2027",
                     "xin lỗi"):
        assert expected in text, expected
    save_png(pdf, "148-slip-apology")
    await eventually(lambda: any(event.data["kind"] == "apology" for event in slips.issued), what="slip.issued")
    [apology] = [event for event in slips.issued if event.data["kind"] == "apology"]
    assert apology.data["title"] == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
