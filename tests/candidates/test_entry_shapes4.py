"""Entry shapes a fourth blind set of resumes showed, each a layout mechanism: a definition list of
dates over "Title at Organisation" lines with no section heading, a date column opening with
"Since", a company name in lower case then capitals, cards of HTML elements one field a line, a
timeline cell of two lone dates, positions written as dated Markdown headings of their own, bare
names under dates shaped like a read position, and a list item made of heading words.
Every resume here is fictional and written by the test."""

from __future__ import annotations

from candidates.entries import _lines, find_dates
from ingest.pipeline import build_passages
from tests.candidates.reading import read_fictional
from retrieval.types import PageSpan, ParsedDocument
from tests.candidates.reading import read_fictional as _read


def _jobs(experience) -> list[tuple]:
    return [(x.employer, x.title, x.start, x.end) for x in experience]


# --- a definition list: dates over "Title at Organisation" ------------------------------------

def test_a_definition_list_of_positions_without_a_heading() -> None:
    text = ("# Ana Pereira\n\n"
            "Since Oct. 2021\n:   Research Scientist at [Northwind Institute](https://example.org)\n\n"
            "Sept. 2018 -- Sept. 2021\n:   Postdoctoral Fellow at [Lakeside University](https://example.org)\n\n"
            "Mar 2014 - Aug 2018\n:   PhD student in chemistry at [Lakeside University](https://example.org)\n")
    education, experience = _read(text)
    assert _jobs(experience) == [("Northwind Institute", "Research Scientist", "2021-10", "present"),
                                 ("Lakeside University", "Postdoctoral Fellow", "2018-09", "2021-09")]
    assert [(e.school, e.degree) for e in education] == [("Lakeside University", "PhD")]


def test_talks_and_awards_at_a_meeting_are_no_positions() -> None:
    text = ("# Ana Pereira\n\n"
            "Oct. 2021\n:   Invited talk at Northwind Symposium\n\n"
            "2019 - 2020\n:   Best Paper Award at Lakeside Conference\n\n"
            "2018 - 2019\n:   Poster at Harbor Workshop on Catalysis\n")
    _, experience = _read(text)
    assert experience == []


def test_since_opens_a_range_only_at_the_start_of_a_line() -> None:
    [since] = find_dates("Since Oct. 2022")
    assert (since.begin, since.finish, since.is_range) == ("2022-10", "present", True)
    [member] = find_dates("Member since 2015")
    assert member.is_range is False


# --- a company name in lower case then capitals -----------------------------------------------

def test_a_company_name_opening_in_lower_case() -> None:
    text = ("## Experience\n\n"
            "eShop Systems | Backend Developer | 2016 - 2019\n- Built the basket.\n\n"
            "Contoso Ltd | Developer | 2013 - 2016\n- Wrote code.\n")
    _, experience = _read(text)
    assert [(x.employer, x.start) for x in experience] == [("eShop Systems", "2016"), ("Contoso Ltd", "2013")]


# --- HTML cards: one field a line, layout tags between -----------------------------------------

def _card(title: str, dates: str, org: str, place: str) -> str:
    return ('<div class="card">\n  <div class="row">\n    <div class="col-8">\n'
            f'      <h4 class="card-title">{title}</h4>\n    </div>\n    <div class="col-4">\n'
            f'      <p class="text-end">{dates}</p>\n    </div>\n  </div>\n  <div class="row">\n'
            f'    <div class="col-8">\n      <p class="card-text">{org}</p>\n    </div>\n'
            f'    <div class="col-4">\n      <p class="text-end">{place}</p>\n    </div>\n  </div>\n</div>\n')


def test_cards_of_html_elements_one_field_a_line() -> None:
    text = ("# CV\n\n## Positions\n\n"
            + _card("Research Fellow", "2021-current", "Lakeside University", "Porto, Portugal")
            + _card("Research Fellow", "2019-2021", "Northwind Institute", "Lyon, France")
            + _card("Teaching Assistant", "2016-2019", "Harbor College", "Leeds, UK"))
    _, experience = _read(text)
    assert _jobs(experience) == [("Lakeside University", "Research Fellow", "2021", "present"),
                                 ("Northwind Institute", "Research Fellow", "2019", "2021"),
                                 ("Harbor College", "Teaching Assistant", "2016", "2019")]


def test_cards_of_projects_stay_projects() -> None:
    text = ("# CV\n\n## Projects\n\n"
            + _card("Weather Bot", "2021-2022", "Side project", "Online")
            + _card("Chess Engine", "2019-2021", "Open source", "Online")
            + _card("Tide Tables", "2016-2019", "Hobby", "Online"))
    _, experience = _read(text)
    assert experience == []


# --- a timeline cell of two lone dates -----------------------------------------------------------

def test_two_lone_dates_bound_a_range_whichever_comes_first() -> None:
    [later_first] = find_dates("Aug 2022 Aug 2020")
    assert (later_first.begin, later_first.finish) == ("2020-08", "2022-08")
    [ongoing] = find_dates("Present Aug 2022")
    assert (ongoing.begin, ongoing.finish) == ("2022-08", "present")
    assert [d.is_range for d in find_dates("Aug 2022 was a good month, 2020 too")] == [False, False]


# --- positions as dated Markdown headings of their own ----------------------------------------

def test_dated_headings_of_employers_without_a_title() -> None:
    text = ("# 王小明\n\n## 工作经历\n\n"
            "### 星河(Xinghe) 2019.3~至今\n带领客服小组:\n- 处理客户的问题并整理成文档，每周汇总。\n\n"
            "### 晨光(Chenguang) 2015.2~2019.3\n- 负责驱动的开发与调试，完成多个型号的适配。\n\n"
            "### 北方数据研究院 2012.7 ~ 2015.2\n- 参与通信协议栈的开发，负责模块设计和编码。\n\n"
            "### 远航无线(Yuanhang) 2010.7~2012.7\n- 完成双卡功能的设计和编码任务，并通过测试。\n\n"
            "## 项目经历\n\n### 项目 - 短信平台(星河) 2020.1~2020.6\n")
    _, experience = _read(text)
    assert [(x.employer, x.start, x.end) for x in experience] == [
        ("星河(Xinghe)", "2019-03", "present"), ("晨光(Chenguang)", "2015-02", "2019-03"),
        ("北方数据研究院", "2012-07", "2015-02"), ("远航无线(Yuanhang)", "2010-07", "2012-07")]


def test_a_lone_dated_project_heading_is_no_position() -> None:
    text = ("## Experience\n\n### Lakeside Labs - Data Engineer - 2018 - 2021\n- Pipelines.\n\n"
            "### Weather dashboard 2020 - 2021\n\n### Contoso Ltd - Developer - 2015 - 2018\n- Code.\n")
    _, experience = _read(text)
    assert [x.employer for x in experience] == ["Lakeside Labs", "Contoso Ltd"]


# --- a list item of heading words is no heading ---------------------------------------------------

def test_an_item_of_a_list_is_no_section_heading() -> None:
    text = ("## Experience\n\n**Principal Consultant**, Northwind Analytics ( May 2019 – Present )\n\n"
            "- Streaming pipelines for a bank\n- Education and Coaching\n\n"
            "**Data Scientist**, Contoso Ltd ( March 2015 – April 2019 )\n\n"
            "- Gave talks at *Harbor Institute* meetups.\n")
    doc = ParsedDocument(source="fictional.md", text=text, pages=[PageSpan(page=1, start=0, end=len(text))])
    _, passages = build_passages(doc, "doc1")
    assert {line.region for line in _lines(doc, passages) if line.start > text.index("- Streaming")} \
        == {"experience"}
    education, experience = _read(text)
    assert education == []
    assert [(x.employer, x.start) for x in experience] == [("Northwind Analytics", "2019-05"),
                                                         ("Contoso Ltd", "2015-03")]


# --- a date over a bare employer's name, with no heading --------------------------------------

def test_bare_names_under_dates_written_as_a_read_position_is() -> None:
    text = ("# Jo Bloggs\n\nI build software for small teams and like to write about it at length.\n\n"
            "Dec 2016 - Now\nHarbor Health\nhttps://example.org\nI make tools for clinics.\n\n"
            "Aug 2013 - Dec 2016\nQuillpad\nhttps://example.com\nI led the mobile team.\n\n"
            "2009 - 2013\nBrightwater Works\nhttps://example.net\nI wrote the billing system.\n")
    _, experience = _read(text)
    assert [(x.employer, x.start, x.end) for x in experience] == [
        ("Harbor Health", "2016-12", "present"), ("Quillpad", "2013-08", "2016-12"),
        ("Brightwater Works", "2009", "2013")]


def test_bare_names_under_dates_with_no_position_read_stay_unread() -> None:
    text = ("# Jo Bloggs\n\nI build software for small teams and like to write about it at length.\n\n"
            "2019 - 2020\nWeather Bot\nhttps://example.org\nA bot that posts the forecast.\n\n"
            "2016 - 2018\nChess Engine\nhttps://example.com\nA small engine in Rust.\n")
    _, experience = _read(text)
    assert experience == []


def test_activity_headings_shaped_like_positions_stay_activities() -> None:
    text = ("## Experience\n\n### Tech Lead, Northwind Labs | Jun 2021 -- Present | Remote\n- Led a team.\n\n"
            "### Developer, Contoso Ltd | Sep 2019 -- Jun 2021 | Leeds\n- Wrote code.\n\n"
            "## Activities\n\n### Podcast | Feb 2020 -- Present | Episodes\n- Weekly episodes.\n\n"
            "### Meetup Host | Mar 2021 -- Present | Several cities\n- Ran monthly evenings.\n")
    _, experience = _read(text)
    assert [x.employer for x in experience] == ["Northwind Labs", "Contoso Ltd"]


def test_a_position_bullet_with_its_description_after_the_dates_on_the_same_line() -> None:
    """"- *Engineer, Acme* (2018–2019): Built …": a long description after the colon does not
    make the line a sentence; the part before it is the position."""
    text = ("# Rowan Tsai\n\n## Professional Experience\n\n"
            "- *Research & Development Assistant, Northwind Labs Inc.* (2021–2024): Developed distributed "
            "consensus algorithms for an edge middleware, achieving sub-millisecond latency for edge "
            "computing applications across the fleet.\n\n"
            "## Education\n\n"
            "- *PhD Program in Computer Science, Lakeside University* (2021–Present): Advisor: Professor "
            "A. Brook | Research: sensor fusion, vehicle-to-everything communication and networking\n")
    education, experience = read_fictional(text)
    assert [(e.employer, e.title, e.start, e.end) for e in experience] == [
        ("Northwind Labs Inc.", "Research & Development Assistant", "2021", "2024")]
    assert [(e.school, e.degree, e.start, e.end) for e in education] == [
        ("Lakeside University", "PhD", "2021", "present")]
