"""How a file is handed to a browser for download: always as an attachment, under its own name and type.

`Content-Disposition` follows RFC 6266 with the RFC 5987 extended parameter, so that a Vietnamese file
name ("Bằng tốt nghiệp.pdf") survives in every browser, beside a plain ASCII fallback for old clients.
`nosniff` stops a browser from second-guessing the stored type (a file must never run as a page).
"""

import unicodedata
from urllib.parse import quote

FALLBACK_NAME = "tep-tai-ve"


def ascii_fallback(filename: str) -> str:
    """The name with accents removed and anything a quoted header value cannot hold replaced."""
    decomposed = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    cleaned = "".join(char if 32 <= ord(char) < 127 and char not in '"\\/;' else "_" for char in plain).strip()
    return cleaned or FALLBACK_NAME


def attachment_headers(filename: str, content_type: str, size: int | None = None) -> dict[str, str]:
    """The headers of a download: attachment disposition (both name forms), the type, nosniff, the length."""
    headers = {
        "Content-Disposition": (f'attachment; filename="{ascii_fallback(filename)}"; '
                                f"filename*=UTF-8''{quote(filename, safe='')}"),
        "Content-Type": content_type,
        "X-Content-Type-Options": "nosniff",
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    return headers
