"""The small Vietnamese pages payment serves: the sandbox's checkout and the way back from a provider.

Self-contained (no scripts, no external assets), readable without styles, with real buttons in forms so
that a keyboard or a screen reader reaches them. Every value shown is escaped.
"""

from html import escape

from services.payment.handlers.provider_callbacks import ReturnView
from services.payment.handlers.sandbox_checkout import CheckoutView

# No scripts, nothing from elsewhere, posts only to where the page came from, never inside a frame.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
}
_STYLE = """
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5rem}dt{font-weight:600}dd{margin:0 0 .5rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #999}td.so-tien{text-align:right;white-space:nowrap}
button{font-size:1rem;padding:.6rem 1.4rem;margin-right:1rem;border-radius:.3rem;border:2px solid #0b4f9c}
.thanh-toan{background:#0b4f9c;color:#fff}.huy{background:#fff;color:#0b4f9c}
button:focus-visible,a:focus-visible{outline:3px solid #e07b00;outline-offset:2px}
.ghi-chu{color:#444;font-size:.9rem}
"""
_BACK = '<p><a href="/">Quay lại Cổng Dịch vụ công</a></p>'
_STATES = {"pending": "Đang chờ thanh toán", "paid": "Đã thanh toán", "failed": "Thanh toán không thành công",
           "cancelled": "Đã huỷ giao dịch", "superseded": "Đã được thay bằng hình thức khác"}


def vnd(amount: int) -> str:
    """150000 → "150.000 ₫", as amounts are written in Vietnam."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def checkout_page(view: CheckoutView) -> str:
    rows = "".join(f"<tr><td>{escape(item.name)}</td><td>{'Lệ phí' if item.kind == 'le_phi' else 'Phí'}</td>"
                   f"<td class=\"so-tien\">{vnd(item.amount_vnd)}</td></tr>" for item in view.items)
    reference = escape(view.reference)
    if view.payable:
        # Relative actions: the same page works on payment itself and through the gateway.
        actions = (f'<form method="post" action="{reference}/pay" style="display:inline">'
                   '<button type="submit" class="thanh-toan">Thanh toán</button></form>'
                   f'<form method="post" action="{reference}/cancel" style="display:inline">'
                   '<button type="submit" class="huy">Huỷ</button></form>')
    else:
        why = "đã quá thời hạn thanh toán" if view.state == "pending" else _STATES.get(view.state, "").lower()
        actions = f'<p role="status">Giao dịch này không còn thanh toán được: {why}.</p>'
    return _page("Thanh toán phí, lệ phí hồ sơ", f"""
<h1>Thanh toán phí, lệ phí hồ sơ</h1>
<p class="ghi-chu">Cổng thanh toán thử nghiệm (sandbox) của Cổng Dịch vụ công — không có tiền thật được chuyển.</p>
<dl>
<dt>Thanh toán cho</dt><dd>{escape(view.payee)}</dd>
<dt>Thủ tục</dt><dd>{escape(view.procedure)}</dd>
{f"<dt>Mã hồ sơ</dt><dd><strong>{escape(view.lookup_code)}</strong></dd>" if view.lookup_code else ""}
<dt>Mã giao dịch</dt><dd>{reference}</dd>
</dl>
<table><caption>Các khoản phải nộp</caption>
<thead><tr><th scope="col">Khoản</th><th scope="col">Loại</th><th scope="col">Số tiền</th></tr></thead>
<tbody>{rows}</tbody>
<tfoot><tr><th scope="row" colspan="2">Tổng cộng</th>
<td class="so-tien"><strong>{vnd(view.amount_vnd)}</strong></td></tr></tfoot></table>
{actions}""")


def return_page(view: ReturnView) -> str:
    if not view.verified:
        title, text = "Không xác nhận được kết quả", ("Không xác thực được kết quả thanh toán gửi về. Vui lòng xem "
                                                       "trạng thái thanh toán trong chi tiết hồ sơ.")
    elif view.state == "paid":
        receipt = f" Số biên lai: <strong>{escape(view.receipt_number)}</strong>." if view.receipt_number else ""
        title, text = "Thanh toán thành công", f"Đã thanh toán {vnd(view.amount_vnd or 0)}.{receipt}"
    elif view.state == "pending":
        title, text = "Đang chờ xác nhận", "Hệ thống đang chờ cổng thanh toán xác nhận kết quả giao dịch."
    elif view.state == "cancelled":
        title, text = "Đã huỷ giao dịch", "Giao dịch đã được huỷ. Bạn có thể thanh toán lại trong chi tiết hồ sơ."
    else:
        title, text = "Thanh toán không thành công", "Bạn có thể thanh toán lại trong chi tiết hồ sơ."
    return _page(title, f'<h1>{title}</h1>\n<p role="status">{text}</p>\n{_BACK}')


def not_found_page() -> str:
    return _page("Không tìm thấy giao dịch",
                 f"<h1>Không tìm thấy giao dịch</h1>\n<p>Giao dịch thanh toán không tồn tại.</p>\n{_BACK}")


def _page(title: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="vi">\n<head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body><main>{body}\n</main></body>\n</html>\n")
