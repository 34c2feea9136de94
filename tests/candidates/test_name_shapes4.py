"""Name shapes of a fourth kind, from Markdown resumes: a name written in both scripts on one
line, a surname that is also a particle elsewhere ("Das", "Le"), icons beside the name (emoji,
":student:" shortcodes, a template's "icon:user"), and a personal-details line whose name comes
after the gender. Every resume here is fictional."""

from __future__ import annotations

import pytest

from candidates.detect import detect_name
from candidates.names import display_aliases, resolve
from retrieval.types import CandidateInfo


@pytest.mark.parametrize("line", ["Rowan Tsai 蔡若文", "蔡若文 Rowan Tsai"])
def test_a_name_in_two_scripts_is_kept_as_written_and_found_by_either(line: str) -> None:
    text = f'<center><font size="6">{line}</font></center>\n\n<center>rowan@example.com</center>\n\n## 工作经历\n'
    name = detect_name(text)
    assert name == line
    people = [CandidateInfo(id="a", name=name, name_found=True, sources=["a.md"], document_ids=["a"],
                            aliases=display_aliases(name))]
    for typed in ("Rowan Tsai", "蔡若文", "Cai Ruowen"):
        assert [p.id for p in resolve(typed, people)] == ["a"], typed


def test_a_project_line_in_two_scripts_is_no_name() -> None:
    assert detect_name("# Nimbus Gateway 网关项目\n\n## 项目经历\n") is None


@pytest.mark.parametrize("name", ["Priya Das", "Minh Le", "Wei Du"])
def test_a_surname_that_is_a_particle_elsewhere(name: str) -> None:
    text = f"---\nlayout: default\ntitle: resume\n---\n\n# {name}\n\n| **Contact** | me@example.com |\n"
    assert detect_name(text) == name


def test_a_particle_before_the_surname_stays_a_particle() -> None:
    assert detect_name("Marta dos Anjos\nmarta@example.com\n") == "Marta dos Anjos"
    assert detect_name("Notes de\nmarta@example.com\n") is None


@pytest.mark.parametrize("text, name", [
    ("# 🧑‍💻林知远\n\n（+86）139-0000-0000｜ lin@example.com\n\n## 教育背景\n", "林知远"),
    ("# 个人简历\n\n:student:姓名：林知远\n:phone:电话：139 0000 0000\n", "林知远"),
    ("## 初级 **Java 后端开发工程师**\nicon:city 杭州 / 24岁 / icon:email lin@example.com\n"
     "icon:user 男 / 林知远 / icon:phone 13900000000\n", "林知远"),
])
def test_icons_beside_the_name_are_read_as_nothing(text: str, name: str) -> None:
    assert detect_name(text) == name


def test_a_details_line_without_a_name_names_no_one() -> None:
    assert detect_name("## 后端开发工程师\nicon:city 杭州 / 24岁 / icon:email lin@example.com\n") is None


def test_a_page_title_in_two_scripts() -> None:
    text = '---\nlayout: page\ntitle: "蔡若文 Rowan Tsai"\nsubheadline: "简历"\n---\n\n## 教育\n\n2010-2014 | 东岭大学\n'
    assert detect_name(text) == "蔡若文 Rowan Tsai"


def test_a_name_spaced_out_character_by_character_beside_its_latin_name() -> None:
    name = detect_name("蔡 若 文 | Rowan Tsai\n-----\n\n软件工程师\n")
    assert name == "蔡若文 Rowan Tsai"
    assert "Rowan Tsai" in display_aliases(name)


@pytest.mark.parametrize("line, name", [
    ("Priya Raman Kernel Engineer Last update on", "Priya Raman"),
    ("Priya K. Raman Senior Software Engineer Updated May 2024", "Priya K. Raman"),
    ("Embedded Firmware Engineer Updated May 2024", None),  # a title: its words are a field's
    ("Passionate Full Stack Developer", None),  # everyday words open the line: no name
])
def test_a_name_before_a_role_on_the_opening_line(line: str, name: str | None) -> None:
    assert detect_name(f"{line}\n\npriya@example.com\n\nSummary\n\nLow-level engineer.\n") == name


def test_the_author_bolded_in_every_author_list_is_the_person() -> None:
    text = ("---\nlayout: resume\ntitle: Resume\n---\n\n## Summary\nPh.D. candidate working on diffusion models.\n\n"
            "## Publications\n**Orla Brennan Ferris**, Kai Moreno, Ann Roe\nA paper. 2024\n\n"
            "Kai Moreno, **Orla Brennan Ferris**, Ann Roe\nAnother paper. 2023\n")
    assert detect_name(text) == "Orla Brennan Ferris"
    one = text.replace("Kai Moreno, **Orla Brennan Ferris**, Ann Roe", "Kai Moreno, Orla Brennan Ferris, Ann Roe")
    assert detect_name(one) is None  # one bold name may be any co-author's emphasis


def test_a_message_may_write_the_family_name_first() -> None:
    from candidates.names import NameIndex

    person = CandidateInfo(id="a", name="Orla Brennan Ferris", name_found=True, sources=["a.md"],
                           document_ids=["a"], aliases=[])
    index = NameIndex.of([person])
    for message in ("Ferris Orla - what's her background?", "summarize Orla Ferris", "Orla Brennan Ferris?"):
        assert [m.ids for m in index.named_in(message)] == [frozenset({"a"})], message


@pytest.mark.parametrize("text, name", [
    ("张伟\n男 | 28岁 | 华为 | 13800000000\n", "张伟"),  # the name line comes first
    ("男 | 28岁 | 文员\n", None),  # a word after the gender is no name
    ("王小明 | New York\n\n## 工作经历\n", "王小明"),  # a place beside the name is no Latin name
    ("王小明 | Google Brain\n\n## 工作经历\n", "王小明"),
    ("Embedded Firmware Engineer\nJane Doe\njane@example.com\n", "Jane Doe"),  # a title line above the name
])
def test_readings_that_name_no_one_leave_the_name_to_the_others(text: str, name: str | None) -> None:
    assert detect_name(text) == name


def test_bold_words_outside_author_lists_are_no_author() -> None:
    text = "## Projects\n- Shop: **Spring Boot**, MySQL\n- Blog: **Spring Boot**, Vue\n"
    assert detect_name(text) is None
    last = ("# Publications\n\nAnn Roe, Kai Li, **Orla Ferris**. A paper. 2021\n\n"
            "Kai Li, **Orla Ferris**. Another paper. 2020\n")
    assert detect_name("---\ntitle: CV\n---\n\n## Summary\nResearcher.\n\n" + last) == "Orla Ferris"


@pytest.mark.parametrize("head", ["author: Rowan T. Tsai\ntitle: Curriculum Vitae\n",
                                  "Title: Curriculum Vitae\nAuthor: Rowan T. Tsai\n",
                                  "#+TITLE: Resume\n#+AUTHOR: Rowan T. Tsai\n"])
def test_an_unfenced_metadata_block_names_its_author(head: str) -> None:
    """MultiMarkdown's "Author: …" lines and org-mode's "#+AUTHOR: …" open a page without fences."""
    text = head + "\n## Contact Information\n12 Elm St.\nSpringfield\n## Education\n- B.A. Mathematics\n"
    assert detect_name(text) == "Rowan T. Tsai"


@pytest.mark.parametrize("head, name", [
    ("# Rowan St. Claire\n\n12 Elm St.\nSpringfield, IL 62701\n", "Rowan St. Claire"),   # St. = Saint
    ("# Rowan Tsai, Principal Software Engineer\n\n| | |\n|---|---|\n", "Rowan Tsai"),     # name, role
    ("# Rowan Tsai --- Résumé\n\n## Personal Details\n", "Rowan Tsai"),                   # pandoc's ---
    ("# Ruo-Wen Tsai (Rowan Tsai) | 蔡若文\n\n**Email:** r@example.com\n", "Ruo-Wen Tsai (Rowan Tsai) 蔡若文"),
])
def test_opening_lines_with_a_saint_a_role_a_long_dash_or_the_name_one_goes_by(head: str, name: str) -> None:
    assert detect_name(head) == name




@pytest.mark.parametrize("line", ["Ruo-Wen Tsai (Rowan Tsai) | 蔡若文", "Ruo-Wen Tsai (Rowan Tsai)"])
def test_the_name_a_person_goes_by_in_brackets_finds_them_too(line: str) -> None:
    name = detect_name(f"# {line}\n\n**Email:** r@example.com\n\n## Experience\n")
    assert name is not None and "(Rowan Tsai)" in name
    people = [CandidateInfo(id="a", name=name, name_found=True, sources=["a.md"], document_ids=["a"],
                            aliases=display_aliases(name))]
    for typed in ("Rowan Tsai", "Ruo-Wen Tsai", "rowan tsai"):
        assert [p.id for p in resolve(typed, people)] == ["a"], typed
