"""Name forms and look-ups: pinyin as people type it, surname readings, partial names, near misses."""

from __future__ import annotations

import pytest

from candidates.names import (NameIndex, asks_about_them, bare_name, canonical_name, display_aliases, name_slug,
                              person_name, resolve, searches_for_people, suggest, summary_target,
                              surnames)
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


def _named(index: NameIndex, text: str) -> list[tuple[str, set[str]]]:
    return [(text[m.start:m.end], set(m.ids)) for m in index.named_in(text)]


def test_a_full_name_is_found_anywhere_in_a_message() -> None:
    index = NameIndex.of(PEOPLE)
    assert _named(index, "before my call with Peter Lindqvist at 3, give me the highlights") == \
        [("Peter Lindqvist", {"peter-k-lindqvist"})]  # the middle initial may be left out
    assert _named(index, "recap peter k. lindqvist's resume for me") == \
        [("peter k. lindqvist", {"peter-k-lindqvist"})]
    assert _named(index, "帮我看下欧阳娜娜的简历") == [("欧阳娜娜", {"ou-yang-na-na"})]
    assert _named(index, "Zhang Yutong的履历给我看一下") == [("Zhang Yutong", {"zhang-yu-tong"})]
    assert _named(index, "compare Wei Chen and Johanna Brückner") == \
        [("Johanna Brückner", {"johanna-bruckner"}), ("Wei Chen", {"wei-chen"})]
    assert index.named_in("who has worked on Kubernetes operators?") == []
    assert index.named_in("Peter?") == []  # one word is not a full name


def test_what_a_message_asks_of_the_person_it_names() -> None:
    assert asks_about_them("does  know Kafka?")
    assert asks_about_them("has  worked at Google?")
    assert asks_about_them("做过推荐系统吗？")
    assert not asks_about_them("before my call with  at 3, give me the highlights")
    assert not asks_about_them("等会儿跟 电话，先给我个概况")
    assert not asks_about_them("who is  again?")


def test_a_search_for_people_is_told_from_a_request_about_one() -> None:
    assert searches_for_people("who has worked with Wei Chen?")
    assert searches_for_people("谁做过推荐系统？")
    assert not searches_for_people("who's Wei Chen again?")
    assert not searches_for_people("whoever wrote this, summarize Wei Chen")


def test_a_bare_name_with_words_asking_about_one_person() -> None:
    assert bare_name("what's Peter Lindqvst's background?") == "Peter Lindqvst"
    assert bare_name("Peter K. Lindqvist?") == "Peter K. Lindqvist"
    assert bare_name("张伟这个人怎么样") == "张伟"
    assert bare_name("give me the tl;dr on Wei Chen") == "Wei Chen"
    assert bare_name("who has worked on Kubernetes?") is None
    assert bare_name("Peter what Lindqvist") is None


@pytest.mark.parametrize("question", [
    "hey, who has worked with Wei Chen?", "for the infra req, who else is like Wei Chen?",
    "I need someone like Wei Chen", "candidates similar to Wei Chen", "show me candidates like Wei Chen",
    "can you find people who know Kafka like Wei Chen?", "跟张伟类似的候选人",
])
def test_a_search_for_people_like_someone_is_a_search(question: str) -> None:
    assert searches_for_people(question)


def test_a_request_about_one_person_is_not_a_search() -> None:
    for question in ("what's Wei Chen like?", "before my call with Wei Chen, give me the highlights",
                     "张伟这个人怎么样", "Wei Chen?"):
        assert not searches_for_people(question), question


def test_a_yes_no_question_names_its_subject_by_one_part_of_a_name() -> None:
    from candidates.names import NameIndex
    from retrieval.types import CandidateInfo

    def person(pid: str, name: str) -> CandidateInfo:
        return CandidateInfo(id=pid, name=name, name_found=True, sources=[f"{pid}.txt"],
                             document_ids=[pid])

    index = NameIndex.of([person("a", "Marta Kowalczyk"), person("b", "Li Wen"),
                          person("c", "Jun Li")])
    [kowalczyk] = index.subject_of("does Kowalczyk know Kafka?")
    assert kowalczyk.ids == {"a"}
    assert index.subject_of("has Li worked at Google?")[0].ids == {"b", "c"}  # namesakes: both
    assert index.subject_of("Does Python appear anywhere?") == []  # no one's name
    assert index.subject_of("does kowalczyk know Kafka?") == []  # a name is written capitalised
    assert index.subject_of("who does Kowalczyk know?") == []  # not the question's subject
    assert index.named_in("does Kowalczyk know Kafka?") == []  # full names only there
