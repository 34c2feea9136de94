"""Entries read by the shape of a resume's layout rather than by its words: a range left open, a
single-date line written like its sibling ranges, the organisation on its own line above the
date line, a title or an organisation in a closing bracket, Kangxi radicals in a PDF's Chinese.
Every resume here is fictional and written by the test."""

from __future__ import annotations

import pytest

from candidates.entries import find_dates
from candidates.sections import is_heading
from tests.candidates.reading import read_fictional


def _read(text: str, source: str = "fictional.txt"):
    return read_fictional(text, source)


@pytest.mark.parametrize("text, start", [
    ("Acme Widgets (2021/11---N)", "2021-11"),
    ("Acme Widgets Mar. 2023 -", "2023-03"),
    ("* 某某数据科技有限公司 （2018-10 ~）", "2018-10"),
])
def test_a_range_left_open_is_still_running(text: str, start: str) -> None:
    [dates] = find_dates(text)
    assert (dates.begin, dates.finish, dates.is_range) == (start, "present", True)


def test_a_dash_before_a_name_is_not_an_open_range() -> None:
    [dates] = find_dates("Acme Widgets 2019 - Beta Corp")
    assert (dates.is_range, dates.finish) == (False, "2019")


def test_a_misspelt_month_still_ends_a_range() -> None:
    [dates] = find_dates("Support Analyst Mar 2016 — Septembr 2016")
    assert (dates.begin, dates.finish, dates.is_range) == ("2016-03", "2016-09", True)


def test_a_single_date_line_written_like_its_sibling_ranges_is_an_entry() -> None:
    text = """Tomas Verlaine
EXPERIENCE
Orbital Widgets, Inc.
Data Analyst, Intern Feb 2016 — Aug 2016
QA Analyst, Intern Jun 2015
· Wrote the bootloader for the sensor board.
· Automated the regression bench.
"""
    _, experience = _read(text)
    assert [(x.employer, x.title, x.start) for x in experience] == [
        ("Orbital Widgets, Inc.", "Data Analyst", "2016-02"),
        ("Orbital Widgets, Inc.", "QA Analyst", "2015-06"),
    ]


def test_a_note_under_an_entry_with_a_single_date_is_not_an_entry() -> None:
    text = """Ines Oduya
EDUCATION
Harrowgate University, BSc Physics 2016/09 – 2020/06
• Mechanics, minor in Music, 2019 exchange term
Fenwick College, MSc Physics 2020/09 – 2021/06
"""
    education, _ = _read(text)
    assert [(e.school, e.start) for e in education] == [
        ("Harrowgate University", "2016-09"), ("Fenwick College", "2020-09")]


def test_the_organisation_on_the_line_above_wins_over_a_client_beside_the_title() -> None:
    text = """Pavel Drozd
Work
Kettleburn Systems, Inc.
LEAD DEVOPS ENGINEER - AWS\t01/18/2016 – 05/14/2021
Taxi SaaS platform
- Moved the fleet to containers.
Marrow Creek Analytics Ltd.
SITE RELIABILITY ENGINEER - AWS\t03/2014 – 12/2015
- Ran the on-call rotation.
"""
    _, experience = _read(text)
    assert [(x.employer, x.title, x.start, x.end) for x in experience] == [
        ("Kettleburn Systems, Inc.", "LEAD DEVOPS ENGINEER", "2016-01", "2021-05"),
        ("Marrow Creek Analytics Ltd.", "SITE RELIABILITY ENGINEER", "2014-03", "2015-12"),
    ]


def test_a_research_group_above_a_title_with_a_field() -> None:
    text = """Ana Lindqvist
Work Experience
Marine Robotics Research Group (Lakeside University) Duluth, MN
Undergraduate Research Assistant, Software Engineering July 2019 – May 2020
• Simulated the launch of a rocket swarm.
"""
    _, experience = _read(text)
    assert [x.employer for x in experience] == [
        "Marine Robotics Research Group (Lakeside University)"]


def test_a_school_without_a_school_word_above_its_dated_diploma() -> None:
    text = """Gareth Pryce
Qualifications
Lakeside University Aberfield
BSC (HONS) COMPUTER SCIENCE September 2000 - May 2004
Coleg Morfa Aberfield
BTEC NATIONAL DIPLOMA IN IT APPLICATIONS September 1999 - June 2000
"""
    education, _ = _read(text)
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("Lakeside University Aberfield", "BS", "2000-09", "2004-05"),
        ("Coleg Morfa Aberfield", None, "1999-09", "2000-06"),
    ]


def test_a_title_in_a_bracket_after_a_chinese_company_with_an_open_range() -> None:
    text = """# 林泽

## 工作经历

### 青禾智能科技有限公司 (职位-技术总监) (2021/11---N)
基础运维工具的搭建
智慧园区项目前后端架构的搭建
### 北岸云数据有限公司(北岸科技) (职位-Golang工程师->研发经理) (2017/02/28---2021/11)
负责功能项目的后端编写
"""
    _, experience = _read(text, "fictional.md")
    assert [(x.employer, x.title, x.start, x.end) for x in experience] == [
        ("青禾智能科技有限公司", "职位-技术总监", "2021-11", "present"),
        ("北岸云数据有限公司(北岸科技)", "职位-Golang工程师->研发经理", "2017-02", "2021-11"),
    ]


def test_an_organisation_in_a_bracket_after_a_title() -> None:
    text = """Mei Tanaka
SERVICES
Teaching Assistant (TA) for Signals and Systems (NKU) Feb. 2019 - June 2019
· Graded assignments and two exams
TA for Compilers (UT Dallas) Jan. 2022 - May 2022
· Led a review session
"""
    _, experience = _read(text)
    assert [(x.employer, x.start) for x in experience] == [("NKU", "2019-02"), ("UT Dallas", "2022-01")]


def test_a_team_in_a_bracket_is_not_an_organisation() -> None:
    text = """Omar Haddad
EXPERIENCE
AI Engineer (GenAI / Agentic Systems)
Fennick Bank & Insurance, Ghent, Belgium 2023 – Present
"""
    _, experience = _read(text)
    assert [(x.employer, x.title) for x in experience] == [
        ("Fennick Bank & Insurance", "AI Engineer (GenAI / Agentic Systems)")]


def test_a_name_ending_in_ma_is_not_a_masters_degree() -> None:
    text = """Hsu Li-Wen
RESEARCH EXPERIENCE
Institute of Signal Science, Formosa Academy (Advisor: Prof. Jun Ma)
Data-to-Text Generation System July 2020 - July 2021
· Improved attribute accuracy with templates
"""
    education, experience = _read(text)
    assert education == []
    assert [(x.employer, x.start) for x in experience] == [("Institute of Signal Science", "2020-07")]


def test_kangxi_radicals_read_as_the_chinese_characters_they_stand_for() -> None:
    text = "周文\n男 25 岁 | 本科\n\u6210\u90fd\u2f2f\u4e1a\u2f24\u5b66\n本科 · 软件工程 2014年毕业\n"
    education, _ = _read(text)
    assert [(e.school, e.degree, e.end) for e in education] == [("成都工业大学", "BS", "2014")]
    assert "\u2f24" in education[0].citation.quote  # the citation stays the document's own text


def test_a_latin_title_after_a_chinese_employer() -> None:
    text = "钱多多\n工作经历\n云杉杭州网络 QA Developer 2016-3 至 2016-9\n• 在支付部门工作\n"
    _, experience = _read(text)
    assert [(x.employer, x.title) for x in experience] == [("云杉杭州网络 QA", "Developer")]


@pytest.mark.parametrize("line", ["演讲与分享", "部分文章", "技术演讲"])
def test_chinese_talks_and_writing_headings(line: str) -> None:
    assert is_heading(line)


def test_talks_after_education_are_not_schools_or_jobs() -> None:
    text = """孙晓
教育经历
青岚理工大学 中国青岚
软件工程专业学士学位 2014 年至 2018 年
演讲与分享
函数式编程导读 专栏文章
针对经典教材的深入导读和现代化技术再解读 2017 至今
编译器插桩原理 星河科技公众号
介绍了编译器的部分体系结构，以及插桩的使用方式 2021 年
"""
    education, experience = _read(text)
    assert [(e.school, e.start) for e in education] == [("青岚理工大学", "2014")]
    assert experience == []


def test_a_heading_ends_the_lines_an_entry_is_read_from() -> None:
    text = """Kim Odegaard
SERVICES
Volunteer Mentor, Harbor Robotics 2019 – 2021
· Coached two high-school teams
"""
    _, experience = _read(text)
    assert [x.employer for x in experience] == ["Harbor Robotics"]
    assert experience[0].citation.quote.startswith("Volunteer Mentor")  # not the name above the heading

