"""A file's name as its sender gave it (a citizen's attachment, a clerk's result), made safe to show and to
offer back on download.

The name is for display only: the bytes are stored under an id, never under this name. Still, it ends up
in pages, headers and the files staff save, so it keeps no folders, no way to climb out of one, nothing
invisible and no quotes, while a Vietnamese name ("Bằng tốt nghiệp.pdf") comes through as written.
"""

import re
import unicodedata

DEFAULT_FILENAME = "tep-dinh-kem"
MAX_FILENAME_CHARS = 255
# An extension longer than this is not one worth keeping whole when a long name must be cut.
_MAX_EXTENSION_CHARS = 16
_QUOTES = frozenset("\"'`")
# Control and format characters (a right-to-left override can disguise "fdp.exe" as "exe.pdf"), unassigned
# and private-use code points, and the Unicode line and paragraph separators.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_DOTS = re.compile(r"\.{2,}")


def clean_filename(raw: str | None, default: str = DEFAULT_FILENAME) -> str:
    """The base name of `raw`, NFC, without `..`, folders, control characters or quotes, at most 255 chars;
    `default` when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "")
    # A browser on Windows may send the whole path ("C:\\x\\y.pdf"): only its last part is the name.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in _INVISIBLE and char not in _QUOTES)
    name = _DOTS.sub(".", " ".join(name.split()))
    # No hidden file, and nothing Windows would silently drop at the end.
    name = name.strip(". ")
    return unicodedata.normalize("NFC", _shortened(name)) or default


def _shortened(name: str) -> str:
    """At most MAX_FILENAME_CHARS, cutting the stem and keeping a short extension."""
    if len(name) <= MAX_FILENAME_CHARS:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > _MAX_EXTENSION_CHARS:
        return name[:MAX_FILENAME_CHARS].rstrip(". ")
    return f"{stem[:MAX_FILENAME_CHARS - len(extension) - 1].rstrip('. ')}.{extension}"
