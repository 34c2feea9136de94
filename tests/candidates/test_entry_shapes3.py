"""Entry shapes a third blind set of resumes showed, each a layout mechanism: Chinese written in
traditional characters, emphasis by one underscore, an emphasised name opening a line, a bare
date over a line that runs on into sentences, several dated names listed on one line, "N years
as Title at Org", a title held "with" a group whose bullet goes on naming the institute, a list
of projects inside an education section, and a dated bullet under a position's complete heading.
Every resume here is fictional and written by the test."""

from __future__ import annotations

from candidates.entries import _plain
from tests.candidates.reading import read_fictional as _read


def _jobs(experience) -> list[tuple]:
    return [(x.employer, x.start, x.end) for x in experience]


# --- traditional characters -------------------------------------------------------------------

def test_positions_and_a_school_in_traditional_characters() -> None:
    text = ("# 林小明\n\n## Work Experience\n\n"
            "### 星河資訊股份有限公司 - 軟體工程師 - 2016/04-2017/03\n- 金流網站功能開發.\n\n"
            "### 晨光電子有限公司 - 資訊工程師 - 2014/10-2016/04\n- 門市系統開發.\n\n"
            "## Education\n\n- 晨光科技大學, 2001 ~ 2005 , 工學學士（BEng）, 電機工程系\n")
    education, experience = _read(text)
    assert _jobs(experience) == [("星河資訊股份有限公司", "2016-04", "2017-03"),
                                 ("晨光電子有限公司", "2014-10", "2016-04")]
    assert [x.title for x in experience] == ["軟體工程師", "資訊工程師"]
    assert [(e.school, e.degree, e.field, e.start, e.end) for e in education] == [
        ("晨光科技大學", "BS", "電機工程系", "2001", "2005")]


def test_the_degree_written_again_in_brackets_is_no_field() -> None:
    text = "## 教育经历\n\n- 晨光大学, 2009 ~ 2013, 工学学士（BEng）, 自动化系\n"
    education, _ = _read(text)
    assert [(e.school, e.field) for e in education] == [("晨光大学", "自动化系")]
    text = "## Education\n\n- Lakeside University, 2009 - 2013, B.Sc. (Applied Physics)\n"
    education, _ = _read(text)
    assert [(e.school, e.field) for e in education] == [("Lakeside University", "Applied Physics")]


# --- emphasis -----------------------------------------------------------------------------------

def test_dates_in_single_underscore_emphasis() -> None:
    text = ("## Work Experience\n\n### Northwind Traders - IT Consultant - _2017/03-now_\n- Ran the shop.\n\n"
            "### Contoso Ltd - Developer - _2014/10-2017/03_\n- Wrote code.\n")
    _, experience = _read(text)
    assert _jobs(experience) == [("Northwind Traders", "2017-03", "present"),
                                 ("Contoso Ltd", "2014-10", "2017-03")]


def test_underscores_inside_words_stay() -> None:
    assert _plain("- deploy_tool_v2 and run_all_checks") == "deploy_tool_v2 and run_all_checks"
    assert _plain("_Data Platform_ team") == "Data Platform  team"


def test_an_emphasised_name_opening_a_line_is_a_field() -> None:
    text = ("## Experience\n\n`2019-`\n__Harbor Cancer Center__ Staff Scientist (Medical Oncology)\n\n"
            "`2014-2018`\n__Lakeside University__ Graduate Research Associate (School of Chemical Engineering)\n")
    _, experience = _read(text)
    assert _jobs(experience) == [("Harbor Cancer Center", "2019", "present"),
                                 ("Lakeside University", "2014", "2018")]
    assert experience[0].title == "Staff Scientist (Medical Oncology)"


def test_emphasis_that_goes_on_a_sentence_is_no_field() -> None:
    assert _plain("**Acme** and partners built it") == "Acme  and partners built it"
    assert _plain("**Acme Labs**, Inc.") == "Acme Labs , Inc."
    assert _plain("- **Jan 2016** - **Mar 2018**") == "Jan 2016  -  Mar 2018"


# --- a bare date over a line that runs on -------------------------------------------------------

def test_a_line_under_a_bare_date_that_runs_on_into_sentences() -> None:
    text = ("## Education\n\n`2014-18`\n__Lakeside University__ Chemistry PhD (advisor: Jane Roe). "
            "My thesis was titled _Small Models of Large Rivers_ and is available online from the "
            "university library, together with its data and code, for anyone who wants them.\n\n"
            "`2010-14`\n__Hillcrest College__ BSc Biology\n")
    education, _ = _read(text)
    assert [(e.school, e.degree, e.field, e.start, e.end) for e in education] == [
        ("Lakeside University", "PhD", "Chemistry", "2014", "2018"),
        ("Hillcrest College", "BS", "Biology", "2010", "2014")]


def test_a_description_under_a_dated_entry_line_stays_description() -> None:
    text = ("## Experience\n\n2019 - 2021  Data Engineer, Northwind Traders\n"
            "Built the pipelines. Moved the warehouse to Lakeside University Systems and more, for a "
            "long while, with many people and a great deal of care, which took two full years.\n")
    _, experience = _read(text)
    assert _jobs(experience) == [("Northwind Traders", "2019", "2021")]


# --- several entries on one line ----------------------------------------------------------------

def test_several_dated_names_listed_on_one_line() -> None:
    text = ("## Experience\n\nNorthwind Traders\n\nSenior Developer, May 2016 – present\n\n"
            "Previously\n\nContoso (2013-2014) · Fabrikam Studio (2012-2013) · others (2006-2010)\n")
    _, experience = _read(text)
    assert _jobs(experience) == [("Northwind Traders", "2016-05", "present"), ("Contoso", "2013", "2014"),
                                 ("Fabrikam Studio", "2012", "2013")]
    assert [x.citation.quote for x in experience[1:]] == ["Contoso (2013-2014)", "Fabrikam Studio (2012-2013)"]


def test_one_entry_with_two_ranges_stays_one() -> None:
    text = "## Experience\n\nNorthwind Traders | Engineer 2015-2017 | Lead Engineer 2017-2019\n"
    _, experience = _read(text)
    assert [x.employer for x in experience] == ["Northwind Traders"]
    assert len(experience) == 1


# --- how a position is stated -----------------------------------------------------------------

def test_years_as_a_title_at_an_employer() -> None:
    text = ("## Work Experience\n\n* 2 years as Front-End Captain at Northwind from 2014 to today\n\n"
            "* 9 years as Platform Developer at Contoso Space From 2005 to 2014\n")
    _, experience = _read(text)
    assert [(x.employer, x.title, x.start, x.end) for x in experience] == [
        ("Northwind", "Front-End Captain", "2014", "present"),
        ("Contoso Space", "Platform Developer", "2005", "2014")]


def test_as_and_at_in_lower_case_state_no_title() -> None:
    text = "## Work Experience\n\n* helped as a volunteer at the town library from 2010 to 2012\n"
    _, experience = _read(text)
    assert experience == []


def test_a_title_held_with_a_group_takes_the_institute_the_item_goes_on_with() -> None:
    text = ("## Work\n\n* 2017 - 2019: Postdoctoral Researcher with [River Lab](http://example.org) "
            "(PI: [Jane Roe](http://example.org/jr))  \n[Institute of Water Studies](http://example.org/iws)  \n"
            "Lakeside University  \n\n* 2020 - current: Research Fellow with Alan Grey, Harbor Research Centre\n"
            "Coastal Modelling Group\n")
    _, experience = _read(text)
    # the institute is a unit ("Institute of …"): the school it belongs to is the employer
    assert [(x.employer, x.title) for x in experience] == [
        ("Lakeside University", "Postdoctoral Researcher"),
        ("Harbor Research Centre", "Research Fellow")]


def test_with_names_the_employer_when_nothing_else_does() -> None:
    text = "## Experience\n\n* 2016 - 2018: Consultant with Northwind Advisory\n"
    _, experience = _read(text)
    assert [x.employer for x in experience] == ["Northwind Advisory"]


# --- lists inside an entry ----------------------------------------------------------------------

def test_a_list_of_projects_inside_an_education_section() -> None:
    text = ("## 教育\n\n### Lakeside University, Computer Science, <small>2005 - 2007</small>\n\n"
            "M.S. in Computer Science\n\n研究生期间的项目：\n\n* 2005.7 - 2006.2，晨光大学图书管理系统\n"
            "* 2006.8 - 2006.9  晨光大学电视台管理系统\n\n项目使用的主要语言是C++。\n\n"
            "### Lakeside University, Software Engineering, <small>2001 - 2005</small>\n\nB.S. in Software Engineering\n")
    education, _ = _read(text)
    assert [(e.school, e.degree, e.start) for e in education] == [
        ("Lakeside University", "MS", "2005"), ("Lakeside University", "BS", "2001")]


def test_a_school_after_a_projects_list_is_read_again() -> None:
    text = ("## 教育经历\n\n星河大学 硕士 计算机 2005 - 2008\n\n在读期间的项目：\n\n"
            "- 2006.1 - 2006.6，星河大学图书管理系统\n\n晨光大学 本科 计算机 2001 - 2005\n")
    education, _ = _read(text)
    assert [(e.school, e.degree, e.start) for e in education] == [("星河大学", "MS", "2005"),
                                                                  ("晨光大学", "BS", "2001")]


def test_a_dated_bullet_under_a_complete_position_heading_is_a_detail() -> None:
    text = ("## 工作经历\n\n### 星河数据 | 全栈工程师 | 2018.08 - 2021.10\n\n带前端团队。\n\n"
            "- **Lowcode** *(独立长期项目, 2020.11 至今)*: 自研低代码平台\n  - 数据中心 + 模块加载器\n"
            "- **dataflow**: 可视化\n\n### 晨光软件 | 前端开发工程师 | 2015.07 - 2018.07\n\n负责页面开发。\n")
    _, experience = _read(text)
    assert _jobs(experience) == [("星河数据", "2018-08", "2021-10"), ("晨光软件", "2015-07", "2018-07")]


def test_dated_bullets_under_a_heading_without_a_title_are_its_positions() -> None:
    text = ("## Experience\n\n### Northwind Traders | 2015 - 2021\n\n"
            "- Senior Engineer, Northwind Cloud, 2018 - 2021\n- Software Engineer, Northwind Labs, 2015 - 2018\n")
    _, experience = _read(text)
    assert [(x.employer, x.title, x.start, x.end) for x in experience] == [
        ("Northwind Cloud", "Senior Engineer", "2018", "2021"),
        ("Northwind Labs", "Software Engineer", "2015", "2018")]
