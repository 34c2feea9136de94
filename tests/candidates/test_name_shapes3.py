"""Name shapes of a third kind: a Chinese name heading with the person's Latin name or nickname in
brackets glued to it, an "about" page that introduces its author in the first person, and
initials typed without spaces in a look-up. Lines that look like these but name no one stay
unread, and another person's initials do not find someone. Every resume here is fictional."""

from __future__ import annotations

import pytest

from candidates.detect import detect_name
from candidates.names import display_aliases, resolve
from retrieval.types import CandidateInfo

# --- a Chinese name with its Latin name in brackets -----------------------------------------


@pytest.mark.parametrize("heading", [
    "# 程嘉禾(Hobbit)",
    "# 程嘉禾 (Jiahe Cheng)",
    "# 程嘉禾（Jiahe Cheng）",
])
def test_a_chinese_name_with_a_bracketed_latin_name(heading: str) -> None:
    text = f"{heading}\n\n目前任职于星河软件，负责后端服务开发。\n\n## 联系方式\n\n- Email: jiahe@example.com\n"
    assert detect_name(text) == "程嘉禾"


def test_a_traditional_surname_with_a_nickname_is_found_by_its_pinyin() -> None:
    text = "# 陳嘉禾(Hobbit)\n\n## 工作經歷\n\n### 星河軟件 - 工程師 - 2019/03-now\n"
    name = detect_name(text)
    assert name == "陳嘉禾"
    people = [CandidateInfo(id="a", name=name, name_found=True, sources=["a.md"], document_ids=["a"],
                            aliases=display_aliases(name)),
              CandidateInfo(id="b", name="陳嘉文", name_found=True, sources=["b.md"], document_ids=["b"],
                            aliases=display_aliases("陳嘉文"))]
    for typed in ("陳嘉禾", "Jiahe Chen", "Chen Jiahe"):
        assert [p.id for p in resolve(typed, people)] == ["a"]


def test_a_company_with_a_bracketed_latin_name_is_not_a_name() -> None:
    assert detect_name("# 星河科技(Northwind)\n\n## 产品介绍\n\n云端数据平台。\n") is None


# --- an "about" page that introduces its author ---------------------------------------------

ABOUT_GREETING = """---
layout: default
title: About
---

## About

Hi, I'm Tomas Ferrer, a backend developer who likes tidy systems. These days I build search
tools for [Northwind](https://northwind.example/).

### Experience

**Software Engineer**<br>
Northwind<br>
March 2019 - Present
"""

ABOUT_PLAIN = """---
layout: page
title: About
---
<img src="../images/me.jpg" width="200" />

Good day! I am Lena Maria Brandt. I draw typefaces for small studios.
"""

ABOUT_MY_NAME = "## About me\n\nMy name is Kofi Mensah and I build data pipelines for small shops.\n"

ABOUT_CHINESE = "## 关于我\n\n我叫程嘉禾，一名后端工程师，热爱开源。\n\n## 技能\n\nGo, Kafka\n"


@pytest.mark.parametrize("text,name", [
    (ABOUT_GREETING, "Tomas Ferrer"),
    (ABOUT_PLAIN, "Lena Maria Brandt"),
    (ABOUT_MY_NAME, "Kofi Mensah"),
    (ABOUT_CHINESE, "程嘉禾"),
])
def test_a_first_person_introduction_names_the_author(text: str, name: str) -> None:
    assert detect_name(text) == name


@pytest.mark.parametrize("text", [
    "## About\n\nI am a software engineer who enjoys hard problems.\n",
    "## About\n\nI'm Open To Work.\n",
    "## About\n\nHi, I'm Tomas. I build things.\n",
    "## About\n\nI am based in San Francisco, where I build tools.\n",
    "## 关于我\n\n我是一名后端工程师，热爱开源。\n",
    "## 关于我\n\n五年后端开发经验。\n",
])
def test_an_introduction_without_a_name_names_no_one(text: str) -> None:
    assert detect_name(text) is None


def test_a_name_heading_wins_over_an_introduction() -> None:
    text = "# Ama Owusu\n\nHi, I'm Kofi Mensah's co-founder, and I write code.\n"
    assert detect_name(text) == "Ama Owusu"


# --- initials typed without spaces ----------------------------------------------------------

def _person(cid: str, name: str) -> CandidateInfo:
    return CandidateInfo(id=cid, name=name, name_found=True, sources=[f"{cid}.md"], document_ids=[cid])


@pytest.mark.parametrize("typed", ["Ferrer, T.M.", "Ferrer, T. M.", "T.M. Ferrer", "Ferrer, T."])
def test_glued_initials_find_the_person(typed: str) -> None:
    people = [_person("a", "Tomas M. Ferrer"), _person("b", "Lena Brandt")]
    assert [p.id for p in resolve(typed, people)] == ["a"]


@pytest.mark.parametrize("typed", ["Ferrer, K.", "Ferrer, K.K.", "K. Ferrer"])
def test_another_persons_initials_find_no_one(typed: str) -> None:
    assert resolve(typed, [_person("a", "Tomas Ferrer"), _person("b", "Lena Brandt")]) == []


# --- a heading phrased as a question or a sentence is no name -------------------------------

@pytest.mark.parametrize("heading", ["## What I Build", "## Who We Are", "## Where I Am Now"])
def test_a_heading_of_question_words_is_no_name(heading: str) -> None:
    text = ("+++\ntitle = \"About\"\n+++\n\nA backend engineer with eight years of payments work.\n\n"
            f"## My Journey\n\n- **Engineer @ Northwind** (2019-2024): ledger services.\n\n{heading}\n\n"
            "Payment systems and the APIs around them.\n")
    assert detect_name(text) is None


def test_a_name_with_a_particle_or_a_short_surname_is_still_read() -> None:
    assert detect_name("# Minh Do\n\nBackend engineer, Northwind.\n") == "Minh Do"
    assert detect_name("# Maria de la Cruz\n\nData engineer, Northwind.\n") == "Maria de la Cruz"
