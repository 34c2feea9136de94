"""Layout and sections: margin headings in PDFs, heading shapes, publication pages, namesakes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from candidates import sections
from candidates.papers import author_position, authors_of, coauthor_groups, profile_flags
from candidates.sections import field_of, is_heading
from ingest.readers import parse_document
from ingest.split import is_publication_page, split_document
from retrieval.types import Fact

# ---------------------------------------------------------------------------------------------
# PDF: a left margin column of section labels beside the body

MARGIN_ROWS = [  # (label in the margin or None, body line)
    ("EDUCATION", "Northfield Institute of Technology, Harbor City"),
    (None, "B.S. in Computer Science 2015 - 2019"),
    ("Work", "Platform Engineer at Quillmarsh Labs 2019 - 2023"),
    ("History", "Built a ledger service in Go that settles four million payments a day."),
    (None, "Moved the billing queue from cron jobs to an event stream."),
    (None, "Cut the p99 latency of the payments API from 900 ms to 120 ms."),
    (None, "Led a team of four engineers through two on-call rotations a month."),
    (None, "Wrote the runbooks for the ledger's disaster recovery drills."),
    ("SKILLS", "Go, Rust, PostgreSQL, Kafka, Terraform"),
    (None, "Kubernetes operators, gRPC, observability with OpenTelemetry"),
    (None, "Linux performance tuning, profiling with eBPF and flame graphs"),
    (None, "Writing design documents and reviewing them with other teams"),
    ("Awards", "Hackathon winner, internal infrastructure track"),
    ("and", "Engineering excellence award for the ledger migration"),
    ("Honors", "Speaker at the regional Go meetup"),
]


def write_margin_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(60, 800, "Rowan Ellery")
    y = 760.0
    for label, body in MARGIN_ROWS:
        if label:
            c.setFont("Helvetica-Bold", 10)
            c.drawString(60, y, label)
        c.setFont("Helvetica", 10)
        c.drawString(170, y, body)
        y -= 16
    c.showPage()
    c.save()
    return path


@pytest.fixture()
def margin_text(tmp_path: Path) -> str:
    return parse_document(write_margin_pdf(tmp_path / "margin.pdf")).text


def test_margin_labels_are_read_as_their_own_lines(margin_text: str) -> None:
    lines = margin_text.split("\n")
    assert "EDUCATION" in lines and "SKILLS" in lines
    assert "Northfield Institute of Technology, Harbor City" in lines  # not glued to its label
    assert lines.index("EDUCATION") < lines.index("Northfield Institute of Technology, Harbor City")


def test_a_label_broken_over_rows_is_one_line_before_its_section(margin_text: str) -> None:
    lines = margin_text.split("\n")
    assert "Work History" in lines and "Awards and Honors" in lines
    assert lines.index("Work History") < lines.index("Platform Engineer at Quillmarsh Labs 2019 - 2023")
    assert lines.index("Awards and Honors") < lines.index("Hackathon winner, internal infrastructure track")


def test_margin_reading_adds_and_drops_no_text(margin_text: str) -> None:
    drawn = "Rowan Ellery" + "".join(f"{label or ''}{body}" for label, body in MARGIN_ROWS)
    assert Counter(margin_text.replace(" ", "").replace("\n", "")) == Counter(drawn.replace(" ", ""))


def test_margin_sections_name_the_chunks(margin_text: str) -> None:
    found = [c.section for c in split_document(margin_text)]
    assert list(dict.fromkeys(s for s in found if s)) == ["EDUCATION", "Work History", "SKILLS",
                                                          "Awards and Honors"]


def test_indented_lists_are_not_a_margin(tmp_path: Path) -> None:
    """Numbered sub-items and outdented titles of a one-column page stay on their lines."""
    c = canvas.Canvas(str(tmp_path / "nested.pdf"), pagesize=A4, invariant=1)
    y = 800.0
    for i in range(4):
        c.setFont("Helvetica", 10)
        c.drawString(60, y, f"Senior Engineer at Company {i} with a long title line here")
        c.drawString(450, y, f"201{i} - 201{i + 1}")
        y -= 14
        for j in range(3):
            c.drawString(110, y, f"{j + 1}.")
            c.drawString(125, y, f"Item {j} of role {i}: shipped a service used by many teams daily.")
            y -= 14
    c.showPage()
    c.save()
    text = parse_document(tmp_path / "nested.pdf").text
    assert "1. Item 0 of role 0: shipped a service used by many teams daily." in text.split("\n")


# ---------------------------------------------------------------------------------------------
# Headings


@pytest.mark.parametrize("line", [
    "Industry Research Experience", "Technical Strengths", "Awards and Accolades", "Skill Areas",
    "Conferences & Workshops", "Volunteering & Leadership", "### <i class=\"fa fa-cogs\"></i> Side projects",
    "个人项目", "自我描述", "编程技能", "关键/重点项目", "IT 技能", "PUBLICATION:",
])
def test_headings_built_from_section_words(line: str) -> None:
    assert is_heading(line)


@pytest.mark.parametrize("line", [
    "Skills: Go, Rust, PostgreSQL",  # a labelled line of content
    "work and research",  # lower-case fragment
    "Software Engineer",
    "电商推荐系统的召回模块",
    "### Platform Engineer, Quillmarsh (2019/02 - 2021/03)",  # a job heading, not a section
])
def test_lines_that_are_not_headings(line: str) -> None:
    assert not is_heading(line)


@pytest.mark.parametrize("heading, field", [
    ("Industry Research Experience", "experience"), ("Skills and Interests", "skills"),
    ("Academic Services", None), ("Conferences & Workshops", None), ("Technical Reports", "publications"),
    ("Open-Source Contributions", "projects"), ("科研经历", "research"), ("项目经历", "projects"),
    ("Academic Background", "education"), ("WORK EXPERIENCE", "experience"),
])
def test_field_of_reads_the_head_noun(heading: str, field: str | None) -> None:
    assert field_of(heading) == field


def test_every_heading_phrase_in_the_data_file_is_a_heading() -> None:
    data = sections._tables()
    for phrase in data["english"]["phrases"] + data["chinese"]["phrases"]:
        assert is_heading(phrase.title() if phrase.isascii() else phrase), phrase
    for field, words in sections.FIELDS:
        assert field in {"education", "experience", "research", "projects", "publications", "skills",
                         "awards"}
        assert words


def test_setext_headings_name_sections() -> None:
    text = ("Mira Castell\n====\n\nContact\n----\nmira@example.org\n\nWork History\n----\n"
            "Platform engineer at Quillmarsh, 2019-2023\n")
    found = [(c.section, text[c.start:c.end]) for c in split_document(text)]
    assert ("Contact", "mira@example.org") in found
    assert ("Work History", "Platform engineer at Quillmarsh, 2019-2023") in found


# ---------------------------------------------------------------------------------------------
# Publication pages

PAPERS = "\n\n".join(
    f"A study of scalable method number {i} for learned systems\nAda Brandt, Jon Ferris, Li Wen et al.\n"
    f"We present method {i}, which improves throughput on standard benchmarks."
    for i in range(4))


def test_a_resume_that_lists_papers_is_not_a_publication_page() -> None:
    resume = f"Ada Brandt\n\nEXPERIENCE\nEngineer at Quillmarsh, 2019-2023\n\nPUBLICATIONS\n{PAPERS}\n"
    assert not is_publication_page(resume)
    assert "PUBLICATIONS" in {c.section for c in split_document(resume)}
    assert "Publications" not in {c.section for c in split_document(resume)}


def test_a_page_of_papers_is_a_publication_page() -> None:
    page = f"Ada Brandt\n4 Papers\n\n{PAPERS}\n"
    assert is_publication_page(page)
    assert [c.section for c in split_document(page)].count("Publications") == 4


@pytest.mark.parametrize("authors, position", [
    ("Brandt, Ada; Ferris, Jon", 1), ("Ferris, J., Brandt, A., and Wen, L.", 2),
    ("J. Ferris, A. Brandt", 2), ("Jon Ferris, Li Wen et al.", None), ("Ferris, Jon; Wen, Li", None),
])
def test_author_lists_in_several_shapes(authors: str, position: int | None) -> None:
    assert author_position(authors, "Ada Brandt") == position


def test_authors_of_pairs_surnames_with_initials() -> None:
    assert authors_of("Ferris, J., Brandt, A. K., and Wen, L. · mit") == ["J. Ferris", "A. K. Brandt", "L. Wen"]


def _paper(authors: str) -> Fact:
    return Fact(kind="publication", text="t", source="s", start=0, end=1, detail={"authors": authors})


def test_namesake_groups_are_flagged() -> None:
    one = [_paper(f"Ada Brandt, Jon Ferris, Li Wen{i} et al.") for i in range(3)]
    other = [_paper(f"Omar Diaz, Ada Brandt, Pia Holm{i} et al.") for i in range(3)]
    assert [len(g) for g in coauthor_groups(one + other, "Ada Brandt")] == [3, 3]
    flags = profile_flags(one + other, "Ada Brandt")
    assert any("groups of co-authors" in f for f in flags)
    assert not any("groups of co-authors" in f for f in profile_flags(one, "Ada Brandt"))
