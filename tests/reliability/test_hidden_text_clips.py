"""Visible text stays when a shape is painted inside a clipping area: only the clipped part of a
fill covers or colours anything (a page-size rectangle clipped to a footer strip once removed a
whole page of text as "covered", and the document then failed as "scanned")."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest.pdf import parse_pdf

W, H = A4
BODY = ["Rowan Kessler", "Data Engineer, Northwind Analytics, 2019 - 2024",
        "Built streaming pipelines in Kafka and Flink", "MSc Computer Science, 2018"]


def _clipped_fill(c: canvas.Canvas, rgb: tuple[float, float, float]) -> None:
    """A page-size rectangle, clipped to a 40 pt strip at the bottom of the page."""
    c.saveState()
    strip = c.beginPath()
    strip.rect(0, 0, W, 40)
    c.clipPath(strip, stroke=0, fill=0)
    c.setFillColorRGB(*rgb)
    c.rect(0, 0, W, H, fill=1, stroke=0)
    c.restoreState()


def test_a_fill_clipped_to_a_footer_covers_nothing_above_it(tmp_path: Path) -> None:
    path = tmp_path / "footer_band.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(BODY * 3):
        c.drawString(72, H - 72 - 16 * i, line)
    _clipped_fill(c, (0.9, 0.9, 0.95))
    c.showPage()
    c.save()

    doc = parse_pdf(path)
    assert all(line in doc.text for line in BODY)
    assert not doc.warnings


def test_a_clipped_white_fill_does_not_make_white_text_on_a_dark_band_invisible(tmp_path: Path) -> None:
    path = tmp_path / "dark_band.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFillColorRGB(0.1, 0.2, 0.4)
    c.rect(0, H - 100, W, 100, fill=1, stroke=0)
    _clipped_fill(c, (1, 1, 1))
    c.setFillColorRGB(1, 1, 1)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, H - 60, "Rowan Kessler - Data Engineer")
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(BODY[1:] * 2):
        c.drawString(72, H - 140 - 16 * i, line)
    c.showPage()
    c.save()

    doc = parse_pdf(path)
    assert "Rowan Kessler - Data Engineer" in doc.text
    assert not doc.warnings
