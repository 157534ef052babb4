"""The Reception and Result Return Unit's actions as the staff page offers them: a form per action.

The actions themselves, and where each leads, are shared.staff_actions' table; the page adds its words
for each (keyed by the action's name). An action is offered when the dossier's status is one the action
starts from (the status catalog's transitions); the API still decides.
"""

from dataclasses import dataclass

from shared.staff_actions import BY_NAME as TABLE
from shared.staff_actions import StaffAction
from shared.statuses import Status


@dataclass(frozen=True)
class AsksFirst:
    """An action that cannot be undone asks first: in a dialog with scripts, on a page of its own without."""

    title: str
    question: str
    consequence: str
    confirm: str


@dataclass(frozen=True)
class ActionForm:
    """One action's form on the staff page: the table's action, its title and button, what it asks."""

    action: StaffAction
    label: str
    done: str  # the notice once done
    asks: tuple[str, ...] = ()  # the fields its form has (`documents`: a check box per document, several)
    danger: bool = False
    asks_first: AsksFirst | None = None

    @property
    def name(self) -> str:
        """The table's name, and the API's: POST /v1/staff/dossiers/{id}/{name}."""
        return self.action.name

    @property
    def leads_to(self) -> Status | None:
        """None for an action that moves no status (reschedule)."""
        return self.action.leads_to


# In the order the page shows them, which is not the table's.
ACTIONS = (
    ActionForm(TABLE["accept"], "Tiếp nhận hồ sơ", "Đã tiếp nhận hồ sơ; mã hồ sơ đã được cấp."),
    ActionForm(TABLE["request-supplement"], "Yêu cầu bổ sung", "Đã gửi yêu cầu bổ sung hồ sơ cho người dân.",
               ("reason", "documents")),
    # A rejection ends the dossier (nothing moves out of rejected): the clerk confirms it first.
    ActionForm(TABLE["reject"], "Từ chối tiếp nhận", "Đã từ chối tiếp nhận hồ sơ.", ("reason",), danger=True,
               asks_first=AsksFirst(
                   "Từ chối tiếp nhận hồ sơ", "Bạn có chắc chắn muốn từ chối tiếp nhận hồ sơ này không?",
                   "Hồ sơ bị từ chối không thể tiếp nhận lại; người dân được thông báo lý do qua thư điện tử "
                   "và phải nộp hồ sơ mới.", "Đồng ý từ chối tiếp nhận")),
    ActionForm(TABLE["start-processing"], "Chuyển sang giải quyết", "Hồ sơ đang được giải quyết."),
    # Once the procedure's fee is paid, only an additional fee may be asked for, named, with its reason.
    ActionForm(TABLE["request-payment"], "Yêu cầu thanh toán phí, lệ phí", "Đã gửi yêu cầu thanh toán cho người dân.",
               ("additional_fee",)),
    ActionForm(TABLE["confirm-payment"], "Xác nhận đã nhận phí, lệ phí", "Đã xác nhận thanh toán.",
               ("method", "receipt_number")),
    # Two steps a clerk could mistake for one: recording the result, then handing it to the citizen.
    ActionForm(TABLE["issue-result"], "Cập nhật kết quả giải quyết", "Đã cập nhật kết quả giải quyết.",
               ("summary", "document")),
    ActionForm(TABLE["mark-returned"], "Xác nhận đã trao kết quả cho người dân",
               "Đã xác nhận trao kết quả cho người dân.", ("method", "tracking_number")),
    # When the due date cannot be kept: a later working day, and why (the apology slip says both).
    ActionForm(TABLE["reschedule"], "Xin lỗi và hẹn lại ngày trả kết quả",
               "Đã hẹn lại ngày trả kết quả; phiếu xin lỗi được gửi cho người dân.", ("new_due_date", "reason")),
)
BY_NAME = {form.name: form for form in ACTIONS}
# The statuses of the staff list's tabs, in the order dossiers come to them: those staff work on first, then
# those waiting on the citizen and those done, so that every dossier the Department holds can be found.
WORK_STATUSES = (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.PAYMENT_REQUESTED, Status.PAID,
                 Status.RESULT_READY, Status.SUPPLEMENT_REQUESTED, Status.RESULT_RETURNED, Status.REJECTED)
# The tabs of the dossiers at risk, whatever their status (their `trang-thai` values), and the list filter
# and count (GET /v1/staff/status-counts) behind each: due within DUE_SOON_WORKING_DAYS, past the due date.
DUE_SOON_TAB = "sap-den-han"
OVERDUE_TAB = "qua-han"
DEADLINE_TABS = {DUE_SOON_TAB: ("due_soon", "Sắp đến hạn"), OVERDUE_TAB: ("overdue", "Quá hạn")}


def open_actions(status: str) -> list[ActionForm]:
    """The forms of the actions open at `status`, in the page's order; none for a status it does not know."""
    try:
        current = Status(status)
    except ValueError:
        return []
    return [form for form in ACTIONS if current in form.action.starts_from]
