"""Reading job descriptions into requirements, and the verdicts read from entries and text.
All job descriptions and people here are fictional."""

from __future__ import annotations

from candidates.jobs import (apply_edits, entry_verdict, heading_kind, language_verdict,
                             read_requirements, typed_requirement)
from retrieval.types import (CandidateInfo, Citation, EducationEntry, ExperienceEntry, Location,
                             Passage)

JOB_EN = """Staff Platform Engineer

About the role:
- You will run our Kubernetes clusters and mentor engineers

Requirements:
- 5+ years building backend services in Go or Rust
- Operating Kubernetes in production
- Fluent English
- Based in Lisbon
- Terraform experience is a plus

Nice to have:
- Master's degree in computer science
- Must be comfortable with on-call rotations
"""

JOB_ZH = """推荐算法工程师

岗位职责：
1. 负责推荐系统召回与排序模型的研发

任职要求：
1. 熟悉大规模推荐系统与深度学习排序模型
2. 本科及以上学历

加分项：
1. 有强化学习落地经验者优先
"""


def by_kind(requirements, kind):
    return [r for r in requirements if r.kind == kind]


def test_requirements_come_from_the_sections_not_the_duties() -> None:
    reqs = read_requirements(JOB_EN)
    texts = [r.text for r in reqs]
    assert not any("mentor engineers" in t for t in texts)  # a duty, not a requirement
    assert [r.id for r in reqs] == [f"r{n}" for n in range(1, len(reqs) + 1)]
    for r in reqs:  # every requirement's text is the description's, where it says it is
        assert JOB_EN[r.start:r.end] == r.text


def test_each_requirement_is_typed_and_marked_must_or_nice() -> None:
    reqs = read_requirements(JOB_EN)
    years = by_kind(reqs, "years")
    assert len(years) == 1 and years[0].min_years == 5 and years[0].must
    topics = {r.value: r for r in by_kind(reqs, "topic")}
    assert any("backend services in Go or Rust" in v for v in topics)  # the years item's topic
    assert topics["Operating Kubernetes in production"].must
    assert not topics["Terraform experience is a plus"].must  # its wording beats its section
    assert [(r.value, r.must) for r in by_kind(reqs, "language")] == [("English", True)]
    assert [r.value for r in by_kind(reqs, "location")] == ["Lisbon"]
    degree = by_kind(reqs, "degree")
    assert [(r.value, r.must) for r in degree] == [("MS", False)]
    assert topics["Must be comfortable with on-call rotations"].must  # "must" in a nice list
    title = reqs[-1]
    assert (title.text, title.section, title.must) == ("Staff Platform Engineer", "title", False)


def test_chinese_headings_and_numbered_items() -> None:
    reqs = read_requirements(JOB_ZH)
    assert not any("召回与排序模型的研发" in r.text for r in reqs)  # 岗位职责 are duties
    topic = next(r for r in reqs if "推荐系统" in r.text)
    assert topic.must and topic.section == "任职要求"
    assert [(r.value, r.must) for r in by_kind(reqs, "degree")] == [("BS", True)]
    bonus = next(r for r in reqs if "强化学习" in r.text)
    assert not bonus.must and bonus.section == "加分项"


def test_headings_are_short_lines() -> None:
    assert heading_kind("Requirements:") == "must"
    assert heading_kind("## Nice to have") == "nice"
    assert heading_kind("What you'll do:") == "other"
    assert heading_kind("- Requirements gathering with stakeholders") is None
    assert heading_kind("We care about requirements and we write them down carefully for "
                        "every project we run, as a team.") is None


def test_a_description_without_headings_falls_back_to_its_bullets() -> None:
    reqs = read_requirements("Data person\n\n- Spark pipelines\n- dbt models\n")
    assert [r.text for r in reqs if r.section != "title"] == ["Spark pipelines", "dbt models"]
    assert all(r.must for r in reqs if r.section != "title")


def test_drop_and_flip_by_id_or_words() -> None:
    reqs = read_requirements(JOB_EN)
    kube = next(r for r in reqs if "Kubernetes" in r.text)
    edited = apply_edits(reqs, drop=[kube.id], flip=["lisbon"])
    assert kube.id not in {r.id for r in edited}
    assert not next(r for r in edited if r.kind == "location").must
    assert len(edited) == len(reqs) - 1


def cite(text: str, source: str = "/docs/x.pdf") -> Citation:
    return Citation(passage_id="d:0", quote=text, source=source, start=0, end=len(text))


def person(**kw) -> CandidateInfo:
    return CandidateInfo(id="p", name="Ada Fictional", name_found=True, sources=["/docs/x.pdf"],
                         document_ids=["d"], **kw)


def test_entry_verdicts_cite_the_entries() -> None:
    phd = EducationEntry(school="Example Institute", degree="PhD", citation=cite("PhD, Example Institute"))
    job = ExperienceEntry(employer="Acme", start="2015-01", end="present", kind="full-time",
                          citation=cite("Engineer, Acme, 2015 – present"))
    someone = person(education=[phd], experience=[job],
                     location=Location(text="Lisbon, Portugal", citation=cite("Lisbon, Portugal")))
    reqs = {r.kind: r for r in read_requirements(JOB_EN)}
    degree = entry_verdict(reqs["degree"], someone)  # a PhD meets "a Master's"
    assert degree.verdict == "met" and degree.citation.quote == "PhD, Example Institute"
    years = entry_verdict(reqs["years"], someone)
    assert years.verdict == "met" and "years" in years.note
    assert entry_verdict(reqs["location"], someone).citation.quote == "Lisbon, Portugal"
    nobody = person()
    assert entry_verdict(reqs["degree"], nobody).verdict == "no"
    assert entry_verdict(reqs["years"], nobody).verdict == "no"
    assert entry_verdict(reqs["location"], nobody).citation is None


def passage(text: str, start: int = 0) -> Passage:
    return Passage(id="d:0", document_id="d", candidate_id="p", candidate_name="Ada", source="/d.txt",
                   start=start, end=start + len(text), text=text)


def test_language_verdict_quotes_the_line_that_names_it() -> None:
    english = typed_requirement("Fluent English", "language", True)
    doc = "Ada Fictional\nLanguages: english (fluent), Portuguese\nSkills: Go"
    cell = language_verdict(english, [passage(doc, start=40)])
    assert cell.verdict == "met"
    assert cell.citation.quote == "Languages: english (fluent), Portuguese"
    assert doc[cell.citation.start - 40:cell.citation.end - 40] == cell.citation.quote
    mandarin = typed_requirement("普通话流利", "language", True)
    written = language_verdict(mandarin, [passage("张三\n负责推荐系统的排序模型研发")])
    assert written.verdict == "partly" and written.note
    assert language_verdict(mandarin, [passage("Ada Fictional\nSkills: Go")]).verdict == "no"


def test_a_programming_language_is_not_a_spoken_one() -> None:
    reqs = read_requirements("Job\n\nRequirements:\n- Write Go services\n- Document APIs in English\n")
    assert not by_kind(reqs, "language")


def test_a_length_of_experience_beside_a_degree_is_a_requirement_of_its_own() -> None:
    """"本科及以上学历，5年以上前端开发经验" asks a degree, five years and front-end work: the years
    were dropped when the item also named a degree."""
    job = ("资深前端工程师\n岗位要求：\n1. 本科及以上学历，计算机相关专业，5年以上前端开发经验；\n"
           "2. BS in CS and 3+ years building backend services\n")
    read = [(r.kind, r.value, r.min_years) for r in read_requirements(job)]
    assert ("degree", "BS", None) in read
    assert ("years", "5年以上", 5.0) in read and ("topic", "前端开发经验", None) in read
    assert ("years", "3+ years", 3.0) in read and ("topic", "building backend services", None) in read
