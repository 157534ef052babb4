"""Search that fits Vietnamese (tìm kiếm không dấu): fold text so "giay phep" finds "Giấy phép"."""

import unicodedata

# "đ" is a letter of its own, not "d" plus a mark, so decomposition alone leaves it in place.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lowercase, accent-free text with single spaces: the form both documents and queries are compared in."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())


def search_tokens(query: str) -> list[str]:
    """The words of a search query, folded; a dossier matches when it contains every one of them."""
    return fold(query).split()


def lookup_key(code: str) -> str:
    """A lookup code (mã tra cứu) as it is matched: in whatever case it was typed, without stray spaces."""
    return code.strip().upper()
