"""How dates, amounts and ways of returning a result are written on a slip (Vietnamese usage)."""

from datetime import date, datetime, tzinfo

RESULT_DELIVERY = {
    "online": "Trực tuyến trên Cổng Dịch vụ công",
    "at_office": "Trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
    "postal": "Qua dịch vụ bưu chính công ích",
}
# Before the citizen chose: what the Unit offers.
RESULT_DELIVERY_UNCHOSEN = "Trực tuyến trên Cổng Dịch vụ công, hoặc trực tiếp tại Bộ phận tiếp nhận và trả kết quả"
PAYMENT_METHODS = {
    "online": "Thanh toán trực tuyến",
    "at_office": "Nộp trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
    "postal": "Nộp qua dịch vụ bưu chính",
}
FEE_KINDS = {"phi": "Phí", "le_phi": "Lệ phí"}


def day(value: date) -> str:
    """`24/03/2026`."""
    return value.strftime("%d/%m/%Y")


def long_day(value: date) -> str:
    """`ngày 24 tháng 03 năm 2026`, as the place and date line of a form writes it."""
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def moment(value: datetime, zone: tzinfo) -> str:
    """`9 giờ 05 phút, ngày 24/03/2026`, in the citizens' time zone."""
    local = value.astimezone(zone)
    return f"{local.hour} giờ {local.minute:02d} phút, ngày {day(local.date())}"


def vnd(amount: int) -> str:
    """`360000` → `360.000 đồng`."""
    return f"{amount:,}".replace(",", ".") + " đồng"
