"""List questions read into filters, and matched against people's entries (fictional people)."""

from __future__ import annotations

from datetime import date

import pytest

from candidates.filters import (KnownOrganisations, match_filters, organisation_forms,
                                read_list_question,
                                same_organisation, years_of_experience)
from retrieval.types import (CandidateInfo, Citation, EducationEntry, ExperienceEntry, Location)

TODAY = date(2026, 6, 1)


def _cite(text: str, start: int = 0) -> Citation:
    return Citation(passage_id=f"/r/x.pdf#{start}", quote=text, source="/r/x.pdf", start=start,
                    end=start + len(text))


def _job(employer: str, start: str, end: str, kind: str = "full-time") -> ExperienceEntry:
    return ExperienceEntry(employer=employer, title="Engineer", start=start, end=end, kind=kind,
                           citation=_cite(f"{employer} {start} {end}"))


def _school(school: str, degree: str, end: str = "2015") -> EducationEntry:
    return EducationEntry(school=school, degree=degree, start="2011", end=end,
                          citation=_cite(f"{school} {degree}"))


def _person(pid: str, education=(), experience=(), location: str | None = None) -> CandidateInfo:
    return CandidateInfo(id=pid, name=pid.title(), name_found=True, sources=[f"/r/{pid}.pdf"],
                         document_ids=[pid], education=list(education), experience=list(experience),
                         location=Location(text=location, citation=_cite(location)) if location else None)


PEOPLE = [
    _person("ana", [_school("北京大学", "PhD", "present"), _school("Springfield High School", "high-school")],
            [_job("北京字节跳动科技有限公司", "2019-07", "2021-06"), _job("Google", "2018-06", "2018-09", "intern")],
            location="北京"),
    _person("bo", [_school("University of Washington", "MS")],
            [_job("Google LLC", "2012-01", "present"), _job("Acme Robotics", "2010-01", "2011-12")],
            location="Berlin, Germany"),
    _person("cy", [_school("Springfield High School", "high-school"), _school("Tsinghua University", "BS")],
            [_job("Huawei Technologies", "2023-01", "present", "intern")]),
]


def ids(question: str) -> list[str]:
    query = read_list_question(question)
    assert query is not None, question
    return sorted(m.candidate.id for m in match_filters(query, PEOPLE, TODAY))


def test_employers_match_across_languages_and_legal_forms() -> None:
    assert ids("Who has worked at ByteDance?") == ["ana"]
    assert ids("谁在字节跳动工作过？") == ["ana"]
    assert ids("Who has worked at Google, including internships?") == ["ana", "bo"]
    assert ids("Who has worked at Google, not counting internships?") == ["bo"]
    assert ids("谁在华为工作或实习过？") == ["cy"]
    assert ids("Who is currently at Google?") == ["bo"]


def test_schools_never_count_a_high_school_and_know_acronyms() -> None:
    assert ids("Who has a degree from Springfield High School?") == []
    assert ids("Who studied at Peking University?") == ["ana"]
    assert ids("谁毕业于北大？") == ["ana"]
    assert ids("Who has a degree from UW?") == ["bo"]
    assert ids("谁毕业于清华大学？") == ["cy"]


def test_degrees_include_people_still_studying() -> None:
    assert ids("Who has a PhD or is doing one?") == ["ana"]
    assert ids("Who has a master's degree?") == ["bo"]
    assert ids("Who has an MBA?") == []


def test_years_of_experience_count_overlaps_once_and_skip_internships() -> None:
    jobs = [_job("A", "2010-01", "2014-01"), _job("B", "2012-01", "2016-01"),
            _job("C", "2016-01", "2017-01", "intern")]
    assert years_of_experience(jobs, TODAY) == pytest.approx(6.0)
    assert ids("Who has more than 10 years of industry experience?") == ["bo"]
    assert ids("Who has 1-3 years of experience?") == ["ana"]


def test_location_questions() -> None:
    assert ids("Who is based in Germany?") == ["bo"]
    assert ids("谁在北京工作的？") == ["ana"]


def test_topic_questions_are_not_list_questions() -> None:
    for question in ("Who has worked on KV cache quantization?", "Who has experience with Kubernetes?",
                     "谁有 Kubernetes 运维经验？", "Who does systems research?",
                     "Who has worked as a registered nurse?"):
        assert read_list_question(question) is None, question


def test_mixed_questions_keep_the_topic_to_rank_by() -> None:
    query = read_list_question("Who has a PhD and worked on LLM inference?")
    assert [f.kind for f in query.filters] == ["degree"] and "LLM inference" in query.rest
    query = read_list_question("Beijing-based backend engineers with 5+ years")
    assert {f.kind for f in query.filters} == {"years", "location"}
    assert query.rest == "backend engineers"


def test_organisation_forms_come_from_the_alias_table() -> None:
    assert "字节跳动" in organisation_forms("ByteDance", "employers")
    assert same_organisation(organisation_forms("Google", "employers"), "Google DeepMind")
    assert not same_organisation(organisation_forms("Meta", "employers"), "Metaswitch Networks")


def test_a_place_inside_the_asked_one_matches() -> None:
    people = [_person("di", location="Seattle, WA"), _person("ed", location="München"),
              _person("fa", location="Washington Heights, Indiana")]
    query = read_list_question("Who is based in the United States?")
    assert [m.candidate.id for m in match_filters(query, people, TODAY)] == ["di"]
    query = read_list_question("Who is based in Germany?")
    assert [m.candidate.id for m in match_filters(query, people, TODAY)] == ["ed"]


def test_a_generic_school_word_finds_the_row_but_word_order_still_matters() -> None:
    assert "清华大学" in organisation_forms("Tsinghua University", "schools")
    assert "UW" not in organisation_forms("Washington University", "schools")


def test_words_after_a_verb_must_name_an_organisation() -> None:
    assert read_list_question("Who has studied dust attenuation in galaxies?") is None
    assert read_list_question("who has worked at scale on distributed systems?") is None
    assert ids("who has worked at google?") == ["ana", "bo"]
    assert ids("Who attended Tsinghua?") == ["cy"]


def test_a_phd_student_position_counts_as_doing_a_phd() -> None:
    student = ExperienceEntry(employer="Lakeshore University", title="Ph.D. Student", start="2022",
                              end="present", kind="research", citation=_cite("Ph.D. Student"))
    people = [_person("gi", experience=[student])]
    query = read_list_question("Who has a PhD or is doing one?")
    assert [m.candidate.id for m in match_filters(query, people, TODAY)] == ["gi"]


def _known() -> KnownOrganisations:
    return KnownOrganisations.of(PEOPLE + [_person("di", [_school("Lakeshore University", "PhD")],
                                                   [_job("Lakeshore University", "2020-01", "present")])])


def named(question: str) -> list[str]:
    """The people a question lists when the organisations of the people's entries are known."""
    query = read_list_question(question, known=_known)
    assert query is not None, question
    return sorted(m.candidate.id for m in match_filters(query, PEOPLE, TODAY))


def test_what_carries_a_list_question_leaves_no_topic_to_rank_by() -> None:
    for question in ("Who used to work for Google?", "hiring manager is asking: who has worked at "
                     "Google before?", "which candidates have worked at Google? internships count too",
                     "Please list all candidates who have held a position at Google, including internships."):
        query = read_list_question(question)
        assert query is not None and query.rest == "", question
        assert ids(question) == ["ana", "bo"]
    assert read_list_question("问一下，有没有工作5年以上的人？").rest == ""
    assert read_list_question("Who has worked at Google on search ranking?").rest == "search ranking"


def test_a_question_that_only_names_a_known_organisation_lists_its_people() -> None:
    assert named("anyone ex-Google?") == ["ana", "bo"]
    assert named("Google alumni?") == ["ana", "bo"]
    assert named("anyone with Google on their CV?") == ["ana", "bo"]
    assert named("有字节跳动背景的有谁？") == ["ana"]
    assert named("北大出来的有哪些") == ["ana"]
    assert named("any Tsinghua University grads?") == ["cy"]
    assert named("anyone from UW?") == ["bo"]


def test_a_named_organisation_that_is_a_topic_stays_a_topic() -> None:
    for question in ("Who has worked on Google Cloud?", "Who has used Huawei?", "用过字节跳动的有谁",
                     "Kubernetes?", "Who knows Spark?", "anyone from Google with Rust?"):
        assert read_list_question(question, known=_known) is None, question


def test_an_organisation_that_is_both_employer_and_school_is_read_by_the_question_words() -> None:
    people = [_person("gu", [_school("Lakeshore University", "MS")]),
              _person("ha", experience=[_job("Lakeshore University", "2019-01", "2020-01")])]
    for question, expected in (("Lakeshore University alumni?", ["gu"]),
                               ("anyone ex-Lakeshore University staff?", ["ha"]),
                               ("anyone from Lakeshore University?", ["gu", "ha"])):
        query = read_list_question(question, known=_known)
        assert sorted(m.candidate.id for m in match_filters(query, people, TODAY)) == expected, question


def test_years_written_in_words_and_other_forms() -> None:
    for question in ("senior people with over ten years in industry", "more than a decade of experience?",
                     "工作十年以上的有谁", "哪些候选人工作超过10年了", "more than 10 YOE — who?",
                     "anyone above 10 years of experience?"):
        query = read_list_question(question)
        assert query is not None and query.rest == "", question
        assert [f.min_years for f in query.filters] == [10.0], question
    assert read_list_question("工作五年以上的有谁").filters[0].min_years == 5.0
    assert read_list_question("帮我找一下3+年经验的").filters[0].min_years == 3.0


def test_degree_and_place_questions_in_other_words() -> None:
    assert ids("any PhDs?") == ["ana"]
    assert ids("问一下，谁读过博或者正在读博？") == ["ana"]
    assert ids("anyone in Germany?") == ["bo"]
    assert ids("谁在北京？") == ["ana"]
    assert ids("有哪些人base在Berlin") == ["bo"]
    assert [f.kind for f in read_list_question("谁在北京工作过？").filters] == ["location"]
    assert read_list_question("谁在百度？") is None  # a company, not a place
    assert ids("谁是清华大学毕业的？") == ["cy"]


def test_a_short_topic_left_beside_the_list_part_is_kept() -> None:
    assert read_list_question("anyone with 5+ years who knows Go?").rest == "knows Go"
    assert read_list_question("PhD with Go experience").rest == "Go"
    assert read_list_question("who has 5+ yrs xp?").rest == ""


def test_an_organisation_ends_before_how_long_someone_was_there() -> None:
    query = read_list_question("anyone who's been at Google for 5+ years?")
    assert [(f.kind, f.value) for f in query.filters] == [("employer", "Google"), ("years", "5+ years")]


def test_a_longer_capitalised_name_is_not_the_organisation_it_starts_with() -> None:
    for question in ("Google Ads?", "Google Search experience?"):
        assert read_list_question(question, known=_known) is None, question


def test_an_organisation_named_alone_says_so() -> None:
    assert read_list_question("Google?", known=_known).named_only
    assert not read_list_question("who has worked at Google?", known=_known).named_only


def test_organisations_asked_as_alternatives() -> None:
    assert ids("Who has worked at ByteDance, Huawei, or Acme Robotics?") == ["ana", "bo", "cy"]
    assert ids("who has worked at Google or at Huawei?") == ["ana", "bo", "cy"]
    assert ids("谁在字节跳动或华为工作过？") == ["ana", "cy"]
    assert ids("who studied at Tsinghua or Peking University?") == ["ana", "cy"]
    assert named("anyone from Tsinghua or UW?") == ["bo", "cy"]
    query = read_list_question("Who has a degree from University of California, Santa Cruz?")
    assert [(f.value, f.also) for f in query.filters] == [("University of California, Santa Cruz", ())]


def test_an_employer_written_with_more_words_is_found_by_its_leading_ones() -> None:
    people = [_person("jo", experience=[_job("Nordlicht Bristol", "2019-01", "2021-01")]),
              _person("ka", experience=[_job("Berlin Analytics GmbH", "2019-01", "2021-01")])]
    known = KnownOrganisations.of(people)
    query = read_list_question("anyone ex-Nordlicht?", known=lambda: known)
    assert [m.candidate.id for m in match_filters(query, people, TODAY)] == ["jo"]
    assert "berlin" not in known.employers  # a leading place is no employer's name alone
    from_berlin = read_list_question("anyone from Berlin?", known=lambda: known)
    assert [f.kind for f in from_berlin.filters] == ["location"]  # where, not an employer


def test_a_name_inside_a_hyphenated_word_is_not_the_organisation() -> None:
    people = [_person("li", experience=[ExperienceEntry(
        employer="Lakeshore University", title="Meta-Learning Researcher", start="2020", end="2021",
        kind="research", citation=_cite("Meta-Learning Researcher, Lakeshore University"))])]
    assert match_filters(read_list_question("Who has worked at Meta?"), people, TODAY) == []
    project = [_person("mo", experience=[_job("Meta-Learning on Speech", "2020-02", "2020-06")])]
    assert match_filters(read_list_question("Who has worked at Meta?"), project, TODAY) == []


def test_an_employer_a_school_and_a_place_asked_together_are_all_read() -> None:
    """Each condition of a question is read outside what the others read: a school no longer
    hides the employer beside it, and a place after an organisation is a second filter, not
    part of the name (where it was read and dropped)."""
    def kinds(question: str) -> list[tuple[str, str]]:
        query = read_list_question(question)
        assert query is not None, question
        return [(f.kind, f.value) for f in query.filters]

    assert kinds("Who studied at Tsinghua and worked at Huawei?") == [("employer", "Huawei"),
                                                                       ("school", "Tsinghua")]
    assert kinds("Who worked at Google in Berlin?") == [("employer", "Google"), ("location", "Berlin")]
    assert kinds("Who in Berlin has worked at Google?") == [("employer", "Google"), ("location", "Berlin")]
    assert kinds("谁在字节跳动工作过并且在北京？") == [("employer", "字节跳动"), ("location", "北京")]
    assert kinds("北京本地的候选人有哪些？") == [("location", "北京")]
    assert read_list_question("谁在北京并且做过后端？").rest.split()[-1] == "后端"
    assert read_list_question("Who has worked at Bank of America?").filters[0].value == "Bank of America"

    assert ids("Who studied at Tsinghua and worked at Huawei?") == ["cy"]
    assert ids("Who studied at Tsinghua and worked at Google?") == []
    assert ids("Who worked at Google in Berlin?") == ["bo"]
    assert ids("Who worked at Google and is based in Germany?") == ["bo"]
    assert ids("谁在字节跳动工作过并且在北京？") == ["ana"]
    assert ids("北京本地的候选人有哪些？") == ["ana"]


def test_a_place_written_in_the_matched_entry_counts_for_where_someone_is() -> None:
    """"From Google in Seattle": the person lives there, or their Google job is written there."""
    seattle = _person("eve", experience=[ExperienceEntry(
        employer="Google", title="SRE", start="2019-01", end="present", kind="full-time",
        citation=_cite("Google, Seattle, WA — Site Reliability Engineer 2019 – present"))])
    elsewhere = _person("fin", experience=[_job("Google", "2019-01", "present")], location="Austin, TX")
    query = read_list_question("anyone from Google in Seattle?", known=_known)

    assert query is not None and [f.kind for f in query.filters] == ["employer", "location"]
    assert not query.named_only  # the name is known: no one in Seattle is an answer, not a topic
    assert [m.candidate.id for m in match_filters(query, [seattle, elsewhere], TODAY)] == ["eve"]
    assert named("anyone from Google in Seattle?") == []


def test_chat_forms_of_employer_and_years_questions() -> None:
    """Lower case, "incl", a ticker, 现在在X的, and a bare "N yrs exp" as people type them."""
    assert named("anyone currently at google") == ["bo"]  # the intern of 2018 is not at Google now
    assert named("现在在字节跳动的") == []  # ana left in 2021
    assert ids("who worked at google incl internships") == ["ana", "bo"]
    query = read_list_question("phd + 10 yrs exp")
    assert query is not None and [(f.kind, f.min_years) for f in query.filters] == [("degree", None),
                                                                                     ("years", 10.0)]
    assert read_list_question("who has 3-5 years of experience?").filters[0].max_years == 5.0


def test_no_one_there_now_is_no_one_not_a_topic(make_assistant, tmp_path) -> None:
    """An organisation people's entries show, asked "currently": no one there now is an answer
    (the question is not asked as a topic instead, which listed its former interns)."""
    from tests.conftest import ingest
    from tests.fixtures import write_one_job_resumes

    people = write_one_job_resumes(tmp_path / "people", [
        ("Ana Ortega", "Software Engineer Intern, Google (2018-06 - 2018-09)", "Built search ranking tools"),
        ("Bo Lindqvist", "Engineer, Acme Robotics (2019-01 - present)", "Built robot arms")])
    assistant = make_assistant()
    assert not ingest(assistant, people).failed

    assert assistant.ask("anyone currently at google?").no_match
    assert [h.name for h in assistant.ask("anyone ex-google?").candidates] == ["Ana Ortega"]


def test_a_degree_that_is_only_nice_to_have_is_no_filter() -> None:
    assert read_list_question("Who has worked on Kafka? PhD nice to have.") is None
    assert [f.kind for f in read_list_question("Who has a PhD? Google a plus").filters] == ["degree"]


def test_research_and_teaching_posts_inside_ones_own_degree_are_study_not_work() -> None:
    phd = _school("Lakeshore University", "PhD", "2022")
    phd = EducationEntry(school=phd.school, degree="PhD", start="2017", end="2022", citation=phd.citation)
    assistant = ExperienceEntry(employer="Lakeshore University", title="Graduate Research Assistant",
                                start="2017-09", end="2022-05", kind="research",
                                citation=_cite("Graduate Research Assistant 2017 – 2022"))
    job = _job("Acme Robotics", "2022-06", "2024-06")
    assert years_of_experience([assistant, job], TODAY, [phd]) == pytest.approx(2.0)
    assert years_of_experience([assistant, job], TODAY) == pytest.approx(6.7, abs=0.1)  # no degree known
    scientist = ExperienceEntry(employer="Acme Robotics", title="Research Scientist", start="2015-01",
                                end="2017-01", kind="research", citation=_cite("Research Scientist"))
    assert years_of_experience([scientist], TODAY, [phd]) == pytest.approx(2.0)  # before the PhD


def test_a_person_with_no_dated_position_is_not_said_to_have_few_years() -> None:
    undated = _person("dee", experience=[ExperienceEntry(employer="Acme", title="Engineer", kind="full-time",
                                                         citation=_cite("Acme Engineer"))])
    junior = _person("eli", experience=[_job("Acme", "2025-09", "present")])
    query = read_list_question("who has less than 2 years experience?")
    assert query is not None and query.filters[0].max_years == 2.0
    assert [m.candidate.id for m in match_filters(query, [undated, junior], TODAY)] == ["eli"]


def test_places_typed_in_lower_case_or_without_a_hyphen_and_states_of_the_us() -> None:
    def place(question: str) -> str | None:
        query = read_list_question(question)
        return next((f.value for f in query.filters if f.kind == "location"), None) if query else None

    assert place("anyone in the bay area") == "bay area"
    assert place("UK based folks?") == "UK"
    assert place("who's in canada") == "canada"
    assert place("Texas based?") == "Texas"
    assert place("anyone in security?") is None  # not a place: a topic
    houston = _person("hal", location="Houston, TX")
    query = read_list_question("Texas based?")
    assert [m.candidate.id for m in match_filters(query, [houston], TODAY)] == ["hal"]


def test_when_someone_graduated_is_read_from_their_degrees() -> None:
    """"graduated after 2020", "class of 2015", 2015届, "finished their MS in 2015", "new grads":
    the end years of their degrees (a high school never counts), cited."""
    def graduation(question: str) -> tuple[int | None, int | None]:
        [f] = [f for f in read_list_question(question).filters if f.kind == "graduation"]
        return f.first_year, f.last_year

    assert graduation("who graduated after 2020") == (2021, None)
    assert graduation("class of 2025") == (2025, 2025)
    assert graduation("2026届的有谁") == (2026, 2026)
    assert graduation("anyone graduating before 2010?") == (None, 2009)
    first, last = graduation("new grads?")
    assert first <= date.today().year < last
    assert ids("class of 2015") == ["bo", "cy"]  # bo's MS, cy's BS; ana's high school is not a degree
    assert ids("who finished their MS in 2015?") == ["bo"]  # the year of that degree
    assert ids("who graduated after 2020") == []  # ana's PhD is still running
    assert read_list_question("who completed 5 projects in 2019?") is None


@pytest.mark.parametrize("question", [
    "谁在强化学习这块比较深入？",  # 学习 is the tail of 强化学习, not "studied at 强化"
    "哪位候选人在机器学习上有实际项目经验？",
    "现在手上有个岗位需要强化学习背景，简历库里有做过的吗？",  # 在 of 现在
])
def test_a_chinese_cue_inside_a_longer_word_asks_for_no_organisation(question: str) -> None:
    assert read_list_question(question) is None


@pytest.mark.parametrize("question, kind, value", [
    ("谁现在在字节工作？", "employer", "字节"),  # the 在 of 现在 is not the cue; the next one is
    ("给我拉个在美团干过的名单", "employer", "美团"),  # jieba cuts 美 + 团干: the cue still stands
    ("谁在清华大学学习过？", "school", "清华大学"),
])
def test_a_chinese_cue_of_its_own_still_names_the_organisation(question: str, kind: str,
                                                              value: str) -> None:
    query = read_list_question(question)
    assert query is not None
    assert [(f.kind, f.value) for f in query.filters][0] == (kind, value)


@pytest.mark.parametrize("question", [
    "谁在计算机视觉方面做过项目？",  # 在X方面: "in X", a topic
    "有谁在推荐系统这一块干过？",  # a field's name and a few characters
    "谁在模型剪枝或稀疏化这一块做过事情",  # a field's words, no organisation
])
def test_a_chinese_field_phrase_after_zai_is_a_topic_not_an_employer(question: str) -> None:
    assert read_list_question(question) is None


@pytest.mark.parametrize("question, value", [
    ("谁在字节或腾讯工作过", "字节"), ("谁在人工智能研究院工作过", "人工智能研究院"),
    ("谁在华为技术工作过", "华为技术"), ("谁在阿里云工作过", "阿里云"),
])
def test_an_organisation_named_after_zai_is_still_an_employer(question: str, value: str) -> None:
    query = read_list_question(question)
    assert query is not None and query.filters[0].kind == "employer"
    assert query.filters[0].value == value


@pytest.mark.parametrize("question, interns_only", [
    ("谁在华为实习过", True),
    ("谁在华为干过，实习也算", False),
    ("谁在华为工作过，包括实习", False),
    ("谁在华为干过？实习经历也算", False),
    ("谁在腾讯实习或工作过", False),
    ("谁在华为干过，实习经验也算", False),
    ("算上实习，谁在华为干过", False),
])
def test_internships_said_to_count_too_do_not_ask_for_internships_only(question: str, interns_only: bool) -> None:
    from candidates.filters import read_list_question

    employer = read_list_question(question).filters[0]
    assert employer.kind == "employer" and employer.interns and employer.interns_only is interns_only


@pytest.mark.parametrize("question", ["谁在华为干过，实习也不算", "谁在华为工作过，不包括实习"])
def test_internships_said_not_to_count_are_left_out(question: str) -> None:
    from candidates.filters import read_list_question

    employer = read_list_question(question).filters[0]
    assert not employer.interns and not employer.interns_only


def test_another_form_of_the_name_in_brackets_is_an_alternative() -> None:
    """"Bogazici (Boğaziçi) University", "Meta (Facebook)", 北大（北京大学）: either form will do,
    and nothing in the brackets is left over as a topic."""
    query = read_list_question("who went to Tsinghua (清华) University?")
    assert query is not None and query.rest == ""
    assert [query.filters[0].value, *query.filters[0].also] == ["Tsinghua University", "清华 University"]
    assert ids("who went to Tsinghua (清华) University?") == ["cy"]
    query = read_list_question("anyone who worked at Meta (Facebook)?")
    assert query is not None and (query.filters[0].value, query.filters[0].also) == ("Meta", ("Facebook",))
    query = read_list_question("谁在北大（北京大学）读过书？")
    assert query is not None and (query.filters[0].value, query.filters[0].also) == ("北大", ("北京大学",))
    query = read_list_question("who worked at Google (including internships)?")
    assert query is not None and query.filters[0].also == ()  # words of the question, not a name


def test_a_name_typed_without_its_diacritics_is_the_same_name() -> None:
    people = [_person("dee", [_school("Boğaziçi Üniversitesi", "MS")],
                      [_job("Zürich Insurance", "2019-01", "present")])]
    for question in ("who studied at Bogazici Universitesi?", "who went to Boğaziçi Üniversitesi?",
                     "who has worked at Zurich Insurance?"):
        query = read_list_question(question)
        assert query is not None and [m.candidate.id for m in match_filters(query, people, TODAY)] == ["dee"]


def test_everyday_words_left_over_are_not_a_topic_to_rank_by() -> None:
    """"… or is in the middle of one", "who qualifies?": the list part is the whole question."""
    for question in ("who has a PhD or is in the middle of one?",
                     "need 10+ years of professional experience — who qualifies?"):
        query = read_list_question(question)
        assert query is not None and query.rest == "", question
    query = read_list_question("who has a PhD and worked on LLM inference?")
    assert query is not None and query.rest == "LLM inference"  # a topic stays


def test_worked_in_a_place_counts_a_job_written_with_the_place() -> None:
    people = [_person("eve", experience=[ExperienceEntry(employer="杭州云帆科技有限公司", start="2018-01",
                                                         end="2020-01", citation=_cite("杭州云帆科技有限公司 2018-2020"))],
                      location="上海"),
              _person("fay", experience=[_job("Acme", "2018-01", "2020-01")], location="杭州")]
    for question, expected in (("谁在杭州工作过？", ["eve", "fay"]), ("谁在杭州？", ["fay"]),
                               ("who has worked in Hangzhou?", ["eve", "fay"]),
                               ("who is based in Hangzhou?", ["fay"])):
        query = read_list_question(question)
        assert query is not None, question
        assert sorted(m.candidate.id for m in match_filters(query, people, TODAY)) == expected, question


def test_a_canadian_province_code_places_a_city_in_canada() -> None:
    people = [_person("gil", location="Kanata, ON"), _person("hal", location="Melbourne, Victoria")]
    query = read_list_question("Who's based in Canada?")
    assert query is not None and [m.candidate.id for m in match_filters(query, people, TODAY)] == ["gil"]
