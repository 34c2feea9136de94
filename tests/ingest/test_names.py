"""Who a document is about: a name found in the document, or None (never an invented one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from candidates.detect import detect_name, name_key
from tests import fixtures as fx
from tests.conftest import ingest

NAMELESS_ZH = """教育背景
清华大学 电子工程 硕士 2016 – 2019

工作经历
某某科技 推荐算法工程师 2019 – 至今
• 负责推荐系统召回与排序模型的迭代，点击率提升 8%。
"""


@pytest.mark.parametrize(("text", "name"), [
    ("Jane Q. Example\njane.example@example.com | +1 555 0100", "Jane Q. Example"),  # first line
    ("李明远\n电话：139-0000-0000", "李明远"),
    ("Name: Tomas Berg\nEmail: tomas.berg@example.com", "Tomas Berg"),  # a Name: field ...
    ("CURRICULUM VITAE\nFull Name: Tomas Berg\nEmail: tomas@example.com", "Tomas Berg"),  # ... below a title
    ("个人简历\n姓名：张伟\n电话：138-0000-0000", "张伟"),  # 姓名： field
    ("个人简历\n姓名： 欧阳 娜娜\n", "欧阳娜娜"),  # compound surname, spaced out
    ("# Elena Voss\n\nelena.voss@example.com", "Elena Voss"),  # markdown title
    ("**Maria Lopez**\nmaria@example.com", "Maria Lopez"),
    ("Hana Sato\n4 Papers\n\nNeurIPS 2023 · Dec 2023", "Hana Sato"),  # a publication profile's title
    ("(+86) 176-0000-0000 | 周伟林 | wl@example.com\n教育背景", "周伟林"),  # name among contact details
    ("Jane Doe | jane.doe@example.com | +1 555 0100\nSUMMARY", "Jane Doe"),
    ("Jane Doe, PhD\nResearch scientist", "Jane Doe"),
    # names as real first lines write them
    ("JOHANNA BRÜCKNER M.SC.\nSoftware Engineer", "JOHANNA BRÜCKNER"),  # ALL CAPS, accents, degree
    ("Peter K.Lindqvist\nSYSTEMS · COMPILERS\n555-0100 | peter@example.com", "Peter K. Lindqvist"),
    ("Maria de la Cruz\nmaria@example.com", "Maria de la Cruz"),  # lower-case particles
    ("Oskar “Ossi” Lehtonen\nHelsinki oskar@example.com", "Oskar “Ossi” Lehtonen"),  # nickname
    ("Ravi Kumar Menon B\nSpecialties: Python", "Ravi Kumar Menon B"),  # an initial without dot
    ("Tomas Berg Email: tomas@example.com - tberg@example.org\nPROFILE", "Tomas Berg"),
    ("Ines Duarte § idaurte.exmpale\nExperience", "Ines Duarte"),  # garbled contact beside it
    ("LIU MEI PH.D. WEeb:mhatitlp:s//lm@xeamp.ocm/\nEducation", "LIU MEI"),  # interleaved links
    ("555.010.0199\nKARIN lkarin@example.com\nHOLM ghitubh.com/kholm xkz\nEDUCATION", "KARIN HOLM"),
    ("# Priya Raman — CV\n\npriya@example.com", "Priya Raman"),  # a Markdown title
    ("<div><span><b>Lena Fischer</b></span> <a href=\"https://example.com/in/lf\">in</a></div>",
     "Lena Fischer"),  # an HTML header block
    ("---\nlayout: page\ntitle: Lena Fischer\n---\nSoftware engineer", "Lena Fischer"),  # front matter
    ('+++\ntemplate = "cv.html"\ntitle = "Omar N. Haddad"\n+++\nomar@example.com', "Omar N. Haddad"),
    ("---\ntitle: Curriculum Vitae\n---\n# Ada Kowalski\nEngineer", "Ada Kowalski"),  # title is no name
    ("---\ntitle: 冬雪梅-简历\n---\n个人信息", "冬雪梅"),  # front-matter title with 简历
    ("冬雪梅的简历\n====\n联系方式", "冬雪梅"),  # XXX的简历, a rare surname
    ("求职意向：后端开发\n个人简历\n姓名：司马青云\t出生年月：1999.01\n", "司马青云"),  # field, then next field
    ("* 姓名：欧阳 明\n* 年龄：25", "欧阳明"),  # a bulleted field, compound surname, space inside
    ("简 历\n闻 晓 工作经历\n后端工程师", "闻晓"),  # a spaced name beside a sidebar heading
    ("简 历 闻 晓\n工作经历", "闻晓"),  # the title and the name on one line
    ("钱启航 某某大学软件学院 2014 届本科\n(+86) 138-0000-0000", "钱启航"),  # followed by header text
    ("1999.01.01\n(+86)13800000000 曾小明\nxm@example.com", "曾小明"),  # after a phone, no separator
    ("Git: https://example.com/qj\n姓名：单明远 年龄：22", "单明远"),
])
def test_detects_the_name(text: str, name: str) -> None:
    assert detect_name(text) == name


@pytest.mark.parametrize("text", [
    NAMELESS_ZH,
    "Education\nMIT, B.S. 2019\nExperience\nAcme",
    "Resume\nEducation\nMIT",
    "Summary\nAlice Wong is a seasoned engineer.",  # a name in prose after a heading is not the title
    "Senior Product Manager\nSUMMARY\nTen years of product work.",  # a job title is not a name
    "Data Analyst\nSQL, Tableau",
    "Platform Engineer\nGo, Kubernetes",  # a comma list is not a name
    "Portland, Oregon\nExperience\nAcme",
    "Go | Kubernetes | Helm\nExperience",
    "---\nlayout: archive\ntitle: \"\"\n---\nEducation\n======\n* B.S., Somewhere",  # empty title
    "---\ntitle: Curriculum Vitae\n---\nEducation\nMIT",
    "简 历\n工作经历\n某某科技 后端工程师",  # a spaced-out title is not a name
    "项目经理\n工作经历",  # a job title
    "北京市\n教育背景",  # a place
    "San Francisco CA\nEXPERIENCE",
    "Machine Learning Engineer\nSeattle, WA",
    "Last updated: 2024.01\nEducation",
    "MACHINE LEARNING · SYSTEMS\nExperience",
    "",
])
def test_no_name_is_none(text: str) -> None:
    assert detect_name(text) is None


def test_every_corpus_person_is_named_from_their_document(tmp_path: Path) -> None:
    from ingest.readers import parse_document

    for key, path in fx.write_corpus(tmp_path).items():
        assert detect_name(parse_document(path).text) == fx.CORPUS_FACTS[key]["name"], key


def test_name_keys_are_stable_and_script_independent() -> None:
    assert name_key("李明远") == "li-ming-yuan"
    assert name_key("曾小明") == "zeng-xiao-ming"  # read as a surname, not "ceng"
    assert name_key("欧阳 娜娜") == "ou-yang-na-na"
    assert name_key("JOHANNA BRÜCKNER") == "johanna-bruckner"
    assert name_key("Jane Q. Example") == "jane-q-example"
    assert name_key("José Álvarez") == "jose-alvarez"
    assert name_key("Elena  Voss") == name_key("elena voss")


def test_a_nameless_resume_is_labelled_by_its_file_name(tmp_path: Path, make_assistant) -> None:
    path = tmp_path / "candidate_0042.txt"
    path.write_text(NAMELESS_ZH, encoding="utf-8")
    assistant = make_assistant()

    report = ingest(assistant, path)

    [outcome] = report.files
    assert outcome.status == "added"
    assert outcome.candidate_name == "candidate_0042"
    assert outcome.name_found is False
    assert any("no candidate name found" in w for w in outcome.warnings)
    [record] = assistant.store.documents()
    assert (record.candidate_name, record.name_found) == ("candidate_0042", False)
    [person] = assistant.candidates()
    assert person.name == "candidate_0042" and person.name_found is False
    answer = assistant.ask("谁做过推荐系统？")
    assert [hit.name for hit in answer.candidates] == ["candidate_0042"]
    assert answer.candidates[0].name_found is False


def test_two_nameless_resumes_stay_two_candidates(tmp_path: Path, make_assistant) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(NAMELESS_ZH, encoding="utf-8")
    second.write_text(NAMELESS_ZH.replace("清华大学", "浙江大学"), encoding="utf-8")
    assistant = make_assistant()

    ingest(assistant, first, second)

    assert sorted(c.name for c in assistant.candidates()) == ["a", "b"]
