"""Folding Vietnamese for accent-insensitive search."""

from services.query.domain.search import fold, search_tokens


def test_drops_tone_and_vowel_marks() -> None:
    assert fold("Chứng chỉ hành nghề") == "chung chi hanh nghe"
    assert fold("Giấy phép") == "giay phep"


def test_d_with_stroke_becomes_d_in_both_cases() -> None:
    assert fold("Đào Văn Đức đến") == "dao van duc den"


def test_collapses_whitespace_and_lowercases() -> None:
    assert fold("  GIẤY \t phép\nhoạt   động ") == "giay phep hoat dong"


def test_query_words_match_folded_text() -> None:
    text = fold("Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh")
    assert all(token in text for token in search_tokens("giay phep"))
    assert all(token in text for token in search_tokens("KHÁM benh"))


def test_empty_query_has_no_words() -> None:
    assert search_tokens("   ") == []
