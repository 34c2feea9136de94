"""Education and experience entries read from fictional resumes in the layouts real ones use:
dates on their own line, right-aligned after a title, before or after the employer, one DOCX table
per job, Chinese one-line entries, Markdown bullets. Every entry's citation is verbatim."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from candidates.entries import combine, find_dates, read_entries
from candidates.summary import summarize
from ingest.pipeline import build_passages
from ingest.readers import parse_document
from retrieval.types import (CandidateInfo, DocumentProfile, EducationEntry, ExperienceEntry,
                             PageSpan, ParsedDocument)


def _read(text: str, source: str = "fictional.txt"):
    doc = ParsedDocument(source=source, text=text, pages=[PageSpan(page=1, start=0, end=len(text))])
    _, passages = build_passages(doc, "doc1")
    return doc, read_entries(doc, passages)


def _verbatim(doc: ParsedDocument, entries) -> None:
    for entry in entries:
        c = entry.citation
        assert doc.text[c.start:c.end] == c.quote and c.source == doc.source


@pytest.mark.parametrize("text, start, end", [
    ("Sep. 2015 - Jun. 2019", "2015-09", "2019-06"),
    ("2019.09 – 至今", "2019-09", "present"),
    ("2015–2019", "2015", "2019"),
    ("Jan 2020 – Present", "2020-01", "present"),
    ("June - August 2017", "2017-06", "2017-08"),
    ("11/01/2022 – present", "2022-11", "present"),
    ("Aug’21 – Present", "2021-08", "present"),
    ("2020 年 12 月 – 至今", "2020-12", "present"),
])
def test_date_ranges_in_many_forms(text: str, start: str, end: str) -> None:
    [dates] = find_dates(f"Acme Corp {text}")
    assert (dates.begin, dates.finish, dates.is_range) == (start, end, True)


def test_a_single_date_is_not_a_range() -> None:
    [dates] = find_dates("B.S. Computer Science  Graduation Date: May 2023")
    assert (dates.begin, dates.finish, dates.is_range) == (None, "2023-05", False)


ENGLISH = """Dana Whitlock
Portland, OR | dana@example.com

EXPERIENCE
Senior Software Engineer                                   Portland, OR
Brightwave Analytics Inc.                          Jan 2020 – Present
• Led the migration of the billing pipeline to event sourcing and cut costs by a third.
• Mentored four engineers.
Software Engineering Intern
Northwind Labs                                     Jun. 2018 - Aug. 2018
• Built an internal dashboard for the support team in React.

EDUCATION
Lakeshore University                                       Chicago, IL
M.S. in Computer Science                          Sep. 2016 - Jun. 2018
Lakeshore University
Bachelor of Science, Mathematics                  Sep. 2012 - May 2016
"""


def test_title_above_employer_with_right_aligned_dates() -> None:
    doc, (education, experience, location) = _read(ENGLISH)
    assert [(x.employer, x.title, x.start, x.end, x.kind) for x in experience] == [
        ("Brightwave Analytics Inc.", "Senior Software Engineer", "2020-01", "present", "full-time"),
        ("Northwind Labs", "Software Engineering Intern", "2018-06", "2018-08", "intern"),
    ]
    assert [(e.school, e.degree, e.field, e.start, e.end) for e in education] == [
        ("Lakeshore University", "MS", "Computer Science", "2016-09", "2018-06"),
        ("Lakeshore University", "BS", "Mathematics", "2012-09", "2016-05"),
    ]
    assert location is not None and location.text == "Portland, OR"
    _verbatim(doc, education + experience)
    assert "Brightwave Analytics Inc." in experience[0].citation.quote
    assert "Senior Software Engineer" in experience[0].citation.quote
    assert "Led the migration" not in experience[0].citation.quote  # the header, not the bullets


def test_dates_on_their_own_line_and_several_titles_at_one_employer() -> None:
    text = """Ravi Castellan
Work Experience
Quillon Systems
Staff Engineer Mar 2021 — Present
Senior Engineer Jan 2018 — Mar 2021
· Designed the storage layer of the flagship product and ran its on-call rotation.
Tidewater Research Institute
Research Assistant
2015 - 2017
· Wrote simulation code for coastal erosion models in Fortran and Python.
Education
Ph.D. in Oceanography
Tidewater University
2012 - 2017
"""
    doc, (education, experience, _) = _read(text)
    assert [(x.employer, x.title, x.start, x.end) for x in experience] == [
        ("Quillon Systems", "Staff Engineer", "2021-03", "present"),
        ("Quillon Systems", "Senior Engineer", "2018-01", "2021-03"),
        ("Tidewater Research Institute", "Research Assistant", "2015", "2017"),
    ]
    assert experience[2].kind == "research"
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("Tidewater University", "PhD", "2012", "2017")]
    _verbatim(doc, education + experience)


def test_one_line_entries_with_separators() -> None:
    text = """Mina Okafor
WORK EXPERIENCE
NORTHWIND | SWE Intern | Austin, TX May 2022 – Aug 2022
• Improved build times by profiling the compiler toolchain.
Software Engineer at Harbor Freight Logistics, 2019 – 2021
Systems Analyst Corvid Data Pvt. Limited  2016 – 2019
EDUCATION
B.A. Economics, Riverside College, 2015 – 2019
"""
    doc, (education, experience, _) = _read(text)
    assert [(x.employer, x.title, x.kind) for x in experience] == [
        ("NORTHWIND", "SWE Intern", "intern"),
        ("Harbor Freight Logistics", "Software Engineer", "full-time"),
        ("Corvid Data Pvt. Limited", "Systems Analyst", "full-time")]
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("Riverside College", "BA", "2015", "2019")]
    _verbatim(doc, education + experience)


def test_chinese_entries_and_a_high_school() -> None:
    text = """赵一鸣
所在地：杭州
教育背景
2019.09 - 2023.06 星河大学 计算机科学与技术 本科
2016.09 - 2019.06 杭州第九高级中学 高中
实习经历
蓝海科技有限公司 2022.07 – 2022.09
算法实习生
• 负责推荐模型的特征工程。
"""
    doc, (education, experience, location) = _read(text)
    assert [(e.school, e.degree, e.field, e.start, e.end) for e in education] == [
        ("星河大学", "BS", "计算机科学与技术", "2019-09", "2023-06"),
        ("杭州第九高级中学", "high-school", None, "2016-09", "2019-06"),
    ]
    assert [(x.employer, x.title, x.kind, x.start) for x in experience] == [
        ("蓝海科技有限公司", "算法实习生", "intern", "2022-07")]
    assert location is not None and location.text == "杭州"
    _verbatim(doc, education + experience)


def test_a_chinese_education_line_is_read_without_any_heading() -> None:
    doc, (education, experience, _) = _read("钱多多\n13800000000\n2018.09 - 2022.06 东岭大学 软件工程 本科\n")
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("东岭大学", "BS", "2018-09", "2022-06")]
    assert experience == []


def test_markdown_bullets_and_project_dates_are_not_jobs() -> None:
    text = """# Lena Brightman

## Education
- Ph.D., Robotics, Pinecrest University, Denver, CO. Aug 2020 - Present

## Professional Experience
- Robotics Intern, Alder Dynamics, Boulder, CO. May 2019 - Aug 2019

## Projects
- Line-following robot in Rust, 2018 - 2019
"""
    doc, (education, experience, _) = _read(text, "lena.md")
    assert [(e.school, e.degree, e.end) for e in education] == [("Pinecrest University", "PhD", "present")]
    assert [(x.employer, x.title, x.kind) for x in experience] == [("Alder Dynamics", "Robotics Intern", "intern")]
    _verbatim(doc, education + experience)


def test_one_docx_table_per_job(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Tomas Greywater")
    d.add_paragraph("Experience")
    for employer, title, dates in (("Fenwick Robotics Ltd", "Controls Engineer", "2019 – Present"),
                                   ("Marlow Instruments", "Test Technician", "2015 – 2019")):
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = employer, dates
        table.cell(1, 0).text = title
        d.add_paragraph("Kept the production line's calibration rigs running.")
    path = tmp_path / "tomas.docx"
    d.save(path)
    doc = parse_document(path)
    _, passages = build_passages(doc, "doc1")
    education, experience, _ = read_entries(doc, passages)
    assert [(x.employer, x.title, x.start, x.end) for x in experience] == [
        ("Fenwick Robotics Ltd", "Controls Engineer", "2019", "present"),
        ("Marlow Instruments", "Test Technician", "2015", "2019")]
    _verbatim(doc, experience)


def test_combine_keeps_one_entry_per_school_degree_and_start() -> None:
    doc, (education, experience, location) = _read(ENGLISH)
    profile = DocumentProfile(source=doc.source, name="Dana Whitlock", education=education,
                              experience=experience, location=location)
    twice = combine([profile, profile.model_copy(update={"source": "other.txt"})])
    assert twice == (education, experience, location)


def test_the_card_lines_are_the_entries_newest_first_each_cited() -> None:
    doc, (education, experience, location) = _read(ENGLISH)
    candidate = CandidateInfo(id="dana", name="Dana Whitlock", name_found=True, sources=[doc.source],
                              document_ids=["doc1"], education=list(reversed(education)),
                              experience=experience, location=location)
    _, passages = build_passages(doc, "doc1")
    lines = summarize(candidate, passages).lines
    shown = [(line.field, line.text) for line in lines if line.field in ("education", "experience")]
    assert shown == [
        ("education", "MS, Computer Science, Lakeshore University, 2016–2018"),
        ("education", "BS, Mathematics, Lakeshore University, 2012–2016"),
        ("experience", "Senior Software Engineer, Brightwave Analytics Inc., 2020–present"),
        ("experience", "Software Engineering Intern, Northwind Labs, 2018"),
    ]
    entries = {id(e.citation) for e in education + experience}
    assert all(id(line.citation) in entries for line in lines if line.field in ("education", "experience"))


def test_entry_types_carry_only_known_labels() -> None:
    from retrieval.types import DEGREES, JOB_KINDS
    _, (education, experience, _) = _read(ENGLISH)
    assert all(isinstance(e, EducationEntry) and e.degree in DEGREES for e in education)
    assert all(isinstance(x, ExperienceEntry) and x.kind in JOB_KINDS for x in experience)


def test_a_position_under_an_internships_heading_is_an_internship() -> None:
    from candidates.entries import _kind_of

    assert _kind_of("Acme Robotics 2018.07 – 2018.09", "实习经历") == "intern"
    assert _kind_of("Acme Robotics, Software Engineer 2018 – 2020", "Internships") == "intern"
    assert _kind_of("Acme Robotics, Software Engineer 2018 – 2020", "Work Experience") == "full-time"
    assert _kind_of("Acme Robotics, Research Intern 2018", "Work Experience") == "intern"


def test_location_falls_back_to_the_current_position_then_a_current_school() -> None:
    from candidates.entries import location_of_latest
    from retrieval.types import Citation, EducationEntry, ExperienceEntry, ParsedDocument

    text = ("Acme Robotics Austin, TX\nSenior Engineer 2021 – Present\n"
            "Lakeshore Labs Denver, CO\nEngineer 2018 – 2021\n哈尔滨工业大学 哈尔滨 2014.09 – 2018.06")
    doc = ParsedDocument(source="/r/a.txt", text=text)

    def cite(a: str) -> Citation:
        start = text.index(a)
        return Citation(passage_id="p", quote=a, source=doc.source, start=start, end=start + len(a))

    jobs = [ExperienceEntry(employer="Lakeshore Labs", start="2018", end="2021",
                            citation=cite("Lakeshore Labs Denver, CO\nEngineer 2018 – 2021")),
            ExperienceEntry(employer="Acme Robotics", start="2021", end="present",
                            citation=cite("Acme Robotics Austin, TX\nSenior Engineer 2021 – Present"))]
    school = [EducationEntry(school="哈尔滨工业大学", degree="BS", start="2014-09", end="2018-06",
                             citation=cite("哈尔滨工业大学 哈尔滨 2014.09 – 2018.06"))]
    found = location_of_latest(doc, jobs, school)
    assert found.text == "Austin, TX" and text[found.citation.start:found.citation.end] == "Austin, TX"
    assert location_of_latest(doc, [], school) is None  # a finished school is where they were
    school[0].end = "present"
    assert location_of_latest(doc, [], school).text == "哈尔滨"


def test_the_card_shows_a_whole_career_and_counts_what_it_leaves_out() -> None:
    from candidates.summary import EXPERIENCE_LINES
    from retrieval.types import Citation, ExperienceEntry

    text = "\n".join(f"Engineer, Firm{i} Labs {2000 + 2 * i} – {2002 + 2 * i}" for i in range(8))
    doc = ParsedDocument(source="/r/long.txt", text=text)

    def job(i: int) -> ExperienceEntry:
        line = f"Engineer, Firm{i} Labs {2000 + 2 * i} – {2002 + 2 * i}"
        start = text.index(line)
        return ExperienceEntry(employer=f"Firm{i} Labs", title="Engineer", start=str(2000 + 2 * i),
                               end=str(2002 + 2 * i),
                               citation=Citation(passage_id="p", quote=line, source=doc.source,
                                                 start=start, end=start + len(line)))

    candidate = CandidateInfo(id="kim", name="Kim Arden", name_found=True, sources=[doc.source],
                              document_ids=["d"], experience=[job(i) for i in range(8)])
    shown = [line.text for line in summarize(candidate, []).lines if line.field == "experience"]
    assert len(shown) == EXPERIENCE_LINES == 6
    assert shown[0] == "Engineer, Firm7 Labs, 2014–2016"  # newest first
    assert shown[-1] == "Engineer, Firm2 Labs, 2004–2006 (and 2 earlier)"


def test_a_degree_opening_the_description_below_a_school_line_is_the_entrys_degree() -> None:
    text = ("周明远\n教育背景\n"
            "东岭大学，杭州 2016.09 – 2019.06\n"
            "硕士学位，全日制软件工程。主要课程：软件体系结构、算法设计与分析、分布式系统等。\n"
            "西川理工学院，成都 2012.09 – 2016.06\n"
            "学士学位，计算机科学与技术。主要课程：数据结构、操作系统、计算机网络等。\n"
            "工作经历\n"
            "北辰数据科技有限公司 后端工程师 2019.07 – 至今\n")
    doc, (education, _, _) = _read(text)
    assert [(e.school, e.degree, e.start) for e in education] == [
        ("东岭大学", "MS", "2016-09"), ("西川理工学院", "BS", "2012-09")]
    assert education[0].citation.quote.endswith("分布式系统等。")
    _verbatim(doc, education)


def test_a_degree_word_inside_the_description_is_not_the_entrys_degree() -> None:
    text = ("Education\n"
            "Lakeshore University, Denver 2016 – 2018\n"
            "Coursework in algorithms and systems, and tutoring for the bachelor's programme in "
            "mathematics for two years.\n")
    doc, (education, _, _) = _read(text)
    assert [(e.school, e.degree) for e in education] == [("Lakeshore University", None)]


def test_a_phd_programme_entered_from_a_bachelors_is_a_phd() -> None:
    text = ("周明远\n教育背景\n"
            "东岭大学    硕博连读    计算机科学与技术    2020.9-2025.6 (预计)\n"
            "西川理工学院    学士    计算机科学与技术    2016.9-2020.6\n")
    doc, (education, _, _) = _read(text)
    assert [(e.school, e.degree) for e in education] == [("东岭大学", "PhD"), ("西川理工学院", "BS")]
    _verbatim(doc, education)


def test_a_project_done_at_a_known_employer_is_a_stint_there() -> None:
    text = ("周明远\n教育背景\n"
            "东岭大学    硕士    计算机科学与技术    2020.9-2023.6\n"
            "项目经历\n"
            "推理服务算子融合    字节跳动-基础架构，北京\n"
            "主要开发者    2022.6-2022.12\n"
            "- 编写融合算子，优化通信开销\n"
            "基于华为云的智能客服系统    课程项目\n"
            "负责人    2021.3-2021.6\n"
            "- 使用华为云的对话服务搭建客服机器人\n")
    doc, (_, experience, _) = _read(text)
    assert [(e.employer, e.title, e.start, e.end, e.kind) for e in experience] == [
        ("字节跳动-基础架构", "主要开发者", "2022-06", "2022-12", "other")]
    _verbatim(doc, experience)


@pytest.mark.parametrize("projects", [
    "Chat App | Microsoft Teams SDK, React | 2021 - 2022\n- Built a bot\n",  # a product used
    "推理服务算子融合    字节跳动-基础架构，北京\n- 编写融合算子\n课程项目    东岭大学\n负责人    2021.3-2021.6\n",  # no date of its own
    "推理服务算子融合    2022.6-2022.12\n- 负责算子开发 | 华为昇腾平台适配\n",  # a bullet of its description
])
def test_a_project_names_an_employer_it_was_not_done_at(projects: str) -> None:
    doc, (_, experience, _) = _read("周明远\n教育背景\n东岭大学    硕士    2020.9-2023.6\n项目经历\n" + projects)
    assert experience == []
