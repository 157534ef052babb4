"""The Reception and Result Return Unit's actions as the staff page offers them.

Which are open follows the status catalog's transitions (shared.statuses): an action is offered when
the dossier's status may move to the status the action leads to. The API still decides.
"""

from dataclasses import dataclass

from shared.statuses import Status, can_move


@dataclass(frozen=True)
class StaffAction:
    name: str  # the API's: POST /v1/staff/dossiers/{id}/{name}
    label: str
    leads_to: Status
    done: str  # the notice once done
    asks: tuple[str, ...] = ()  # the fields its form has
    danger: bool = False


ACTIONS = (
    StaffAction("accept", "Tiếp nhận hồ sơ", Status.RECEIVED, "Đã tiếp nhận hồ sơ; mã hồ sơ đã được cấp."),
    StaffAction("request-supplement", "Yêu cầu bổ sung", Status.SUPPLEMENT_REQUESTED,
                "Đã gửi yêu cầu bổ sung hồ sơ cho người dân.", ("reason",)),
    StaffAction("reject", "Từ chối tiếp nhận", Status.REJECTED, "Đã từ chối tiếp nhận hồ sơ.", ("reason",),
                danger=True),
    StaffAction("start-processing", "Chuyển sang giải quyết", Status.PROCESSING, "Hồ sơ đang được giải quyết."),
    StaffAction("request-payment", "Yêu cầu thanh toán phí, lệ phí", Status.PAYMENT_REQUESTED,
                "Đã gửi yêu cầu thanh toán cho người dân."),
    StaffAction("confirm-payment", "Xác nhận đã nhận phí, lệ phí", Status.PAID, "Đã xác nhận thanh toán.",
                ("method", "receipt_number")),
    StaffAction("issue-result", "Trả kết quả giải quyết", Status.RESULT_READY, "Đã cập nhật kết quả giải quyết.",
                ("summary", "document")),
    StaffAction("mark-returned", "Xác nhận đã trả kết quả", Status.RESULT_RETURNED,
                "Đã xác nhận trả kết quả cho người dân.", ("method",)),
)
BY_NAME = {action.name: action for action in ACTIONS}
# The statuses staff work on, in the order they come to them.
WORK_STATUSES = (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.PAYMENT_REQUESTED, Status.PAID,
                 Status.RESULT_READY)


def open_actions(status: str) -> list[StaffAction]:
    try:
        current = Status(status)
    except ValueError:
        return []
    return [action for action in ACTIONS if can_move(current, action.leads_to)]
