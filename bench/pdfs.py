"""PDFs of a chosen size, for the documents step: a real one-page PDF grown by comment lines.

Intake judges an upload by its first bytes (`%PDF-`) and its last kilobyte (`%%EOF`), so the padding goes
inside the file, just before `%%EOF`, as PDF comments (`%` to the end of the line), which any reader skips.
"""

from services.sample_files import sample_pdf

MEGABYTE = 1024 * 1024  # as intake counts its limits (MAX_FILE_BYTES) and the bench counts VmHWM
_END = b"%%EOF\n"
_LINE = 80  # bytes per comment line, its newline included


def pdf_of_size(size: int, text: str = "hoso bench") -> bytes:
    """A valid PDF of exactly `size` bytes (at least the size of the bare one-page PDF)."""
    bare = sample_pdf(text)
    assert bare.endswith(_END), "sample_pdf no longer ends with %%EOF"
    missing = size - len(bare)
    if missing < 0:
        raise ValueError(f"a PDF cannot be smaller than {len(bare)} bytes")
    whole_lines, rest = divmod(missing, _LINE)
    padding = (b"%" + b"0" * (_LINE - 2) + b"\n") * whole_lines
    if rest:
        # A last, shorter comment line; a lone byte cannot be a comment, so it is whitespace instead.
        padding += b"\n" if rest == 1 else b"%" + b"0" * (rest - 2) + b"\n"
    pdf = bare[: -len(_END)] + padding + _END
    assert len(pdf) == size
    return pdf
