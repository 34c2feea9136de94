"""Entry shapes a blind set of resumes showed, each a layout mechanism: degree lines that open
with their dates, a school named after its unit, a supervisor's school inside an education entry,
a Chinese school header with its dates glued on, undated Markdown job headings with HTML, a title
"at" an emphasised or linked employer, two-digit end years and open ranges ending in nothing.
Every resume here is fictional and written by the test."""

from __future__ import annotations

from candidates.entries import find_dates
from tests.candidates.reading import read_fictional as _read


def _dates(line: str) -> list[tuple[str | None, str | None, bool]]:
    return [(d.begin, d.finish, d.is_range) for d in find_dates(line)]


# --- education ------------------------------------------------------------------------------

def test_degree_lines_that_open_with_their_dates() -> None:
    text = """Jane Doe
jane.doe@example.com

Education

Sep 2016 - Jun 2018  M.Sc. in Data Science, Lakeside University
2015  B.Sc. in Computer Science, University of Toronto, Canada
2010 - 2014  Bachelor of Engineering, Zhejiang University
"""
    education, _ = _read(text)
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("Lakeside University", "MS", "2016-09", "2018-06"),
        ("University of Toronto", "BS", None, "2015"),  # a single year, written otherwise than the range above
        ("Zhejiang University", "BS", "2010", "2014"),
    ]


def test_a_dated_note_under_a_degree_stays_part_of_it() -> None:
    text = """Jane Doe

Education

Sep 2016 - Jun 2018  M.Sc. in Data Science, Lakeside University
2017  Dean's List, Lakeside University
"""
    education, _ = _read(text)
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("Lakeside University", "MS", "2016-09", "2018-06")]  # the award is no school of its own


def test_the_school_is_the_one_named_after_its_unit() -> None:
    text = """Jane Doe

Education

Ph.D., School of Computing, KAIST   2015 - 2020
M.S., Department of EE, Tsinghua University   2012 - 2015
B.S., Faculty of Science, NSTU   2008 - 2012

Experience

Research Assistant, Department of Physics, Lakeside University   2020 - 2021
Policy Analyst, Department of Energy   2021 - 2023
"""
    education, experience = _read(text)
    assert [(e.school, e.degree) for e in education] == [
        ("KAIST", "PhD"), ("Tsinghua University", "MS"), ("NSTU", "BS")]
    assert [(e.employer, e.title) for e in experience] == [
        ("Lakeside University", "Research Assistant"),
        ("Department of Energy", "Policy Analyst"),  # a unit with no school beside it stays the employer
    ]


def test_a_unit_alone_stays_the_school() -> None:
    text = "Jane Doe\n\nEducation\n\nB.Eng., College of Engineering, Computer Science   2008 - 2012\n"
    education, _ = _read(text)
    assert [(e.school, e.degree) for e in education] == [("College of Engineering", "BS")]


def test_a_supervisor_line_does_not_give_the_school() -> None:
    text = """Jane Doe

Education

Ph.D. in Computer Science   2015 - 2020
KAIST
Advisor: Prof. Mary Smith (Stanford University)

Georgia Tech, B.S. in Physics   2011 - 2015
Supervisor: Prof. Alan Grey, MIT
"""
    education, _ = _read(text)
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("KAIST", "PhD", "2015", "2020"), ("Georgia Tech", "BS", "2011", "2015")]
    assert "Advisor: Prof. Mary Smith" in education[0].citation.quote
    one_line = "Jane Doe\n\nEducation\n\nPh.D., KAIST; Advisor: Prof. Mary Smith (Stanford University)   2015 - 2020\n"
    education, _ = _read(one_line)
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [("KAIST", "PhD", "2015", "2020")]


def test_a_supervisor_as_a_title_is_still_a_position() -> None:
    text = "Jane Doe\n\nExperience\n\nSupervisor – Northwind Analytics   2015 - 2018\n"
    _, experience = _read(text)
    assert [(e.employer, e.title) for e in experience] == [("Northwind Analytics", "Supervisor")]


def test_a_chinese_school_header_with_its_dates_glued_in_front() -> None:
    text = """张三

教育背景

2019.09 - 2022.06西安交通大学 软件工程 硕士
2015长安大学
计算机科学与技术 本科

工作经历

2022.07 - 至今 星河科技有限公司 软件工程师
"""
    education, experience = _read(text)
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("西安交通大学", "MS", "2019-09", "2022-06"), ("长安大学", "BS", None, "2015")]
    assert [(e.employer, e.title) for e in experience] == [("星河科技有限公司", "软件工程师")]
    alone = "张三\n\n教育背景\n\n2015.09 - 2019.06长安大学 计算机科学与技术 本科\n"
    education, _ = _read(alone)
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [("长安大学", "BS", "2015-09", "2019-06")]


# --- experience -----------------------------------------------------------------------------

def test_undated_markdown_job_headings_with_the_title_in_a_small_tag() -> None:
    text = """# Jane Doe

## Experience

### Northwind Analytics <small>Data Engineer</small>

- Built the reporting pipelines

### Contoso Labs <small>Software Engineer</small>
2015 - 2018

- Wrote the billing service
"""
    _, experience = _read(text)
    assert [(e.employer, e.title, e.start, e.end) for e in experience] == [
        ("Northwind Analytics", "Data Engineer", None, None),
        ("Contoso Labs", "Software Engineer", "2015", "2018"),
    ]


def test_undated_headings_with_one_field_or_no_title_are_not_positions() -> None:
    text = """# Jane Doe

## Experience

### Data Engineer

- Built the reporting pipelines

### Recommendation Engine <small>Python, Spark</small>

- A side project
"""
    _, experience = _read(text)
    assert experience == []


def test_a_title_at_an_emphasised_or_linked_employer() -> None:
    text = """# Jane Doe

## Experience

### MEAN Stack Developer at **Northwind Analytics**
*Jan 2016 - Mar 2018*

- Built apps

### Data Engineer at [Northwind](https://northwind.example/jobs)

- Pipelines
"""
    _, experience = _read(text)
    assert [(e.employer, e.title, e.start, e.end) for e in experience] == [
        ("Northwind Analytics", "MEAN Stack Developer", "2016-01", "2018-03"),
        ("Northwind", "Data Engineer", None, None),
    ]


def test_a_bold_title_at_an_employer_above_its_dates() -> None:
    text = """# Jane Doe

## Work

**MEAN Stack Developer** at **Northwind Analytics**
*Jan 2016 – Mar 2018*

* Built apps

**Data Engineer** at [Contoso Labs](https://contoso.example/team_(data))
2018 – Present
"""
    _, experience = _read(text)
    assert [(e.employer, e.title, e.start, e.end) for e in experience] == [
        ("Northwind Analytics", "MEAN Stack Developer", "2016-01", "2018-03"),
        ("Contoso Labs", "Data Engineer", "2018", "present"),
    ]


def test_two_digit_end_years() -> None:
    assert _dates("2007–09") == [("2007", "2009", True)]
    assert _dates("2015-18") == [("2015", "2018", True)]
    assert _dates("1998–02") == [("1998", "2002", True)]
    text = "Jane Doe\n\nExperience\n\nData Engineer, Northwind Analytics   2007–09\nSoftware Engineer, Contoso Ltd   2015-18\n"
    _, experience = _read(text)
    assert [(e.employer, e.start, e.end) for e in experience] == [
        ("Northwind Analytics", "2007", "2009"), ("Contoso Ltd", "2015", "2018")]


def test_two_digits_that_are_a_month_or_no_later_year_stay_so() -> None:
    assert _dates("2015-09") == [(None, "2015-09", False)]  # September, written in ISO form
    assert _dates("2019–05") == [(None, "2019", False)]  # 2105 is no end
    assert _dates("09/2012 - 06/2016") == [("2012-09", "2016-06", True)]
    assert _dates("2015-2018") == [("2015", "2018", True)]


def test_an_open_range_with_nothing_after_is_ongoing() -> None:
    assert _dates("2011–.") == [("2011", "present", True)]
    assert _dates("2011 –") == [("2011", "present", True)]
    assert _dates("(2011 –.)") == [("2011", "present", True)]
    text = "Jane Doe\n\nExperience\n\nData Engineer, Northwind Analytics   2011–.\n"
    _, experience = _read(text)
    assert [(e.employer, e.start, e.end) for e in experience] == [("Northwind Analytics", "2011", "present")]


def test_a_dash_followed_by_words_is_no_open_range() -> None:
    assert _dates("2011 – Data Engineer, Northwind") == [(None, "2011", False)]
