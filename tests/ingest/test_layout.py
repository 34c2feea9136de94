"""Layout and sections: margin headings in PDFs, heading shapes, publication pages, namesakes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable

import pytest
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph

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


def _drawn(*parts: Iterable[str]) -> Counter:
    return Counter("".join("".join(p) for p in parts).replace(" ", ""))


def _read(text: str) -> Counter:
    return Counter(text.replace(" ", "").replace("\n", ""))


def _run_of(lines: list[str], wanted: list[str]) -> bool:
    """`wanted` appear in `lines` as one contiguous run, in order."""
    start = lines.index(wanted[0])
    return lines[start:start + len(wanted)] == wanted


def write_stacked_labels_pdf(path: Path, next_page: list[tuple[str, str]] | None = None) -> Path:
    """Margin headings set larger than the body; two one-word sections follow each other closely,
    and one heading is wrapped over two tight lines. `next_page`: (label or "", body) rows."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = 780.0
    for label, paragraphs in STACKED_SECTIONS:
        for i, paragraph in enumerate(paragraphs):
            for j, line in enumerate(paragraph):
                if i == 0 and j < len(label):
                    c.setFont("Helvetica-Bold", 14)
                    c.drawString(50, y - (j * 15 if len(label) > 1 else 0), label[j])
                c.setFont("Helvetica", 9)
                c.drawString(130, y, line)
                y -= 15 if len(label) > 1 else 11
            y -= 11
    c.showPage()
    for i, (label, body) in enumerate(next_page or []):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(50, 780 - 11 * i, label)
        c.setFont("Helvetica", 9)
        c.drawString(130, 780 - 11 * i, body)
    c.showPage()
    c.save()
    return path


STACKED_SECTIONS = [  # (label lines, paragraphs of body lines)
    (["Awards"], [["2021 Best demo award at the regional robotics fair"],
                  ["2019 Dean's list for four consecutive terms"],
                  ["2018 First place in the campus programming contest"]]),
    (["Teaching"], [["Spring 2022 Teaching assistant for distributed systems"]]),
    (["Mentoring"], [["Mentored six undergraduate students on research projects",
                      "about scheduling and storage engines"],
                     ["Ran a weekly reading group on database internals"]]),
    (["Research", "Interests"], [["Query optimisation for streaming systems and",
                                  "verified compilers for data pipelines"]]),
]


def test_stacked_margin_headings_stay_separate(tmp_path: Path) -> None:
    lines = parse_document(write_stacked_labels_pdf(tmp_path / "stacked.pdf")).text.split("\n")
    assert "Teaching" in lines and "Mentoring" in lines and "Teaching Mentoring" not in lines
    assert lines.index("Mentoring") == lines.index("Mentored six undergraduate students on research projects") - 1
    assert "Research Interests" in lines  # a heading wrapped over two tight lines is still one
    found = [c.section for c in split_document("\n".join(lines))]
    assert list(dict.fromkeys(s for s in found if s)) == ["Awards", "Teaching", "Mentoring", "Research Interests"]


def test_a_lone_margin_heading_on_a_later_page_is_read_by_the_first_pages_edge(tmp_path: Path) -> None:
    rows = [("Projects" if i == 0 else "", f"Step {i + 1} of the ledger migration, done without downtime")
            for i in range(8)]
    text = parse_document(write_stacked_labels_pdf(tmp_path / "pages.pdf", rows)).text
    page_two = text.split("\n\n")[1].split("\n")
    assert page_two[:2] == ["Projects", "Step 1 of the ledger migration, done without downtime"]


# ---------------------------------------------------------------------------------------------
# PDF: a sidebar or second column is read as one block

SIDEBAR = ["Ilse Varga", "Backend engineer", "CONTACT", "ilse.varga@example.org",
           "Budapest, Hungary", "SKILLS", "Go and Rust", "PostgreSQL", "Kafka streams",
           "Terraform", "LANGUAGES", "Hungarian, native", "English, fluent",
           "https://code.example.org/ivarga/ledger", "German, basic"]
MAIN = ["EXPERIENCE", "Staff Engineer, Quillmarsh Payments 2020 - 2024",
        "Designed the settlement ledger that books four million payments a day.",
        "Moved nightly batch jobs to an event stream with exactly-once delivery.",
        "Led the on-call rotation and wrote the incident review process.",
        "Software Engineer, Brightwater Logistics 2016 - 2020",
        "Built the route planner used by three hundred dispatchers.",
        "Cut the p99 latency of the tracking API from 800 ms to 90 ms.",
        "EDUCATION", "M.Sc. Computer Science, Danube Technical University 2016",
        "Thesis on consistent snapshots of distributed logs.",
        "B.Sc. Computer Science, Danube Technical University 2014",
        "PROJECTS", "Maintainer of an open-source schema migration tool.",
        "Speaker at two regional Go conferences."]


def draw_column(c: canvas.Canvas, lines: list[str], *, x: float, top: float, step: float,
                size: float) -> None:
    """One column of lines from `top` down, headings (all capitals) in bold."""
    for i, text in enumerate(lines):
        c.setFont("Helvetica-Bold" if text.isupper() else "Helvetica", size)
        c.drawString(x, top - step * i, text)


def write_sidebar_pdf(path: Path) -> Path:
    """A narrow left sidebar (name, contact, skills) beside the main column; the sidebar's URL
    runs across the gap's middle. Both columns share baselines, so rows interleave."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i, text in enumerate(SIDEBAR):
        c.setFont("Helvetica-Bold" if text.isupper() else "Helvetica", 9)
        if text.startswith("https"):  # sized to end at x=176, across the gap's middle
            c.setFont("Helvetica", 9 * (176 - 30) / stringWidth(text, "Helvetica", 9))
        c.drawString(30, 800 - 16 * i, text)
    draw_column(c, MAIN, x=182, top=800, step=16, size=9)
    c.showPage()
    c.save()
    return path


def test_a_sidebar_is_read_as_one_block_before_the_main_column(tmp_path: Path) -> None:
    text = parse_document(write_sidebar_pdf(tmp_path / "sidebar.pdf")).text
    lines = text.split("\n")
    assert _run_of(lines, SIDEBAR) and _run_of(lines, MAIN)
    assert lines.index(SIDEBAR[-1]) < lines.index(MAIN[0])  # the column with the name comes first
    assert _read(text) == _drawn(SIDEBAR, MAIN)
    found = [c.section for c in split_document(text)]
    assert list(dict.fromkeys(s for s in found if s)) == ["CONTACT", "SKILLS", "LANGUAGES", "EXPERIENCE",
                                                          "EDUCATION", "PROJECTS"]


SECOND_COLUMN = ["STRENGTHS", "Distributed systems", "Incident response", "Mentoring",
                 "TOOLS", "Go, Rust, Python", "PostgreSQL, Kafka", "Terraform, Nomad",
                 "LANGUAGES", "Hungarian", "English"]


def write_second_column_pdf(path: Path) -> Path:
    """A full-width header over a wide main column and a narrower second column on the right."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(40, 800, "Ilse Varga")
    c.setFont("Helvetica", 9)
    c.drawString(40, 782, "ilse.varga@example.org | Budapest, Hungary | code.example.org/ivarga | +36 1 555 0100")
    draw_column(c, MAIN, x=40, top=750, step=15, size=8)
    draw_column(c, SECOND_COLUMN, x=400, top=750, step=19, size=8)
    c.showPage()
    c.save()
    return path


def test_a_second_column_on_the_right_follows_the_main_column(tmp_path: Path) -> None:
    text = parse_document(write_second_column_pdf(tmp_path / "columns.pdf")).text
    lines = text.split("\n")
    assert lines[0] == "Ilse Varga" and lines[1].startswith("ilse.varga@example.org")
    assert _run_of(lines, MAIN) and _run_of(lines, SECOND_COLUMN)
    assert lines.index(MAIN[-1]) < lines.index(SECOND_COLUMN[0])


PROFILE = ("I build payment systems that stay correct under failure. For the last eight years I have "
           "worked on ledgers, settlement and reconciliation, first at a logistics company and then "
           "at a payments processor, where I designed the double-entry ledger that now books every "
           "card payment. I care about boring, observable services, about tests that exercise real "
           "failure modes and about writing down why a system is shaped the way it is. Outside work "
           "I maintain a schema migration tool and speak at regional meetups about event streams.")
BOX = ["SKILLS", "Go, Rust", "PostgreSQL", "Kafka", "Terraform", "Kubernetes"]
BELOW = ["EXPERIENCE", "Staff Engineer, Quillmarsh Payments, 2020 - 2024, Budapest, Hungary"]


def write_box_pdf(path: Path) -> Path:
    """A justified profile paragraph with a skills box beside it, then one-column text."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(50, 800, "Ilse Varga")
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, alignment=TA_JUSTIFY)
    Frame(50, 600, 360, 180, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0).addFromList(
        [Paragraph(PROFILE, style)], c)
    draw_column(c, BOX, x=430, top=766, step=14, size=10)
    draw_column(c, BELOW, x=50, top=650, step=16, size=10)
    for i in range(12):
        c.setFont("Helvetica", 10)
        c.drawString(60, 600 - 14 * i, f"Shipped release {i + 1} of the ledger service to all regions at once.")
    c.showPage()
    c.save()
    return path


def test_a_box_beside_a_justified_paragraph_follows_the_paragraph(tmp_path: Path) -> None:
    text = parse_document(write_box_pdf(tmp_path / "box.pdf")).text
    lines = text.split("\n")
    start = lines.index(BOX[0])
    assert " ".join(lines[1:start]) == PROFILE  # the whole paragraph, then the box
    assert lines[start:start + len(BOX)] == BOX and lines[start + len(BOX)] == BELOW[0]


def test_label_and_value_rows_of_one_column_stay_together(tmp_path: Path) -> None:
    """A table of labels and ragged values, and right-aligned dates, are not a second column."""
    c = canvas.Canvas(str(tmp_path / "table.pdf"), pagesize=A4, invariant=1)
    rows = [("Languages", "Go, Rust, Python, SQL"), ("Databases", "PostgreSQL, Redis"),
            ("Streaming", "Kafka, Flink, Kafka Streams and Debezium"), ("Cloud", "AWS, GCP"),
            ("Observability", "Prometheus, Grafana, OpenTelemetry tracing"), ("Tooling", "Terraform, Nix")]
    y = 800.0
    for i in range(8):
        c.setFont("Helvetica", 10)
        c.drawString(50, y, f"Engineer at Company {i}, building internal platforms")
        c.drawRightString(545, y, f"201{i} - 201{i + 1}")
        y -= 14
    for label, value in rows:
        c.drawString(50, y, label)
        c.drawString(160, y, value)
        y -= 14
    c.showPage()
    c.save()
    lines = parse_document(tmp_path / "table.pdf").text.split("\n")
    assert "Engineer at Company 0, building internal platforms 2010 - 2011" in lines
    for label, value in rows:  # each value follows its label (on its line or the next)
        at = next(i for i, line in enumerate(lines) if line.startswith(label))
        assert value in lines[at] or lines[at + 1] == value


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
    # what a person codes in is a skills list, though "Languages" alone are the spoken ones
    ("Programming Languages", "skills"), ("编程语言", "skills"),
    ("Languages", None), ("Spoken Languages", None),
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


def test_a_rotated_side_label_stays_out_of_the_text(tmp_path: Path) -> None:
    """An arXiv-style stamp runs up the left margin: page furniture, never quoted."""
    path = tmp_path / "stamped.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(["Ada Lindqvist", "EXPERIENCE", "Staff Engineer, Northwind Labs 2019 - present",
                              "Built a vector search service in Rust"]):
        c.drawString(72, 780 - 16 * i, line)
    c.saveState()
    c.translate(30, 300)
    c.rotate(90)
    c.setFont("Times-Roman", 20)
    c.drawString(0, 0, "arXiv:2401.01234v2 [cs.CL] 12 Jan 2024")
    c.restoreState()
    c.showPage()
    c.save()
    text = parse_document(path).text
    assert "arXiv" not in text and "2401" not in text
    assert "Staff Engineer, Northwind Labs 2019 - present" in text
