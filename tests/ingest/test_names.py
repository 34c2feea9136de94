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
