"""Files that would take minutes to read are refused: a DOCX with more XML than any resume from
its zip directory, before parsing (one just under the 50 MB unpacked limit, all of it XML, took
257 s and 463 MB to read), and any file with more text than any resume (a DOCX stops being read
at the limit)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from ingest.readers import MAX_TEXT_CHARS, MAX_UNPACKED_MB, MAX_XML_MB, parse_document
from retrieval.errors import DocumentError
from tests import fixtures as fx


def pad_with_paragraphs(path: Path, megabytes: int) -> Path:
    """Add an XML part of repeated paragraphs: tiny on disk, `megabytes` of XML unpacked."""
    paragraph = b"<w:p><w:r><w:t>Kubernetes, Helm, Terraform, Prometheus</w:t></w:r></w:p>" * 10_000
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/padding.xml", "w", force_zip64=True) as part:
            written = 0
            while written < megabytes * 1_000_000:
                part.write(paragraph)
                written += len(paragraph)
    return path


def test_a_docx_with_more_xml_than_any_resume_is_refused_before_parsing(tmp_path: Path) -> None:
    megabytes = int(MAX_XML_MB * 2)
    assert megabytes < MAX_UNPACKED_MB  # under the unpacked limit: only the XML limit refuses it
    path = pad_with_paragraphs(fx.write_docx(tmp_path / "heavy.docx"), megabytes)
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=r"its text unpacks to 1[67] MB of XML; the limit is "
                                            rf"{MAX_XML_MB:g} MB"):
        parse_document(path)
    print(f"{path.stat().st_size} bytes on disk, {megabytes} MB of XML: refused in "
          f"{time.perf_counter() - started:.3f} s")
    assert time.perf_counter() - started < 2


def test_a_docx_with_images_beyond_the_xml_limit_is_still_read(tmp_path: Path) -> None:
    path = fx.write_docx(tmp_path / "photo.docx")
    with zipfile.ZipFile(path, "a") as archive:  # a photo is not parsed: only the total limit counts it
        archive.writestr("word/media/image1.png", b"\x89PNG" + bytes(int(MAX_XML_MB * 1_500_000)))
    assert parse_document(path).text


def test_a_docx_with_more_text_than_any_resume_stops_being_read(tmp_path: Path) -> None:
    path = fx.write_docx(tmp_path / "long.docx")
    paragraphs = "".join(f"<w:p><w:r><w:t>Line {i}: Kubernetes, Helm, Terraform and Go.</w:t></w:r></w:p>"
                         for i in range(MAX_TEXT_CHARS // 40))
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    body = parts["word/document.xml"].decode()
    at = body.index("<w:body>") + len("<w:body>")
    parts["word/document.xml"] = (body[:at] + paragraphs + body[at:]).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=f"has more than {MAX_TEXT_CHARS:,} characters of text"):
        parse_document(path)
    print(f"{MAX_TEXT_CHARS // 40} paragraphs: refused in {time.perf_counter() - started:.2f} s")


def test_a_text_file_with_more_text_than_any_resume_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Kubernetes and Helm.\n" * (MAX_TEXT_CHARS // 20 + 1), encoding="utf-8")
    with pytest.raises(DocumentError, match=f"has more than {MAX_TEXT_CHARS:,} characters of text"):
        parse_document(path)
    path.write_text("Kubernetes and Helm.\n" * 100, encoding="utf-8")
    assert parse_document(path).text
