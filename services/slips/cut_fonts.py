"""Cut the Latin script out of the shipped DejaVu Serif, for the slips (`domain.typeface` says why).

Run after replacing the fonts in templates/fonts: `python -m services.slips.cut_fonts`. The cut keeps the
faces' names, metrics and outlines of the kept glyphs, drops their hinting (a PDF viewer does not use it)
and glyph names, and is written beside the whole face as `<face>-Latin.ttf`.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from services.slips.domain.typeface import CUT_SUFFIX, FACES, FONTS_DIR, LATIN_BLOCKS


def cut_latin(source: Path, target: Path) -> int:
    """Write the Latin cut of the face at `source` to `target`; how many glyphs it kept."""
    options = subset.Options()
    options.name_IDs = ["*"]  # the family name fpdf shows, and the licence's notice
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.glyph_names = False
    options.layout_features = []  # fpdf sets the text glyph by glyph, without shaping
    options.drop_tables += ["FFTM"]
    face = TTFont(source, recalcTimestamp=False)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[point for first, last in LATIN_BLOCKS for point in range(first, last + 1)])
    cutter.subset(face)
    face.save(target)
    return len(face.getGlyphOrder())


def main() -> None:
    for name in FACES.values():
        kept = cut_latin(FONTS_DIR / f"{name}.ttf", FONTS_DIR / f"{name}{CUT_SUFFIX}.ttf")
        sys.stdout.write(f"{name}{CUT_SUFFIX}.ttf: {kept} glyphs\n")


if __name__ == "__main__":
    main()
