"""Splitting along a document's own structure; every chunk and unit a verbatim slice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from candidates.sections import heading_text, is_heading
from ingest.pipeline import build_passages, build_units
from ingest.readers import parse_document
from ingest.split import MAX_CHARS, Chunk, split_document, split_units
from tests import fixtures as fx


def texts_of(text: str, chunks: list[Chunk]) -> list[str]:
    return [text[c.start:c.end] for c in chunks]


def assert_well_formed(text: str, chunks: list[Chunk]) -> None:
    """In order, not overlapping, no surrounding whitespace, each unit inside its chunk."""
    previous_end = 0
    for c in chunks:
        piece = text[c.start:c.end]
        assert previous_end <= c.start < c.end <= len(text), c
        assert piece == piece.strip(), c
        previous_end = c.end
        units = split_units(text, c.start, c.end)
        assert units, c
        for s, e in units:
            assert c.start <= s < e <= c.end, (c, s, e)
            assert text[s:e] == text[s:e].strip()


# ---------------------------------------------------------------------------------------------
# Headings


@pytest.mark.parametrize("line", [
    "EDUCATION", "Work Experience", "Work Experience:", "## Skills", "### Projects", "教育背景", "工作经历",
    "项目经历：", "技能", "一、教育背景", "论文发表", "Selected Publications", "PROFESSIONAL EXPERIENCE",
])
def test_section_headings_in_both_languages(line: str) -> None:
    assert is_heading(line)


@pytest.mark.parametrize("line", [
    "Led the migration of a 200k-line JavaScript codebase to TypeScript in strict mode.",
    "清华大学 计算机科学与技术 博士 2018 – 2023",
    "Experience with Kubernetes operators since 2019",
    "技能类别 | 内容",  # the header row of a skills table is content, not a heading
    "",
])
def test_content_lines_are_not_headings(line: str) -> None:
    assert not is_heading(line)


def test_heading_text_drops_marks_numbering_and_colons() -> None:
    assert heading_text("## Skills") == "Skills"
    assert heading_text("Work Experience:") == "Work Experience"
    assert heading_text("一、教育背景") == "教育背景"
    assert heading_text("项目经历：") == "项目经历"


MIXED = """Ada Lindqvist
ada.lindqvist@example.com

EDUCATION
M.Sc. Computer Science, Uppsala University, 2019

Work Experience:
- Built a billing service in Go that handles four million invoices a month.
- Cut p99 latency of the search API from 900 ms to 120 ms.

## Skills
Go, Rust, PostgreSQL

项目经历
• 负责推荐系统的召回模块，点击率提升 12%。
• 搭建特征平台，支持上百个模型的在线推理。

技能：
Python、C++、Spark"""


def test_resume_splits_at_english_chinese_and_markdown_headings() -> None:
    chunks = split_document(MIXED)

    assert [c.section for c in chunks] == [None, "EDUCATION", "Work Experience", "Skills", "项目经历", "技能"]
    texts = texts_of(MIXED, chunks)
    assert texts[0] == "Ada Lindqvist\nada.lindqvist@example.com"
    assert texts[1] == "M.Sc. Computer Science, Uppsala University, 2019"
    assert texts[2].startswith("- Built a billing service") and texts[2].endswith("120 ms.")
    assert texts[3] == "Go, Rust, PostgreSQL"
    assert texts[4] == "• 负责推荐系统的召回模块，点击率提升 12%。\n• 搭建特征平台，支持上百个模型的在线推理。"
    assert texts[5] == "Python、C++、Spark"
    for heading in ("EDUCATION", "Work Experience:", "## Skills", "项目经历", "技能："):
        assert all(heading not in t.split("\n") for t in texts)  # headings label chunks, not fill them
    assert_well_formed(MIXED, chunks)


def bullets(n: int, width: int = 90) -> list[str]:
    return [f"- Bullet {i:02d}: " + ("shipped a feature and measured it carefully " * 5)[:width - 14] + "."
            for i in range(n)]


def test_bullets_stay_whole_and_grouped_under_their_heading() -> None:
    items = bullets(20)
    text = "Kim Ode\n\nExperience\n" + "\n".join(items) + "\n\nSkills\nGo"
    chunks = split_document(text)

    experience = [c for c in chunks if c.section == "Experience"]
    assert len(experience) > 1  # 20 bullets of ~90 chars do not fit one chunk ...
    assert all(c.end - c.start <= MAX_CHARS for c in experience)
    for item in items:  # ... but every bullet is whole, in exactly one chunk
        assert sum(item in t for t in texts_of(text, experience)) == 1, item
    for t in texts_of(text, experience):
        assert t.startswith("- Bullet") and t.endswith(".")
    assert [c.section for c in chunks][-1] == "Skills"
    assert_well_formed(text, chunks)


def test_a_new_entry_starts_a_new_chunk() -> None:
    text = fx.TEXT_RESUME.strip()
    chunks = [t for t in texts_of(text, split_document(text))]

    assert any(t.startswith("Senior iOS Engineer, Pinecone Health") for t in chunks)
    assert any(t.startswith("iOS Developer, Tidewater Games") for t in chunks)


def test_a_long_bullet_is_split_at_sentence_ends() -> None:
    sentences = [f"Sentence {i} describes one more achievement of the migration project in detail." for i in range(30)]
    bullet = "- " + " ".join(sentences)
    text = "Experience\n" + bullet
    chunks = split_document(text)

    assert len(chunks) >= 3
    assert all(c.section == "Experience" for c in chunks)
    pieces = texts_of(text, chunks)
    assert " ".join(pieces) == bullet  # nothing lost, cut only at the spaces between sentences
    for piece in pieces:
        assert piece.endswith(".")
        assert re.match(r"(- )?Sentence \d+ ", piece)
        assert len(piece) <= MAX_CHARS * 2
    assert_well_formed(text, chunks)


def test_a_long_chinese_bullet_is_split_at_full_stops() -> None:
    sentence = "负责大模型推理引擎的性能优化与显存管理，设计并落地了量化方案，显著降低了延迟。"
    bullet = "• " + sentence * 40
    text = "工作经历\n" + bullet
    chunks = split_document(text)

    assert len(chunks) >= 2
    pieces = texts_of(text, chunks)
    assert "".join(pieces) == bullet
    assert all(piece.endswith("。") for piece in pieces)
    assert all(c.section == "工作经历" for c in chunks)


def test_publication_profile_gives_one_chunk_per_paper() -> None:
    text = fx.PUBLICATION_PROFILE.strip()
    chunks = split_document(text)
    papers = [c for c in chunks if c.section == "Publications"]
    titles = [
        "Equivariant Message Passing for Molecular Property Prediction",
        "Few-Shot Drug Discovery with Graph Meta-Learning",
        "Benchmarking Graph Neural Networks on Reaction Yields",
        "Self-Supervised Pretraining for Molecular Graphs",
    ]
    venues = ["NeurIPS 2023 · Dec 2023", "ICML 2022 · Jul 2022", "Journal of Chemical Informatics · Mar 2021",
              "ICLR Workshop · May 2020"]

    assert [c.section for c in chunks] == ["Profile"] + ["Publications"] * 4
    assert text[chunks[0].start:chunks[0].end] == "Hana Sato\n4 Papers"
    for chunk, title, venue in zip(papers, titles, venues):
        paper = text[chunk.start:chunk.end]
        assert paper.split("\n")[:2] == [venue, title]  # each paper with its own venue line
        assert sum(t in paper for t in titles) == 1
        assert paper.endswith(".")  # ... and its abstract, up to the next paper
    assert_well_formed(text, chunks)


def test_a_resume_with_comma_lists_is_not_taken_for_a_profile() -> None:
    text = fx.TEXT_RESUME.strip() + "\n\nTOOLS\nGit, Jira, Figma\nFastlane, Bitrise, Sentry\nXcode, Instruments, Charles"
    assert "Publications" not in {c.section for c in split_document(text)}


def test_empty_and_blank_text_give_no_chunks() -> None:
    assert split_document("") == []
    assert split_document(" \n\n \n") == []


# ---------------------------------------------------------------------------------------------
# Every chunk of every fixture format is a verbatim slice


FORMATS = {
    "wordwise.pdf": fx.write_wordwise_pdf,
    "two_column.pdf": fx.write_two_column_pdf,
    "chinese.pdf": fx.write_chinese_pdf,
    "short_lines.pdf": fx.write_short_lines_pdf,
    "resume.docx": fx.write_docx,
    "resume.txt": fx.write_text,
    "resume.md": fx.write_markdown,
    "profile.txt": fx.write_publication_profile,
}


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_passage_and_unit_is_a_verbatim_slice(tmp_path: Path, name: str) -> None:
    doc = parse_document(FORMATS[name](tmp_path / name))
    record, passages = build_passages(doc, "d" * 20)
    units = build_units(doc.text, passages)

    assert passages and record.passages == len(passages)
    assert [p.id for p in passages] == [f"{'d' * 20}:{i}" for i in range(len(passages))]
    for p in passages:
        assert doc.text[p.start:p.end] == p.text
        assert p.text.strip() == p.text and p.text
        assert p.page == doc.page_at(p.start)
        assert p.source == doc.source
    for u in units:
        assert doc.text[u.start:u.end] == u.text
        owner = next(p for p in passages if p.id == u.passage_id)
        assert owner.start <= u.start < u.end <= owner.end
    assert {u.passage_id for u in units} == {p.id for p in passages}  # every passage is comparable
    ends = [(p.start, p.end) for p in passages]
    assert ends == sorted(ends) and all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))


def test_pdf_passages_know_their_page(tmp_path: Path) -> None:
    doc = parse_document(fx.write_wordwise_pdf(tmp_path / "jane.pdf"))
    _, passages = build_passages(doc, "e" * 20)

    by_section = {p.section: p.page for p in passages}
    assert by_section["Summary"] == 1 and by_section["Experience"] == 1
    assert by_section["Skills"] == 2 and by_section["Education"] == 2


def test_docx_table_stays_under_its_heading(tmp_path: Path) -> None:
    doc = parse_document(fx.write_docx(tmp_path / "wang.docx"))
    _, passages = build_passages(doc, "f" * 20)

    skills = [p for p in passages if p.section == "技能"]
    assert len(skills) == 1
    for row in fx.DOCX_TABLE:
        assert "\t".join(row) in skills[0].text


def test_units_are_lines_and_short_lines_join_a_neighbour() -> None:
    long_a = "Kubernetes operators written in Go for stateful databases"
    long_b = "Prometheus alerting and on-call runbooks for eighty services"
    text = f"Skills\nGo\n{long_a}\n{long_b}\nand more"
    chunk = split_document(text)[0]
    units = [text[s:e] for s, e in split_units(text, chunk.start, chunk.end)]

    # "Go" is too short to compare alone: it joins the next line; a short last line joins the previous
    assert units == [f"Go\n{long_a}", f"{long_b}\nand more"]
