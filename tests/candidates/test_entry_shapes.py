"""Entries written in shapes a resume's structure explains: Markdown entry headings with
"label: value" bullets, headings nested under an experience section, schools written as fields
without dates, sections that are not education, "### Employer - Title" blocks, and names
without the marks they were written with. Every resume here is fictional and written by the test."""

from __future__ import annotations

from candidates.entries import find_dates
from tests.candidates.reading import read_fictional as _read


def test_markdown_entry_headings_with_labelled_fields() -> None:
    text = """# CV

## Career

### Senior Data Engineer

- **dates:** July 2022 - onwards
- **company:** Lakeside Widgets AG
- **division:** Analytics

**Achievements:**
- Built pipelines for the reporting team

### Data Engineer

- **dates:** October 2019 - July 2022
- **company:** Harbor Freight Logistics

## Education

### MS, Applied Physics

- **dates:** 2017 - 2019
- **place:** Northfield State University

### BS, Applied Physics

- **dates:** 2013 - 2017
- **place:** Westbrook Institute of Engineering
"""
    education, experience = _read(text)
    assert [(e.employer, e.title, e.start, e.end) for e in experience] == [
        ("Lakeside Widgets AG", "Senior Data Engineer", "2022-07", "present"),
        ("Harbor Freight Logistics", "Data Engineer", "2019-10", "2022-07"),
    ]
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("Northfield State University", "MS", "2017", "2019"),
        ("Westbrook Institute of Engineering", "BS", "2013", "2017"),
    ]


def test_companies_nested_under_a_markdown_experience_heading_past_project_subsections() -> None:
    text = """# 简历

# 工作经历

## 星河医疗科技有限公司 （ 2016年10月 ~ 2018年1月 ）

### 医生端项目
[下载链接](http://example.com/app)

> 负责该项目的架构设计和代码编写。

## 云帆信息技术有限公司 （ 2015年11月 — 2016年9月 ）

### 借款项目
[下载链接](http://example.com/app2)

> 该项目主要是进行项目维护和需求增添。

# 技能清单

- Java
"""
    _, experience = _read(text)
    assert [(e.employer, e.start, e.end) for e in experience] == [
        ("星河医疗科技有限公司", "2016-10", "2018-01"),
        ("云帆信息技术有限公司", "2015-11", "2016-09"),
    ]


def test_a_question_mark_ends_a_range_still_running() -> None:
    [dates] = find_dates("* 星河数据技术有限公司(2017.10-?)")
    assert (dates.begin, dates.finish, dates.is_range) == ("2017-10", "present", True)


def test_chinese_schools_written_as_fields_without_dates() -> None:
    labelled = "# 个人信息\n\n- 姓   名\t：张三\n- 毕业院校\t：星河师范大学\n- 学   历\t：本科\n"
    education, _ = _read(labelled)
    assert [(e.school, e.degree) for e in education] == [("星河师范大学", "BS")]

    slashed = "# 简历\n\n- 张三/男/1990\n- 本科/星河农业大学环境工程专业\n- 工作年限：3年\n"
    education, _ = _read(slashed)
    assert [(e.school, e.degree) for e in education] == [("星河农业大学环境工程专业", "BS")]

    with_year = "# 简历\n\n- 求职意向： Java开发\n- 学历：全日制本科/星河工程学院/2020届应届生\n"
    education, _ = _read(with_year)
    assert [(e.school, e.degree, e.end) for e in education] == [("星河工程学院", "BS", "2020")]

    under_heading = "# 教育经历\n* 星河医科大学 计算机科学与技术\n\n# 链接\n* [GitHub](https://example.com)\n"
    education, _ = _read(under_heading)
    assert [(e.school, e.degree) for e in education] == [("星河医科大学", None)]


def test_a_slash_line_with_dates_names_its_school_not_the_whole_line() -> None:
    text = "# 教育经历\n\n本科/星河师范大学计算机系/网络工程 2013.9 - 2017.6\n"
    education, _ = _read(text)
    assert [(e.school, e.degree, e.start) for e in education] == [("星河师范大学计算机系", "BS", "2013-09")]


def test_dated_roles_and_scholarships_outside_education_are_not_schools() -> None:
    text = """# 张三

### 教育经历

2015-2019 星河大学：经济学学士

### 奖学金

2019 星河大学 博士生未来学者奖学金

## 公共服务

2019-2021 星河大学社科学生会 辅导员

2013-2014 星河附中学生会 主席
"""
    education, _ = _read(text)
    assert [(e.school, e.degree) for e in education] == [("星河大学：经济学学士", "BS")]


def test_faculty_appointments_under_a_setext_heading_are_positions() -> None:
    text = """Education
======
* Ph.D in Electrical Engineering, Lakeside University, 2018
* B.S. in Computer Science, Lakeside University, 2005

Selected Faculty Appointments
======
* Lecturer (Visiting) of Computer Science at Harbor State University, 2011-2013

* Teaching Faculty of Computer Science at Lakeside University, 2008-2019
  * Teaching Professor (full), 2017-2019
  * Assistant Teaching Professor, 2008-2017
"""
    education, experience = _read(text)
    assert [(e.school, e.degree) for e in education] == [("Lakeside University", "PhD"), ("Lakeside University", "BS")]
    assert [(e.employer, e.start, e.end) for e in experience] == [
        ("Harbor State University", "2011", "2013"),
        ("Lakeside University", "2008", "2019"),
    ]


def test_employer_title_headings_with_place_and_date_lines_in_blockquotes() -> None:
    text = """## Current positions

### Brightwave - Senior Support Engineer
> Lisbon, Portugal
> August 2016 - Current

Remote support for database customers.

### Nimbledata - Data External Advisor
> Madrid, Spain
> January 2016 - Current

Advice on data tooling.

## Past Experience

### Kestrel Apps - Lead DB / MySQL Consultant and team member
> Ottawa, Canada
> January 2015 - June 2016

- Support for customers.

### Quillon - MySQL/Oracle DBA
> Barcelona, Spain
> November 2010 - March 2012

- Database administration.

### Tallis -  Operational DBA & Production Consulting
> Porto, Portugal
> January - August 2008

- Backups.
"""
    _, experience = _read(text)
    assert [(e.employer, e.start, e.end) for e in experience] == [
        ("Brightwave", "2016-08", "present"),
        ("Nimbledata", "2016-01", "present"),
        ("Kestrel Apps", "2015-01", "2016-06"),
        ("Quillon", "2010-11", "2012-03"),
        ("Tallis", "2008-01", "2008-08"),
    ]


def test_names_lose_entities_escapes_and_the_units_of_a_university() -> None:
    text = """## 工作经历

### 星河软件科技有限公司 &emsp;&emsp;2019年5月 ~ 2019年8月
&emsp;&emsp; 研发部  |  后台开发

## Experience

Tidewater R\\&D Lab \\| Lisbon, Portugal<br>
Machine Learning Engineer \\| Jan 2020 - Oct 2021

## Education

* Ph.D in School of Information, Lakeside University, Aug 2018 - Jan 2024 (expected)
* B.E. in Computer Science, Maple Honors College, Westbrook University, Sep 2013 - Jun 2017
"""
    education, experience = _read(text)
    assert [e.employer for e in experience] == ["星河软件科技有限公司", "Tidewater R&D Lab"]
    assert [(e.school, e.degree) for e in education] == [("Lakeside University", "PhD"), ("Westbrook University", "BS")]


def test_the_name_on_a_dated_heading_wins_over_the_area_below_it() -> None:
    text = """## Experience

### Quillfeather (mobile app) — 2021-Present
**> AI and Foundational Models**
- Built a batch job framework.

### Marlow Resources (Government consulting) — 2019-2021
**> Data Engineering**
- Built scrapers.
"""
    _, experience = _read(text)
    assert [(e.employer, e.start) for e in experience] == [
        ("Quillfeather (mobile app)", "2021"), ("Marlow Resources (Government consulting)", "2019")]


def test_a_project_experience_section_holds_no_positions() -> None:
    text = """## Project Experience

- Software Low Power Mode Based on Adaptive Code *From Sep., 2015 to Dec., 2015*
    - A runtime power saving platform.

## Work Experience

- Software Engineer, Lakeside Widgets Inc. *From Jan., 2016 to May, 2018*
"""
    _, experience = _read(text)
    assert [e.employer for e in experience] == ["Lakeside Widgets Inc."]
