"""The actions that ask first (withdraw, Figure 5; delete): what the dialog and its no-script page say."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Confirmation:
    """An action that asks first: what the page and the dialog say, and where the person goes after."""

    action: str
    title: str
    question: str
    consequence: str
    confirm: str
    notice: str
    then: str


CONFIRMATIONS = {
    "rut": Confirmation(
        "withdraw", "Rút hồ sơ đã gửi", "Bạn có chắc chắn muốn rút lại hồ sơ đã gửi này không?",
        "Hồ sơ rút lại sẽ nằm trong danh sách “Chưa gửi”: bạn có thể cập nhật hoặc xoá hồ sơ đó.",
        "Đồng ý rút hồ sơ", "withdrawn", "/?trang-thai=draft"),
    "xoa": Confirmation(
        "delete", "Xoá hồ sơ", "Bạn có chắc chắn muốn xoá hồ sơ này không?",
        "Hồ sơ đã xoá không thể khôi phục.", "Đồng ý xoá hồ sơ", "deleted", "/?trang-thai=draft"),
}
