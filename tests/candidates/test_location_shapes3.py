"""Where a person is based, written in further shapes: a pin before a place given as a map link,
a city and its country joined by a dash, a header in capitals under the document's bare title,
"lives in" in a personal-details line, a school given as the address, and the opening prose of an
"about" page. Lines that look like these but say no place of the person's (a wish, a past place,
a project's address, a name or a role before a dash) give no location. Every resume is fictional."""

from __future__ import annotations

import pytest

from candidates.entries import read_entries
from ingest.pipeline import build_passages
from retrieval.types import PageSpan, ParsedDocument


def _location(text: str, source: str = "fictional.md") -> str | None:
    doc = ParsedDocument(source=source, text=text, pages=[PageSpan(page=1, start=0, end=len(text))])
    _, passages = build_passages(doc, "doc1")
    _, _, location = read_entries(doc, passages)
    if location is not None:  # every location is cited verbatim
        assert doc.text[location.citation.start:location.citation.end] == location.citation.quote
    return location.text if location else None


# --- a pin before the place ----------------------------------------------------------------

def test_a_pinned_place_written_as_a_map_link() -> None:
    text = ("# Ada Quill\n**Data Engineer | Pipelines**\n📍 [Évry-Courcouronnes, France](https://maps.example/x1)\n"
            "📞 +33 6 00 00 00 00 | 📧 ada@example.com\n\n## Experience\n")
    assert _location(text) == "Évry-Courcouronnes, France"


def test_a_pin_glued_to_its_city() -> None:
    assert _location("# Ada Quill\n📍Berlin, Germany | ada@example.com\n\n## Skills\nSQL\n") == "Berlin, Germany"


# --- a city and its country joined by a dash ------------------------------------------------

DASHED = """# Omar Haddad

**Backend Developer**

| Contact | Links |
|---|---|
| 📞 (+2) 0100000000 | [GitHub](https://github.com/example) |
| 🌍 {place} | [Blog](https://blog.example) |

## Summary
Backend developer.
"""


def test_a_city_dash_country_in_a_contact_table() -> None:
    assert _location(DASHED.format(place="Aswan - Egypt")) == "Aswan - Egypt"


@pytest.mark.parametrize("place", ["Backend Engineer - Egypt", "Northwind Labs - Egypt"])
def test_a_role_or_an_organisation_before_a_dash_is_not_a_city(place: str) -> None:
    assert _location(DASHED.format(place=place)) is None


def test_a_name_dash_country_on_the_first_line_is_not_a_city() -> None:
    assert _location("Omar Haddad - Egypt\nomar@example.com\n\n## Skills\nGo\n") is None


# --- a header in capitals under the bare document title -------------------------------------

def test_a_country_in_capitals_on_the_name_line_under_the_title() -> None:
    text = ("## Résumé\n\n### SOMCHAI RAKSA | THAILAND | CHIANG MAI\n\n"
            "Backend engineer who keeps payment systems fast and boring, for banks and shops.\n\n### WORK\n")
    assert _location(text) == "THAILAND"


def test_a_word_in_capitals_that_is_no_place_is_not_read() -> None:
    text = "## Résumé\n\n### SOMCHAI RAKSA | ENGINEER | CONTACT\n\nSoftware engineer.\n\n### WORK\n"
    assert _location(text) is None


# --- "lives in" and an address that is a school ---------------------------------------------

def test_lives_in_a_personal_details_line() -> None:
    text = "# 后端开发-王小明的简历\n\n- 王小明/男/30/已婚/居住在江西赣州\n- 邮箱：xm@example.com\n\n## 工作经历\n"
    assert _location(text) == "江西赣州"


def test_a_school_given_as_the_address() -> None:
    text = ("<h1>柳青禾</h1>\n<ul>\n<li>地址：星河理工大学</li>\n<li>邮箱：qh@example.com</li>\n</ul>\n"
            "<h2>教育经历</h2>\n")
    assert _location(text, "fictional.html") == "星河理工大学"


@pytest.mark.parametrize("field", ["项目地址：内部系统", "公司地址：见官网"])
def test_a_project_or_company_address_is_not_the_persons(field: str) -> None:
    assert _location(f"# 王小明\n{field}\n\n## 工作经历\n") is None


# --- the opening prose of an "about" page ---------------------------------------------------

ABOUT = """---
layout: default
title: About
---

## About

{prose}

### Experience

**Software Engineer**<br>
Northwind<br>
March 2019 - Present
"""


@pytest.mark.parametrize("prose,place", [
    ("Hello! I'm Tomas Ferrer. I'm working on search tools for [Northwind](https://northwind.example/), "
     "in San\nFrancisco.", "San Francisco"),
    ("I am Lena Brandt; I am a type designer living in *Munich, Germany*.", "Munich, Germany"),
    ("I'm Kofi Mensah, a data engineer based in Berlin.", "Berlin"),
])
def test_an_about_page_says_where_its_author_lives(prose: str, place: str) -> None:
    assert _location(ABOUT.format(prose=prose)) == place


@pytest.mark.parametrize("prose", [
    "I'm Tomas Ferrer. I'm interested in working in Tokyo one day.",
    "I'm Tomas Ferrer. I'm open to living in Paris.",
    "I worked in Berlin for five years before moving on.",
    "I'm Tomas Ferrer and I work with teams in Berlin Startup Hub.",
    "I'm Tomas Ferrer. I studied in Boston.",
])
def test_a_wish_a_past_place_or_a_name_is_not_where_the_author_lives(prose: str) -> None:
    assert _location(ABOUT.format(prose=prose)) is None
