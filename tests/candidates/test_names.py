"""Name forms and look-ups: pinyin as people type it, surname readings, partial names, near misses."""

from __future__ import annotations

import pytest

from candidates.names import (canonical_name, display_aliases, name_slug, person_name, resolve,
                              suggest, summary_target, surnames)
from retrieval.types import CandidateInfo


def _person(cid: str, name: str) -> CandidateInfo:
    return CandidateInfo(id=cid, name=name, name_found=True, sources=[f"{cid}.txt"],
                         document_ids=[cid], aliases=display_aliases(name))


PEOPLE = [
    _person("zeng-xiao-ming", "曾小明"),
    _person("guo-lian", "郭炼"),
    _person("zhang-wei", "张伟"),
    _person("zhang-yu-tong", "张雨桐"),
    _person("li-quan-hai", "李泉海"),
    _person("ou-yang-na-na", "欧阳娜娜"),
    _person("peter-k-lindqvist", "Peter K. Lindqvist"),
    _person("johanna-bruckner", "JOHANNA BRÜCKNER"),
    _person("wei-chen", "Wei Chen"),
]


def _ids(query: str) -> list[str]:
    return [p.id for p in resolve(query, PEOPLE)]


@pytest.mark.parametrize(("query", "wanted"), [
    ("曾小明", "zeng-xiao-ming"), ("Xiaoming Zeng", "zeng-xiao-ming"), ("zeng xiaoming", "zeng-xiao-ming"),
    ("Xiaoming Tsang", "zeng-xiao-ming"),  # another romanisation of the surname
    ("Lian Guo", "guo-lian"), ("Guo Lian", "guo-lian"), ("Lian Kwok", "guo-lian"),
    ("Quanhai Lee", "li-quan-hai"),  # "Lee" for 李
    ("Nana Ouyang", "ou-yang-na-na"), ("欧阳 娜娜", "ou-yang-na-na"),
    ("PETER K. LINDQVIST", "peter-k-lindqvist"), ("Peter Lindqvist", "peter-k-lindqvist"),
    ("P. Lindqvist", "peter-k-lindqvist"),  # an initial with the family name
    ("Johanna Bruckner", "johanna-bruckner"), ("Johanna Brückner, M.Sc.", "johanna-bruckner"),
])
def test_every_written_and_typed_form_finds_the_one_person(query: str, wanted: str) -> None:
    assert _ids(query) == [wanted]


def test_summarize_a_western_order_pinyin_name() -> None:
    assert _ids(summary_target("Summarize Lian Guo") or "") == ["guo-lian"]


def test_a_partial_name_lists_everyone_it_could_mean() -> None:
    assert sorted(_ids("Zhang")) == ["zhang-wei", "zhang-yu-tong"]
    assert sorted(_ids("张")) == ["zhang-wei", "zhang-yu-tong"]
    assert _ids("Xiaoming") == ["zeng-xiao-ming"]  # a given name that only one person has


def test_two_people_sharing_a_surname_stay_apart() -> None:
    assert _ids("Wei Zhang") == ["zhang-wei"]
    assert _ids("Yutong Zhang") == ["zhang-yu-tong"]
    assert _ids("Wei Chen") == ["wei-chen"]  # shares a given name with 张伟 only


def test_a_near_miss_is_suggested_not_matched() -> None:
    assert _ids("Lindqvst") == []
    assert [p.id for p in suggest("Lindqvst", PEOPLE)] == ["peter-k-lindqvist"]
    assert suggest("a licensed pilot", PEOPLE) == []


def test_surname_readings_and_one_slug_for_every_form() -> None:
    for written, reading in [("曾", "zeng"), ("单", "shan"), ("解", "xie"), ("区", "ou"), ("仇", "qiu")]:
        assert surnames()[written].reading == (reading,)
        assert person_name(written + "明").family == (reading,)
    assert name_slug("单明远") == "shan-ming-yuan"
    assert name_slug("冬雪梅") == "dong-xue-mei"
    assert canonical_name("郭炼") == canonical_name("Lian Guo") == canonical_name("Guo Lian")
    assert display_aliases("曾小明") == ["Xiaoming Zeng", "Zeng Xiaoming"]


def test_every_surname_row_reads_one_syllable_per_character() -> None:
    for written, surname in surnames().items():
        assert len(surname.reading) == len(written), written
        assert all(r.isascii() and r.isalpha() for r in surname.reading + surname.others), written
        assert person_name(written + "明").family_written == written
