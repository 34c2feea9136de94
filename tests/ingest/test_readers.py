"""Readers: every format to canonical text, and every bad file to a DocumentError naming it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from ingest.readers import normalize_text, parse_document
from retrieval.errors import DocumentError
from tests import fixtures as fx

RUN_TOGETHER = re.compile(r"[A-Za-z]{19,}")
CJK = "[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"


def drawn(line: fx.Line) -> str:
    """What a reader should give for a drawn line: reportlab's "•" comes out as an icon glyph, dropped."""
    return fx.line_text(line).removeprefix("• ")


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


# ---------------------------------------------------------------------------------------------
# PDF


def test_wordwise_pdf_gets_spaces_back_and_loses_its_footer(tmp_path: Path) -> None:
    path = fx.write_wordwise_pdf(tmp_path / "jane.pdf")
    with pdfplumber.open(path) as pdf:  # the fixture really is hard: naive extraction runs words together
        assert RUN_TOGETHER.search(pdf.pages[0].extract_text())

    doc = parse_document(path)

    expected = [drawn(line) for page in fx.WORDWISE_PAGES for _, line in page]
    assert lines_of(doc.text) == expected
    assert not RUN_TOGETHER.search(doc.text)
    assert "Resume — page" not in doc.text
    assert doc.source == str(path)
    assert doc.warnings == []


def test_pdf_page_spans_cover_the_text_page_by_page(tmp_path: Path) -> None:
    doc = parse_document(fx.write_wordwise_pdf(tmp_path / "jane.pdf"))

    assert [span.page for span in doc.pages] == [1, 2]
    first, second = doc.pages
    assert first.start == 0 and second.end == len(doc.text)
    assert doc.text[first.end : second.start] == "\n\n"
    assert doc.text[first.start : first.end].startswith("Jane Q. Example")
    assert doc.text[second.start : second.end].startswith("Projects")
    assert doc.page_at(doc.text.index("Blue Heron Media")) == 1
    assert doc.page_at(doc.text.index("Oregon State University")) == 2


def test_two_column_pdf_reads_left_column_then_right(tmp_path: Path) -> None:
    path = fx.write_two_column_pdf(tmp_path / "marcus.pdf")
    with pdfplumber.open(path) as pdf:  # naive extraction interleaves the columns
        assert "EDUCATION EXPERIENCE" in pdf.pages[0].extract_text()

    doc = parse_document(path)

    expected = fx.TWO_COLUMN_HEADER + [drawn(x) for x in fx.TWO_COLUMN_LEFT + fx.TWO_COLUMN_RIGHT if x]
    assert lines_of(doc.text) == expected
    positions = [doc.text.index(heading) for heading in ("EDUCATION", "SKILLS", "EXPERIENCE", "PROJECTS")]
    assert positions == sorted(positions)


def test_one_column_pdf_with_right_aligned_dates_is_not_split(tmp_path: Path) -> None:
    doc = parse_document(fx.write_wordwise_pdf(tmp_path / "jane.pdf"))
    assert "Senior Frontend Engineer, Northwind Labs 2020 – present" in doc.text.split("\n")

    short = parse_document(fx.write_short_lines_pdf(tmp_path / "priya.pdf"))
    assert lines_of(short.text) == [drawn(line) for line in fx.SHORT_LINES_ROWS]


def test_chinese_pdf_keeps_cjk_together_and_english_terms(tmp_path: Path) -> None:
    doc = parse_document(fx.write_chinese_pdf(tmp_path / "li.pdf"))

    assert lines_of(doc.text) == [drawn(line) for _, line in fx.CHINESE_LINES]
    assert "主导 KV Cache 量化方案的设计与落地" in doc.text
    assert "使用 CUDA 和 Triton 编写融合 attention 算子" in doc.text
    # the only CJK-space-CJK pairs are the wide field gaps drawn on purpose
    wanted = sum(len(re.findall(f"{CJK} {CJK}", drawn(line))) for _, line in fx.CHINESE_LINES)
    assert len(re.findall(f"{CJK} {CJK}", doc.text)) == wanted
    assert [span.page for span in doc.pages] == [1]


def test_invisible_text_is_excluded_with_a_warning(tmp_path: Path) -> None:
    doc = parse_document(fx.write_invisible_text_pdf(tmp_path / "victor.pdf"))

    assert lines_of(doc.text) == fx.INVISIBLE_VISIBLE_LINES + [fx.WHITE_ON_DARK_BANNER]
    for hidden in (fx.HIDDEN_TINY, fx.HIDDEN_OFF_PAGE, fx.HIDDEN_WHITE):
        assert hidden.split()[0] not in doc.text
    count = sum(len(s.replace(" ", "")) for s in (fx.HIDDEN_TINY, fx.HIDDEN_OFF_PAGE, fx.HIDDEN_WHITE))
    assert doc.warnings == [f"page 1: {count} characters of invisible text (tiny, off-page or white-on-white) were excluded"]


# ---------------------------------------------------------------------------------------------
# DOCX, text, Markdown, HTML


def test_docx_keeps_body_order_lists_and_table_cells(tmp_path: Path) -> None:
    doc = parse_document(fx.write_docx(tmp_path / "wang.docx"))
    lines = lines_of(doc.text)

    assert lines[0] == "王静怡"
    assert "- 搭建流式语音识别服务，首字延迟控制在 300 毫秒以内。" in lines
    table = ["\t".join(row) for row in fx.DOCX_TABLE]
    start = lines.index(table[0])
    assert lines[start - 1] == "技能"
    assert lines[start : start + 3] == table
    assert lines[start + 3] == "英语：CET-6，可阅读英文论文。"
    assert doc.pages == []


def test_text_and_markdown_are_read_verbatim(tmp_path: Path) -> None:
    text = parse_document(fx.write_text(tmp_path / "samuel.txt"))
    markdown = parse_document(fx.write_markdown(tmp_path / "elena.md"))

    assert text.text == fx.TEXT_RESUME.strip()
    assert markdown.text == fx.MARKDOWN_RESUME.strip()
    assert text.pages == [] and markdown.pages == []


def test_markdown_loses_its_site_generators_markup_and_nothing_else(tmp_path: Path) -> None:
    """Container fences and icons are markup: left in, "## icon:briefcase 实习经历" is no heading.
    Times, URLs and "key: value" lines keep their colons."""
    page = ("::: headStart\n## 初级后端工程师\nicon:user 男 / 林知远 / icon:phone 13900000000\n:::\n"
            "## icon:briefcase 实习经历\n::: start\n**星河云 · 主机安全**\n:::\n后端开发实习生\n"
            "::: end\n:phone: 139 | :email: lin@example.com\nStand-up at 10:30:00, see https://x.example/a:b:c\n"
            "Skills: go: yes\n")
    path = tmp_path / "lin.md"
    path.write_text(page, encoding="utf-8")
    text = parse_document(path).text
    assert "## 实习经历" in text and "男 / 林知远 / 13900000000" in text
    assert ":::" not in text and "icon:" not in text and ":phone:" not in text
    assert "10:30:00" in text and "https://x.example/a:b:c" in text and "Skills: go: yes" in text
    plain = tmp_path / "lin.txt"
    plain.write_text(page, encoding="utf-8")
    assert "icon:user" in parse_document(plain).text  # a text file is read as written


def test_text_is_normalised_before_offsets_exist(tmp_path: Path) -> None:
    raw = "Cafe\u0301\r\nline\x00 two\x07\r\n\r\n\r\n\r\n\r\n\r\nend  \r\n"
    path = tmp_path / "messy.txt"
    path.write_bytes(raw.encode("utf-8"))

    doc = parse_document(path)

    assert doc.text == "Café\nline two\n\n\nend"
    assert normalize_text(doc.text) == doc.text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\ufeff简历：张三\n".encode("utf-8"), "简历：张三"),
        ("简历：张三 Python\n".encode("utf-16"), "简历：张三 Python"),
        ("简历：张三，熟悉 Python 与 Go。\n".encode("gb18030"), "简历：张三，熟悉 Python 与 Go。"),
    ],
)
def test_text_encodings(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "resume.txt"
    path.write_bytes(data)
    assert parse_document(path).text == expected


def test_html_gives_visible_text_only(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>x</title><style>p{}</style></head><body><h1>Ana Lima</h1>"
        "<script>var a = 1;</script><ul><li>Go &amp; Rust</li><li>Kubernetes</li></ul></body></html>",
        encoding="utf-8",
    )
    assert lines_of(parse_document(path).text) == ["Ana Lima", "- Go & Rust", "- Kubernetes"]


# ---------------------------------------------------------------------------------------------
# Bad files


def _garbage_docx(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    return path


def _zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a word document")
    return path


@pytest.mark.parametrize(
    ("write", "name", "reason"),
    [
        (fx.write_corrupt_pdf, "broken.pdf", "not a readable PDF: "),
        (fx.write_encrypted_pdf, "locked.pdf", "encrypted PDF (password protected); remove the password and re-upload"),
        (fx.write_scanned_pdf, "scan.pdf", "no text layer; it looks scanned and needs OCR"),
        (fx.write_empty_file, "empty.pdf", "empty file"),
        (fx.write_empty_file, "empty.txt", "empty file"),
        (fx.write_unsupported, "resume.xyz", "unsupported file type '.xyz'"),
        (fx.write_unsupported, "photo.png", "unsupported file type '.png'"),
        (fx.write_undecodable_text, "latin1.txt", "not UTF-8 text"),
        (_garbage_docx, "broken.docx", "not a readable Word document"),
        (_zip_without_document, "other.docx", "not a readable Word document"),
    ],
)
def test_bad_files_raise_document_error_naming_the_file(tmp_path: Path, write, name: str, reason: str) -> None:
    path = write(tmp_path / name)

    with pytest.raises(DocumentError) as caught:
        parse_document(path, source=f"slack:{name}")

    error = caught.value
    assert error.source == f"slack:{name}"
    assert error.reason.startswith(reason)
    assert str(error).startswith(f"slack:{name}: ")


def test_whitespace_only_text_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text(" \n\n\t\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="contains no text"):
        parse_document(path)


def test_old_word_format_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "cv.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    with pytest.raises(DocumentError, match=r"unsupported file type '\.doc'; save it as \.docx or PDF"):
        parse_document(path)


# ---------------------------------------------------------------------------------------------
# The corpus


def test_corpus_parses_and_names_each_person_on_the_first_line(tmp_path: Path) -> None:
    paths = fx.write_corpus(tmp_path)

    assert set(paths) == set(fx.CORPUS_FACTS)
    for key, path in paths.items():
        doc = parse_document(path)
        facts = fx.CORPUS_FACTS[key]
        assert lines_of(doc.text)[0].lstrip("# ") == facts["name"]
        for keyword in facts["keywords"]:
            assert keyword.lower() in doc.text.lower(), (key, keyword)


def test_fixtures_are_deterministic(tmp_path: Path) -> None:
    first = fx.write_corpus(tmp_path / "a")
    second = fx.write_corpus(tmp_path / "b")
    for key in first:
        assert first[key].read_bytes() == second[key].read_bytes(), key
