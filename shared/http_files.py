"""How a file is handed to a browser for download: always as an attachment, under its own name and type.

`Content-Disposition` follows RFC 6266 with RFC 5987's `filename*`: a plain ASCII `filename` for old
clients, and the exact UTF-8 name, percent-encoded, for every current browser, so that "Bằng tốt
nghiệp.pdf" is saved as such. `nosniff` stops a browser from second-guessing the stored type (a file must
never run as a page of the portal's origin), and a private file is never kept by a shared cache.
"""

import unicodedata
from urllib.parse import quote

FALLBACK_NAME = "tep-tai-ve"
# RFC 5987's attr-char, besides letters, digits and "-._~" which `quote` never encodes.
_ATTR_CHARS = "!#$&+^`|"
# Not kept in the quoted ASCII name: its quote and escape, and "%", which some clients decode there.
_UNQUOTABLE = frozenset('"\\%')


def content_disposition(filename: str) -> str:
    """`attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded>`."""
    return f"attachment; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe=_ATTR_CHARS)}"


def ascii_fallback(filename: str) -> str:
    """The name without its accents ("Bang tot nghiep.pdf"), anything else outside printable ASCII as "_"."""
    # "đ" is a letter of its own, not "d" with a mark, so decomposing alone would lose it.
    decomposed = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    printable = "".join(char if " " <= char <= "~" and char not in _UNQUOTABLE else "_" for char in bare)
    return printable.strip() or FALLBACK_NAME


def attachment_headers(filename: str, content_type: str, size: int | None = None, *,
                       private: bool = True) -> dict[str, str]:
    """The headers of a download: the disposition, the stored type, nosniff, the length where known."""
    headers = {"Content-Disposition": content_disposition(filename), "Content-Type": content_type,
               "X-Content-Type-Options": "nosniff"}
    if private:
        headers["Cache-Control"] = "private, no-store"
    if size is not None:
        headers["Content-Length"] = str(size)
    return headers
