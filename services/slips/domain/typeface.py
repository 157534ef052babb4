"""Which DejaVu Serif a slip is set in: the Latin cut shipped beside the whole face, or the whole face.

Loading a TrueType face is most of a slip's layout: fpdf reads every glyph's outline offsets and widths
when the face is added (three faces a slip) and subsets the face again at output. The whole DejaVu Serif
has 3,528 glyphs a face, of which a Vietnamese slip uses a few dozen. The cut (`python -m
services.slips.cut_fonts` makes it) keeps the Latin script, about 1,100 glyphs: every Vietnamese letter,
precomposed or with combining marks, punctuation, the đồng sign; a slip is laid out in it in about two
thirds of the time. A slip with any character outside the cut (a name written in Cyrillic, say) is set in
the whole face instead, so nothing a citizen typed goes missing from the slip.
"""

from pathlib import Path

FONTS_DIR = Path(__file__).parent.parent / "templates" / "fonts"
FACES = {"": "DejaVuSerif", "B": "DejaVuSerif-Bold", "I": "DejaVuSerif-Italic"}  # fpdf's style -> file
CUT_SUFFIX = "-Latin"
# Unicode blocks, first and last code point: Basic Latin, Latin-1 to Latin Extended-B (Ơ, Ư), spacing
# modifiers and combining diacritical marks (text typed decomposed), Latin Extended Additional (ạ ... ỹ),
# general punctuation (– “ ” …), currency symbols (₫), letterlike symbols (№).
LATIN_BLOCKS = ((0x0020, 0x007E), (0x00A0, 0x024F), (0x02B0, 0x036F), (0x1E00, 0x1EFF),
                (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F))


def in_latin_cut(text: str) -> bool:
    """Whether every character of `text` is in a block the cut keeps (line breaks are never drawn)."""
    return all(any(first <= ord(character) <= last for first, last in LATIN_BLOCKS)
               for character in set(text) - {"\n", "\r", "\t"})


def face_files(text: str) -> dict[str, Path]:
    """The font file of each style to set `text` in: the cut when it holds every character of it."""
    suffix = CUT_SUFFIX if in_latin_cut(text) else ""
    return {style: FONTS_DIR / f"{name}{suffix}.ttf" for style, name in FACES.items()}
