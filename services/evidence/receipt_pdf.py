"""A signature's receipt as a one-page PDF (fpdf2), in a font that has every Latin, Greek and
Cyrillic letter a name may hold (DejaVu Sans, shipped under content/fonts/ with its licence)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from services.evidence.receipts import OCCASIONS, Receipt

FONTS = Path(__file__).resolve().parents[2] / "content" / "fonts"
TITLE = "Receipt for a signature of the Code of Conduct"


@cache
def _drawable() -> frozenset[int]:
    return frozenset(TTFont(FONTS / "DejaVuSans.ttf").getBestCmap())


def code_points(text: str) -> str | None:
    """The text as Unicode code points when the font can't draw all of it (e.g. Chinese names):
    the receipt still says exactly what was typed; None when every letter shows."""
    if all(ord(c) in _drawable() for c in text):
        return None
    return " ".join(f"U+{ord(c):04X}" for c in text)


def as_pdf(receipt: Receipt, *, site_url: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(TITLE)
    pdf.set_author("We Are Next Mentors")
    pdf.set_creation_date(receipt.signed_at)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, f"We Are Next Mentors, {site_url}. This listing "
                   f"{OCCASIONS.get(receipt.occasion, receipt.occasion)} and signed the Code of "
                   "Conduct as recorded below.", new_x="LMARGIN", new_y="NEXT", align="L")  # fmt: skip
    pdf.ln(4)
    lines = receipt.lines()
    spelled = code_points(receipt.typed_name)
    if spelled:
        lines.insert(3, ("Name, code points", spelled))
    for label, value in lines:
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(45, 6, label)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, (
        "How to check it: the Code's SHA-256 is the hash of the Code's text as published in that "
        "version. The audit row's SHA-256 is that row's place in the app's tamper-evident log; "
        "the operators can show that the log still holds it (python -m commands.verify_audit). "
        f"Anyone can check the verification code at {site_url}/check-a-receipt: it says whether "
        "the code matches a signature we hold, and nothing more."
    ), new_x="LMARGIN", new_y="NEXT", align="L")  # fmt: skip
    return bytes(pdf.output())
