"""Where a person is based, read from where a fictional resume states it: a location field, the
header or contact block, then the header of a current entry. A place that is only a word of an
organisation's name (a school, a company), or that belongs to a finished entry, is not read."""

from __future__ import annotations

import pytest

from candidates.entries import read_entries
from ingest.pipeline import build_passages
from retrieval.types import PageSpan, ParsedDocument


def _location(text: str):
    doc = ParsedDocument(source="fictional.txt", text=text, pages=[PageSpan(page=1, start=0, end=len(text))])
    _, passages = build_passages(doc, "doc1")
    _, _, location = read_entries(doc, passages)
    if location is not None:  # every location is cited verbatim
        assert doc.text[location.citation.start:location.citation.end] == location.citation.quote
    return location.text if location else None


# --- a place inside an organisation's name is not where the person is ----------------------

def test_a_city_in_a_chinese_school_name_is_not_the_location() -> None:
    text = "柳青禾\nqinghe@example.com\n教育经历\n上海星河大学 计算机系 博士研究生 2021.09 – 至今\n"
    assert _location(text) is None


@pytest.mark.parametrize("header", [
    "云付（中国）网络技术有限公司 2021-10 至今",
    "中国星河科学院计算所 2021/04 – 至今",
    "深蓝科技（深圳）有限公司 2021.05 - 至今",
    "沈阳云杉数据科技有限公司 （2021-10 ~）",
])
def test_a_place_in_a_chinese_company_name_is_not_the_location(header: str) -> None:
    assert _location(f"韩墨\nhanmo@example.com\n工作经历\n{header}\n后端工程师\n• 负责订单系统。\n") is None


@pytest.mark.parametrize("header", [
    "Ph.D. in Chemistry, Boston University, Sep 2023 - Present",
    "MUNICH UNIVERSITY OF APPLIED SCIENCES Doctoral Researcher Oct 2021 - Present",
    "Freie Universität Berlin, Doctoral Researcher, Oct 2021 - Present",
])
def test_a_place_in_an_english_school_name_is_not_the_location(header: str) -> None:
    text = f"Rowan Pike\nrowan@example.com\n\nEXPERIENCE\n{header}\n• Compression of sparse matrices.\n"
    assert _location(text) is None


def test_a_country_written_after_a_school_name_is_the_location() -> None:
    text = ("Rowan Pike\nrowan@example.com\n\nEXPERIENCE\n"
            "Ph.D. Student, University of Toronto, Canada, Sep 2021 - Present\n• Sparse matrices.\n")
    assert _location(text) == "Canada"  # written apart from the name; "Toronto" is in the name


def test_a_company_named_after_a_bay_gives_its_written_city() -> None:
    text = """Milo Brandt
milo@example.com

EXPERIENCE
Platform Engineer March 2020 - Present
Greybay Outfitters Co. | Chicago, IL
• Kept the checkout service up.
"""
    assert _location(text) == "Chicago, IL"


# --- only a current entry says where the person is -----------------------------------------

def test_a_finished_entry_does_not_give_the_location() -> None:
    text = """Tess Alvarado
tess@example.com

EXPERIENCE
Data Engineer, Cobalt Freight, Jan 2024 - Present
• Built the pricing pipeline.
Research Assistant, Lone Star Polytechnic, Austin, TX, Aug 2019 - Dec 2023
• Simulated traffic.
"""
    assert _location(text) is None


def test_a_city_after_a_school_name_in_a_current_entry() -> None:
    text = """Ezra Quill
ezra@example.com

## Education

- **Graduate Researcher**, Marrow University, Dallas, TX. Sep 2022 - Present
- **B.S., Physics**, Marrow University, Dallas, TX. Sep 2018 - May 2022
"""
    assert _location(text) == "Dallas, TX"


def test_a_current_school_beats_a_summer_internship() -> None:
    text = """Lin Qiao
lin@example.com
Education
Lakeshore University Chengdu, China
Ph.D. in Computer Science 2022.08 - Present
Internships
Quanta Labs | Shenzhen, China 2024.06 - Present
"""
    assert _location(text) == "Chengdu, China"


def test_a_country_of_several_words_after_the_city() -> None:
    text = """Joon Park
joon@example.com
Experience
Tidal Robotics Daejeon, Republic of Korea
ROBOTICS ENGINEER Jan. 2022 - Present
"""
    assert _location(text) == "Daejeon, Republic of Korea"


def test_a_chinese_place_standing_apart_in_a_current_entry() -> None:
    text = "季远\nji@example.com\n工作经历\n云杉网络 平台组 中国‑成都\n资深工程师 2020年03月至今\n"
    assert _location(text) == "中国‑成都"


def test_talk_places_are_not_the_location() -> None:
    text = """Priya Venn
priya@example.com

Conferences & Workshops
- Workshop on Sparse Methods, Paris, France (2021).
- Spring Data Symposium, Vancouver, Canada (2022).
"""
    assert _location(text) is None


# --- the header and explicit fields ----------------------------------------------------------

def test_an_office_address_gives_its_city() -> None:
    text = "Nadia Roche\nOffice Address: 48 Cedar Lane, Unit C, Portland, OR 97205\nnadia@example.com\n"
    assert _location(text) == "Portland, OR"


def test_markup_named_address_is_not_a_field() -> None:
    text = '# Kai Moreno\nData Engineer.\n\n<nav id="siteaddress">\n<a href="/blog">Blog</a>\n</nav>\n'
    assert _location(text) is None


def test_a_chinese_address_field() -> None:
    text = "姓名：周可 年龄：24\n邮箱：zhouke@example.com 住址：四川省成都市武侯区云杉路 8 号\n技能\n● 熟悉 Linux\n"
    assert _location(text) == "四川省成都市武侯区云杉路 8 号"


def test_a_place_alone_in_a_personal_details_section() -> None:
    text = """吴桐
专业技能
Go 6 年
个人信息
出生年份：1992
杭州市西湖区
wutong@example.com
工作经历
后端专家 星辰软件 2021.07 - 2023.05
"""
    assert _location(text) == "杭州市西湖区"


def test_a_pinned_city_in_the_header_and_a_list_of_wished_cities() -> None:
    assert _location("# 关若\n\n☎ 138 0000 0000 📍 苏州\n\n教育经历\n") == "苏州"
    assert _location("# 关若\n\n意向 📍 苏州、南京、合肥 ⭐ 后端开发\n\n教育经历\n") is None


def test_a_city_and_state_without_a_comma_in_the_header() -> None:
    text = "Pat Lowe\n\nEvanston IL USA      pat@example.com      github.com/patlowe\n\nSummary of work.\n"
    assert _location(text) == "Evanston IL USA"


def test_a_title_after_the_name_is_not_a_state() -> None:
    assert _location("Jane Roe, MD\njane@example.com | Denver, CO\n") == "Denver, CO"
    assert _location("Jane Roe, MD\njane@example.com\n") is None


# --- more header shapes: keys with markup, front matter, emphasis, addresses, "X-based" ---------

def test_a_where_i_am_key_with_an_html_break_after_the_value() -> None:
    text = "# 简介\n姓名: 石溪 <br>\n性别: 女<br>\n坐标: 杭州<br>\n邮箱: shixi@example.com<br>\n\n# 技能\n* Vue\n"
    assert _location(text) == "杭州"


def test_a_spaced_chinese_address_key_with_a_tab_and_a_city_no_table_knows() -> None:
    text = ("## 基本信息\n\n- 姓   名\t：乔木\n- 出生年月\t：2000.05\n- 住   址\t：湖南省岳阳市       \n"
            "- 邮   箱\t：qiaomu@example.com\n\n## 教育经历\n")
    assert _location(text) == "湖南省岳阳市"


def test_a_bold_location_key_inside_a_bullet_of_an_about_section() -> None:
    text = """# CV

## About

- **Name:** Ilse Varga
- **Title:** Data Engineer
- **Company:** Quarry Analytics
- **Location:** Tartu, Estonia
- **Key Skills:** Python, Spark
"""
    assert _location(text) == "Tartu, Estonia"


def test_an_emphasised_city_and_country_under_the_headline_after_front_matter() -> None:
    text = """---
layout: page
title: Resume
---
# NOOR HALABI

__Data Scientist \\| ML Engineer__ \\
_Quito, Ecuador_

## SUMMARY

I build forecasting systems for retail data.
"""
    assert _location(text) == "Quito, Ecuador"


def test_a_place_based_title_in_the_profile_is_the_location() -> None:
    text = """---
layout: default
---

## Profile
Stockholm-based Senior Site Reliability Engineer with a focus on observability and automation.

## Experience
"""
    assert _location(text) == "Stockholm"


@pytest.mark.parametrize("profile", [
    "Engineer at a Stockholm-based startup, building payment systems.",
    "Built Linux-based Engineer tooling for data teams.",
])
def test_a_place_based_employer_or_a_based_technology_is_not_the_location(profile: str) -> None:
    assert _location(f"## Profile\n{profile}\n\n## Skills\n- Go\n") is None


def test_a_postal_address_line_in_the_header_gives_its_city_and_district() -> None:
    text = ("# 闻舟\n\n星河大学数据科学研究所\n\n成都市武侯区桂溪路 18 号（ 610041 ）\n\n"
            "Mail: wenzhou@example.com\n\n### 教育经历\n")
    assert _location(text) == "成都市武侯区"


def test_a_school_line_with_a_street_number_is_not_an_address() -> None:
    text = "# 闻舟\n\n上海星河大学 云杉路 18 号楼\n\nwenzhou@example.com\n\n### 技能\n- Go\n"
    assert _location(text) is None


def test_a_company_form_before_the_city_is_not_the_city() -> None:
    text = """# Omid Sadeghi

## Experience

### Data Scientist | May 2023 - Present

> Northwind AB, Tabriz, Iran
"""
    assert _location(text) == "Tabriz, Iran"


def test_a_city_inside_a_region_named_of_the_river_is_not_read() -> None:
    text = """## Current positions

### Acme - Data Engineer
> El Valle de la Plata, Argentina
> September 2021 - Current

### Nimbus - DBA
> Rosario, Argentina
> August 2021 - Current
"""
    assert _location(text) == "Rosario, Argentina"
