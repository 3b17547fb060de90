"""PDF rendering of a letter with fpdf2 and a Unicode TrueType font.

fpdf2's built-in fonts are Latin-1 only: "€", "œ" or a no-break space would be
lost, so a DejaVu font from Debian's fonts-dejavu-core package is required.
A missing font is a deployment error, reported with the package to install.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF

from webapp.letters.models import DISCLAIMER_FR, LetterText

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
# fontTools logs every glyph of the subset at INFO: noise in the app's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class LetterFontMissing(RuntimeError):
    """The TrueType font needed for the PDF is not installed."""


def font_paths(font_dir: str | Path = DEFAULT_FONT_DIR) -> tuple[Path, Path]:
    base = Path(font_dir)
    regular, bold = base / REGULAR, base / BOLD
    missing = [str(p) for p in (regular, bold) if not p.is_file()]
    if missing:
        raise LetterFontMissing(
            "Police introuvable pour le PDF : " + ", ".join(missing) +
            ". Installez le paquet Debian « fonts-dejavu-core » (make setup) "
            "ou réglez LETTERS_FONT_DIR. / PDF font not found: install the Debian package "
            "fonts-dejavu-core (make setup) or set LETTERS_FONT_DIR.")
    return regular, bold


class _LetterPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=7.5)
        self.set_text_color(80, 80, 80)
        self.multi_cell(0, 3.5, f"{DISCLAIMER_FR} Page {self.page_no()}/{{nb}}", align="C")


def render_pdf(letter: LetterText, font_dir: str | Path = DEFAULT_FONT_DIR) -> bytes:
    """The letter as an A4 PDF: sender top left, recipient on the right, then date, subject, body."""
    regular, bold = font_paths(font_dir)
    pdf = _LetterPDF(format="A4", unit="mm")
    pdf.set_title(letter.subject or "Courrier")
    pdf.set_author("Rester chez soi (modèle)")
    pdf.set_creator("Rester chez soi")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("DejaVu", size=10.5)
    pdf.multi_cell(width * 0.55, 5.2, letter.sender.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_x(pdf.l_margin + width * 0.5)
    pdf.multi_cell(width * 0.5, 5.2, letter.recipient.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(width, 5.2, letter.place_date.strip(), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    if letter.subject.strip():
        pdf.set_font("DejaVu", "B", 10.5)
        pdf.multi_cell(width, 5.4, "Objet : " + letter.subject.strip(), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10.5)
        pdf.ln(4)
    for paragraph in _paragraphs(letter.body):
        pdf.multi_cell(width, 5.2, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.6)
    return bytes(pdf.output())


def _paragraphs(body: str) -> list[str]:
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [p.strip("\n") for p in text.split("\n\n") if p.strip()]
