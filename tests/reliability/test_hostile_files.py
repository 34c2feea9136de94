"""Hostile files are refused before they are parsed, with the reason in the failure line, and
the rest of the batch goes on (issue: a 292 KB DOCX took 3.3 GB; PDF pages were never closed)."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from ingest.pdf import MAX_PAGES, parse_pdf
from ingest.readers import parse_document
from retrieval.errors import DocumentError
from tests import fixtures as fx


def write_zip_bomb_docx(path: Path, unpacked_mb: int = 80) -> Path:
    """A real .docx with one extra part of zeros: tiny on disk, huge when unpacked."""
    fx.write_docx(path.with_name("base.docx"))
    shutil.copy(path.with_name("base.docx"), path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/padding.xml", "w", force_zip64=True) as part:
            block = b"\0" * 1_000_000
            for _ in range(unpacked_mb):
                part.write(block)
    return path


def test_a_docx_that_unpacks_to_gigabytes_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = write_zip_bomb_docx(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 1_000_000
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=r"unpacks to 8\d MB; the limit is 50 MB"):
        parse_document(bomb)
    assert time.perf_counter() - started < 5  # refused from the zip's directory, not by parsing
    print(f"zip bomb: {bomb.stat().st_size} bytes on disk refused in "
          f"{time.perf_counter() - started:.2f} s")


def test_an_ordinary_docx_is_still_read(tmp_path: Path) -> None:
    assert parse_document(fx.write_docx(tmp_path / "ok.docx")).text


def test_a_pdf_with_more_pages_than_any_resume_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    c = canvas.Canvas(str(path))
    for n in range(MAX_PAGES + 1):
        c.drawString(72, 720, f"Page {n} of a very long report about distributed systems")
        c.showPage()
    c.save()
    with pytest.raises(DocumentError, match=rf"has {MAX_PAGES + 1} pages; the limit is {MAX_PAGES}"):
        parse_pdf(path)
