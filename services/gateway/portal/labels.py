"""The portal's Vietnamese words for the API's codes, and its one-time notices.

Status labels and procedure names come from the API (/v1/statuses, /v1/procedures); these are the
rest: ways to pay and to receive a result, payment states, who acted, and the names of the fields the
API's validation errors point at.
"""

from shared.field_messages import APPLICANT_LABELS
from shared.lifecycle import RATING_LABELS

PAYMENT_METHODS = {
    "online": "Thanh toán trực tuyến (qua ngân hàng, cổng thanh toán)",
    "at_office": "Nộp trực tiếp tại Sở Y tế",
    "postal": "Nộp qua dịch vụ bưu chính",
}
PAYMENT_STATES = {
    "requested": "Chờ thanh toán",
    "pending": "Đang chờ xác nhận thanh toán",
    "failed": "Thanh toán không thành công",
    "paid": "Đã thanh toán",
}
DELIVERY_METHODS = {
    "online": "Nhận trực tuyến trên Cổng Dịch vụ công (tải về)",
    "at_office": "Nhận trực tiếp tại Sở Y tế",
    "postal": "Nhận qua dịch vụ bưu chính",
}
# Staff confirm money and return results only for what does not go through the portal.
IN_PERSON = {"at_office": "Tại Sở Y tế", "postal": "Qua bưu chính"}
ACTORS = {"citizen": "Người dân", "staff": "Cán bộ tiếp nhận", "system": "Hệ thống"}
FEE_KINDS = {"phi": "Phí", "le_phi": "Lệ phí"}
CHANNELS = {"email": "Thư điện tử", "sms": "Tin nhắn SMS"}
# Mức độ hài lòng, best first, as the rating form offers them and the staff summary's columns read.
RATING_LEVELS = RATING_LABELS
# The deadline statistics' columns (thống kê tình hình giải quyết), as the staff's page heads them.
DEADLINE_COUNTS = {"received": "Tiếp nhận", "resolved_on_time": "Đúng hạn", "resolved_late": "Trễ hạn",
                   "rescheduled_late": "Xin lỗi, hẹn lại (trễ hạn)", "overdue": "Quá hạn",
                   "in_progress": "Đang giải quyết (trong hạn)"}

# The applicant's fields, named as the API's messages name them.
APPLICANT_FIELDS = APPLICANT_LABELS
# A draft may be saved before it has a title: the page still needs a name for it.
UNTITLED = "Hồ sơ chưa đặt tên"
# The names the API gives fields in its validation errors, said the way the page labels them.
FIELD_NAMES = {
    "title": "Tên hồ sơ",
    "procedure_code": "Thủ tục hành chính",
    **{f"applicant.{name}": label for name, label in APPLICANT_FIELDS.items()},
    "reason": "Lý do",
    "receipt_number": "Số biên lai",
    "summary": "Tóm tắt kết quả",
    "new_due_date": "Ngày hẹn trả kết quả mới",
    "document": "Văn bản kết quả",
    "method": "Hình thức",
    "postal_address": "Địa chỉ nhận kết quả",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "from_month": "Từ tháng",
    "to_month": "Đến tháng",
    "level": "Mức độ hài lòng",
    "comment": "Ý kiến",
    "name": "Họ và tên",
    "email": "Thư điện tử",
    "phone": "Số điện thoại",
    "q": "Từ khoá",
    "code": "Mã hồ sơ",
    "documents": "Thành phần hồ sơ cần bổ sung",
    "tracking_number": "Mã vận đơn",
    "fee_name": "Tên khoản phí bổ sung",
    "fee_amount": "Số tiền (đồng)",
}
# What a refusal naming one of the dossier's documents (`documents.<code>`) is about, in the summary at the top:
# its message already names the document, which its row on the page shows too.
DOCUMENT_FIELD = "Thành phần hồ sơ"

NOTICES = {
    "created": "Đã lưu nháp hồ sơ. Bây giờ bạn có thể đính kèm các thành phần hồ sơ bên dưới; hồ sơ nằm trong "
               "danh sách “Chưa gửi” cho đến khi bạn gửi.",
    "edited": "Đã lưu các thay đổi của hồ sơ.",
    "deleted": "Đã xoá hồ sơ.",
    "submitted": "Đã gửi hồ sơ tới Bộ phận tiếp nhận và trả kết quả.",
    "resubmitted": "Đã gửi bổ sung hồ sơ tới Bộ phận tiếp nhận và trả kết quả.",
    "withdrawn": "Đã rút hồ sơ. Hồ sơ đã trở về danh sách “Chưa gửi”: bạn có thể cập nhật hoặc xoá hồ sơ.",
    "pay_in_person": "Đã ghi nhận hình thức thanh toán. Xem hướng dẫn nộp phí, lệ phí bên dưới; cán bộ sẽ xác nhận "
                     "khi nhận được tiền.",
    "payment_paid": "Thanh toán thành công. Số biên lai và thời điểm thanh toán ở mục Phí, lệ phí bên dưới.",
    "payment_cancelled": "Bạn đã huỷ giao dịch thanh toán. Bạn có thể thanh toán lại bên dưới.",
    "payment_failed": "Thanh toán không thành công; không có khoản tiền nào được ghi nhận. Bạn có thể thanh toán "
                      "lại bên dưới.",
    "payment_pending": "Đang chờ cổng thanh toán xác nhận kết quả giao dịch; tình trạng được cập nhật bên dưới.",
    "payment_unverified": "Không xác nhận được kết quả thanh toán gửi về. Tình trạng thanh toán bên dưới là tình "
                          "trạng đã được ghi nhận.",
    "paid_back": "Đã quay lại từ cổng thanh toán. Tình trạng thanh toán được cập nhật bên dưới.",
    "delivery": "Đã ghi nhận hình thức nhận kết quả.",
    "rated": "Cảm ơn bạn đã đánh giá mức độ hài lòng. Ý kiến của bạn giúp Sở Y tế phục vụ tốt hơn.",
    "signed_in": "Đăng nhập thành công.",
    "signed_out": "Bạn đã đăng xuất.",
    "expired": "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    "staff_done": "Đã thực hiện thao tác trên hồ sơ.",
}
# The notices about one document's files, shown on its row (where the page opens after the upload).
ATTACHED = "Đã đính kèm {count} tệp cho thành phần này."
REMOVED = "Đã gỡ tệp khỏi thành phần này."
