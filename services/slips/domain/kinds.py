"""The kind table: which step issues which slip, and what each slip says.

One row per kind: the event of the step, the form of Circular 01/2018/TT-VPCP it follows, and the
function that writes its content from that event and the dossier's facts. A slip a step does not call for
(none yet) is a function answering None. The apology slip (Mẫu số 04) answers a reschedule
(`dossier.rescheduled`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from services.slips.domain import wording
from services.slips.domain.content import Line, SlipContent
from services.slips.domain.facts import DossierFacts
from services.slips.domain.wording import day, moment, vnd
from shared.errors import UnknownProcedure, UnknownProcedureDocument
from shared.lifecycle import DossierReceived, DossierRejected, DossierRescheduled, SupplementRequested
from shared.messages import Envelope, Payload
from shared.office import Office
from shared.payments import DossierPaid
from shared.procedures import ProcedureCatalog
from shared.slips import SLIP_TITLES


@dataclass(frozen=True)
class Context:
    """What every slip says besides the dossier: the Department, the place, the dates' zone, the lookup."""

    office: Office
    catalog: ProcedureCatalog
    place: str
    zone: tzinfo
    lookup_url: Callable[[str], str]

    def procedure_name(self, code: str) -> str:
        return self.catalog.get(code).name if code in self.catalog else code

    def document_name(self, procedure_code: str, code: str) -> str:
        try:
            return self.catalog.document(procedure_code, code).name
        except (UnknownProcedure, UnknownProcedureDocument):  # gone from the catalog since: its code
            return code


Compose = Callable[[Any, DossierFacts, Envelope, Context], SlipContent | None]


@dataclass(frozen=True)
class KindRule:
    kind: str
    event_type: str
    form: str
    compose: Compose


def _frame(kind: str, form: str, number: str, issued_on: date, context: Context, opening: str,
           facts: DossierFacts, **parts: Any) -> SlipContent:
    return SlipContent(kind=kind, form=form, title=SLIP_TITLES[kind].upper(), number=number, place=context.place,
                       issued_on=issued_on, agency=context.office.name.upper(), unit=context.office.unit.upper(),
                       opening=opening, lookup_code=facts.lookup_code, **parts)


def _applicant(facts: DossierFacts, context: Context) -> list[Line]:
    return [Line("Ông/Bà", facts.applicant_name, strong=True), Line("Địa chỉ", facts.applicant_address),
            Line("Nội dung yêu cầu giải quyết", context.procedure_name(facts.procedure_code))]


def _code(facts: DossierFacts, event: Envelope) -> str:
    return facts.lookup_code or (event.dossier_id or "")


def compose_receipt(payload: DossierReceived, facts: DossierFacts, event: Envelope, ctx: Context) -> SlipContent:
    received_on = payload.received_at.astimezone(ctx.zone).date()
    delivery = wording.RESULT_DELIVERY.get(facts.result_delivery or "", wording.RESULT_DELIVERY_UNCHOSEN)
    documents = [f"{ctx.document_name(facts.procedure_code, item.code)} ({item.files} tệp)" for item in facts.documents]
    return _frame(
        "receipt", "Mẫu số 01", f"{payload.lookup_code}/TNHS", received_on, ctx,
        f"{ctx.office.unit} – {ctx.office.name} tiếp nhận hồ sơ của:", facts,
        lines=[*_applicant(facts, ctx), Line("Mã hồ sơ", payload.lookup_code, strong=True)],
        list_heading="1. Thành phần hồ sơ nộp gồm:", items=documents or ["(không có tệp đính kèm)"],
        after=[Line("2. Số lượng hồ sơ", "01 bộ (nộp trực tuyến)"),
               Line("3. Thời gian giải quyết hồ sơ theo quy định", f"{payload.processing_days} ngày làm việc"),
               Line("4. Thời gian nhận hồ sơ", moment(payload.received_at, ctx.zone)),
               Line("5. Thời gian trả kết quả giải quyết hồ sơ", f"ngày {day(payload.due_date)}", strong=True),
               Line("6. Đăng ký nhận kết quả", delivery)],
        closing=[f"Tra cứu tình trạng hồ sơ bằng mã hồ sơ trên Cổng Dịch vụ công, hoặc quét mã QR: "
                 f"{ctx.lookup_url(payload.lookup_code)}"],
        qr_url=ctx.lookup_url(payload.lookup_code))


def compose_supplement(payload: SupplementRequested, facts: DossierFacts, event: Envelope,
                       ctx: Context) -> SlipContent:
    issued_on = event.occurred_at.astimezone(ctx.zone).date()
    asked = [ctx.document_name(facts.procedure_code, code) for code in payload.documents]
    remaining = ([Line("Thời hạn giải quyết còn lại", f"{payload.remaining_working_days} ngày làm việc, "
                       "tính tiếp từ khi nhận đủ hồ sơ bổ sung")]
                 if payload.remaining_working_days is not None else [])
    return _frame(
        "supplement", "Mẫu số 02", f"{_code(facts, event)}/BSHS-{event.version}", issued_on, ctx,
        f"Ngày {day(issued_on)}, {ctx.office.unit} – {ctx.office.name} đã xem xét hồ sơ của:", facts,
        lines=[*_applicant(facts, ctx), Line("Mã hồ sơ", _code(facts, event), strong=True)],
        list_heading="Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        items=[*asked, f"Lý do: {payload.reason}"],
        after=remaining,
        closing=["Ông/Bà bổ sung, hoàn thiện hồ sơ trên Cổng Dịch vụ công (mục Quản lý hồ sơ). Trong quá trình "
                 "hoàn thiện, nếu có vướng mắc, xin liên hệ Bộ phận tiếp nhận và trả kết quả để được hướng dẫn.",
                 "Xin trân trọng thông báo."])


def compose_refusal(payload: DossierRejected, facts: DossierFacts, event: Envelope, ctx: Context) -> SlipContent:
    issued_on = event.occurred_at.astimezone(ctx.zone).date()
    return _frame(
        "refusal", "Mẫu số 03", f"{_code(facts, event)}/TCHS", issued_on, ctx,
        f"{ctx.office.unit} – {ctx.office.name} đã nhận hồ sơ đề nghị giải quyết thủ tục hành chính của:", facts,
        lines=_applicant(facts, ctx),
        list_heading="Sau khi xem xét, Sở Y tế từ chối tiếp nhận, giải quyết hồ sơ này với lý do:",
        items=[payload.reason],
        closing=["Xin thông báo để Ông/Bà được biết và thực hiện."])


def compose_apology(payload: DossierRescheduled, facts: DossierFacts, event: Envelope, ctx: Context) -> SlipContent:
    """Mẫu số 04: the Department apologises for the delay, says why, and gives the new appointment."""
    issued_on = event.occurred_at.astimezone(ctx.zone).date()
    return _frame(
        "apology", "Mẫu số 04", f"{_code(facts, event)}/XLHL-{event.version}", issued_on, ctx,
        f"{ctx.office.unit} – {ctx.office.name} đã tiếp nhận và đang giải quyết hồ sơ của:", facts,
        lines=[*_applicant(facts, ctx), Line("Mã hồ sơ", _code(facts, event), strong=True),
               Line("Thời gian hẹn trả kết quả đã ghi trên Giấy tiếp nhận", f"ngày {day(payload.previous_due_date)}")],
        list_heading=f"Đến nay, {ctx.office.name} chưa thể trả kết quả đúng hẹn vì lý do:",
        items=[payload.reason],
        after=[Line("Ngày hẹn trả kết quả mới", f"ngày {day(payload.new_due_date)}", strong=True)],
        closing=["Sự chậm trễ này có thể gây phiền hà, tốn kém thời gian và chi phí của Ông/Bà. Chúng tôi thành "
                 "thật xin lỗi và mong Ông/Bà thông cảm.",
                 "Tra cứu tình trạng hồ sơ bằng mã hồ sơ trên Cổng Dịch vụ công: "
                 f"{ctx.lookup_url(_code(facts, event))}"])


def compose_fee_receipt(payload: DossierPaid, facts: DossierFacts, event: Envelope, ctx: Context) -> SlipContent:
    paid_on = payload.paid_at.astimezone(ctx.zone).date()
    items = [f"{wording.FEE_KINDS[item.kind]}: {item.name} — {vnd(item.amount_vnd)}" for item in payload.items]
    return _frame(
        "fee-receipt", "", payload.receipt_number, paid_on, ctx,
        f"Đơn vị thu: {ctx.office.name} – {ctx.office.unit}.", facts,
        lines=[Line("Họ tên người nộp", facts.applicant_name, strong=True),
               Line("Địa chỉ", facts.applicant_address),
               Line("Mã hồ sơ", _code(facts, event), strong=True),
               Line("Thủ tục", ctx.procedure_name(facts.procedure_code))],
        list_heading="Các khoản thu:", items=items or [f"Phí, lệ phí — {vnd(payload.amount_vnd)}"],
        after=[Line("Tổng cộng", vnd(payload.amount_vnd), strong=True),
               Line("Hình thức thanh toán", wording.PAYMENT_METHODS[payload.method]),
               Line("Thời gian thu", moment(payload.paid_at, ctx.zone))],
        signer_title="ĐƠN VỊ THU")


KINDS: tuple[KindRule, ...] = (
    KindRule("receipt", "dossier.received", "Mẫu số 01", compose_receipt),
    KindRule("supplement", "dossier.supplement_requested", "Mẫu số 02", compose_supplement),
    KindRule("refusal", "dossier.rejected", "Mẫu số 03", compose_refusal),
    KindRule("apology", "dossier.rescheduled", "Mẫu số 04", compose_apology),
    KindRule("fee-receipt", "dossier.paid", "", compose_fee_receipt),
)
RULES_BY_EVENT = {rule.event_type: rule for rule in KINDS}
# The events that issue a slip: what the slips queue is bound to, with the facts' ones.
SLIP_EVENT_TYPES = tuple(RULES_BY_EVENT)


def slip_id(dossier_id: str, kind: str, version: int) -> str:
    """One slip per step: the dossier, the kind and the version of the step's event."""
    return f"{dossier_id}.{kind}.v{version}"


def content_for(payload: Payload, facts: DossierFacts, event: Envelope, ctx: Context) -> SlipContent | None:
    rule = RULES_BY_EVENT.get(event.type)
    return rule.compose(payload, facts, event, ctx) if rule else None
