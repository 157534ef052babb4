"""Laying a slip out on A5 (fpdf2), as the forms of Circular 01/2018/TT-VPCP are laid out.

The agency and the national motto side by side, the number beside the place and date, the title, the
body, and the signature block with the digital signature's note (and the QR code of the public lookup
on the receipt). Text is real text in an embedded DejaVu Serif with every Vietnamese diacritic, so the
lookup code copied out of the PDF is the code. Rendering is deterministic: the same content and note
give the same bytes (the PDF's dates are the slip's, never the clock's).
"""

from dataclasses import dataclass
from datetime import datetime

import segno
from fpdf import FPDF

from services.slips.domain.content import Line, SlipContent
from services.slips.domain.typeface import face_files
from services.slips.domain.wording import long_day

FONT = "DejaVuSerif"
A5 = (148.0, 210.0)  # millimetres
MARGIN = 12.0
LEFT_COLUMN = 52.0
LINE = 4.6
QR_SIZE = 24.0
DEVELOPMENT_WARNING = "CHỮ KÝ SỐ PHÁT TRIỂN – không có giá trị pháp lý"


@dataclass(frozen=True)
class SignatureNote:
    """What the slip says of its digital signature: who signs, when (as written), whether for development."""

    signer: str
    signed_at: datetime
    signed_at_text: str
    development: bool


def render_slip(content: SlipContent, note: SignatureNote) -> bytes:
    """The unsigned PDF of a slip."""
    pdf = FPDF(format=A5, unit="mm")
    pdf.set_creation_date(note.signed_at)
    pdf.set_title(f"{content.title.capitalize()} {content.number}")
    pdf.set_author(content.agency)
    pdf.set_creator("hoso - Cổng Dịch vụ công Sở Y tế")
    pdf.set_lang("vi")
    pdf.set_margins(MARGIN, 10, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=12)
    for style, path in face_files(_shown_text(content, note)).items():
        pdf.add_font(FONT, style, str(path))
    pdf.add_page()
    _heading(pdf, content)
    _body(pdf, content)
    _signature_block(pdf, content, note)
    return bytes(pdf.output())


def _shown_text(content: SlipContent, note: SignatureNote) -> str:
    """What the slip shows besides the layout's own words (Vietnamese, all in the Latin cut)."""
    lines = [text for line in (*content.lines, *content.after) for text in (line.label, line.value)]
    shown = [value for value in vars(content).values() if isinstance(value, str)]
    return "".join([*shown, *lines, *content.items, *content.closing, note.signer, note.signed_at_text])


def _heading(pdf: FPDF, content: SlipContent) -> None:
    right = pdf.epw - LEFT_COLUMN
    if content.form:
        pdf.set_font(FONT, "I", 7)
        pdf.set_xy(MARGIN, 5)
        pdf.cell(pdf.epw, 4, content.form, align="R")
    pdf.set_xy(MARGIN, 10)
    pdf.set_font(FONT, "", 7.5)
    pdf.cell(LEFT_COLUMN, 4, content.agency, align="C")
    pdf.set_font(FONT, "B", 7.5)
    pdf.cell(right, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 6.5)
    pdf.cell(LEFT_COLUMN, 4, content.unit, align="C")
    pdf.set_font(FONT, "B", 8)
    pdf.cell(right, 4, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 0.4
    pdf.set_line_width(0.2)
    pdf.line(MARGIN + LEFT_COLUMN / 2 - 10, y, MARGIN + LEFT_COLUMN / 2 + 10, y)
    middle = MARGIN + LEFT_COLUMN + right / 2
    pdf.line(middle - 20, y, middle + 20, y)
    pdf.set_y(y + 2)
    _fitted(pdf, f"Số: {content.number}", "", 7.5, LEFT_COLUMN - 1)
    pdf.cell(LEFT_COLUMN, 4, f"Số: {content.number}", align="C")
    pdf.set_font(FONT, "I", 7.5)
    pdf.cell(right, 4, f"{content.place}, {long_day(content.issued_on)}", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    pdf.set_font(FONT, "B", 10.5)
    pdf.multi_cell(pdf.epw, 5.5, content.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _fitted(pdf: FPDF, text: str, style: str, size: float, width: float) -> None:
    """Set the font at `size`, or smaller (to 5.5 pt) for a long text to fit in `width` (a long number)."""
    pdf.set_font(FONT, style, size)
    while size > 5.5 and pdf.get_string_width(text) > width:
        size -= 0.25
        pdf.set_font(FONT, style, size)


def _body(pdf: FPDF, content: SlipContent) -> None:
    pdf.set_font(FONT, "", 8.5)
    pdf.multi_cell(pdf.epw, LINE, content.opening, new_x="LMARGIN", new_y="NEXT")
    for line in content.lines:
        _line(pdf, line)
    if content.list_heading:
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(pdf.epw, LINE, content.list_heading, new_x="LMARGIN", new_y="NEXT")
        for item in content.items:
            pdf.set_x(MARGIN + 4)
            pdf.multi_cell(pdf.epw - 4, LINE, f"– {item}", new_x="LMARGIN", new_y="NEXT")
    for line in content.after:
        _line(pdf, line)
    for paragraph in content.closing:
        pdf.ln(1)
        pdf.set_font(FONT, "I", 8)
        pdf.multi_cell(pdf.epw, LINE, paragraph, new_x="LMARGIN", new_y="NEXT")


def _line(pdf: FPDF, line: Line) -> None:
    """`label: value`, the value in bold when it is what the citizen keeps (the code, the date)."""
    pdf.set_x(MARGIN)
    pdf.set_font(FONT, "", 8.5)
    pdf.write(LINE, f"{line.label}: ")
    pdf.set_font(FONT, "B" if line.strong else "", 8.5)
    pdf.write(LINE, line.value)
    pdf.ln(LINE)


def _signature_block(pdf: FPDF, content: SlipContent, note: SignatureNote) -> None:
    if pdf.get_y() + 36 > pdf.h - 12:
        pdf.add_page()
    top = pdf.get_y() + 4
    right = pdf.epw - LEFT_COLUMN
    if content.qr_url:
        _qr(pdf, content.qr_url, MARGIN + (LEFT_COLUMN - QR_SIZE) / 2, top)
        pdf.set_xy(MARGIN, top + QR_SIZE + 1)
        pdf.set_font(FONT, "I", 6.5)
        pdf.cell(LEFT_COLUMN, 3, "Quét mã để tra cứu hồ sơ", align="C")
    pdf.set_xy(MARGIN + LEFT_COLUMN, top)
    pdf.set_font(FONT, "B", 8.5)
    pdf.cell(right, LINE, content.signer_title, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "I", 7.5)
    pdf.cell(right, LINE, "(Ký số)", align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(1)
    box_x, box_width = MARGIN + LEFT_COLUMN + 4, right - 8
    box_top = pdf.get_y()
    pdf.set_font(FONT, "", 6.5)
    for text in (f"Đã ký số bởi: {note.signer}", f"Thời gian ký: {note.signed_at_text}"):
        pdf.set_x(box_x + 1)
        pdf.multi_cell(box_width - 2, 3.4, text, align="C", new_x="LEFT", new_y="NEXT")
    if note.development:
        pdf.set_x(box_x + 1)
        pdf.set_font(FONT, "B", 6.5)
        pdf.set_text_color(180, 0, 0)
        pdf.multi_cell(box_width - 2, 3.4, DEVELOPMENT_WARNING, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 70, 160)
    pdf.rect(box_x, box_top - 1, box_width, pdf.get_y() - box_top + 2)
    pdf.set_draw_color(0, 0, 0)


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    """The QR code as vector squares: sharp at any zoom, and nothing but the PDF to carry it."""
    matrix = segno.make(url, error="m", micro=False).matrix
    cell = QR_SIZE / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row, values in enumerate(matrix):
        for column, value in enumerate(values):
            if value:
                pdf.rect(x + column * cell, y + row * cell, cell, cell, style="F")
