"""Topic questions read as a recruiter means them: "CV" is computer vision only when written as
one and not where it names the document, "A or B C" shares its head noun, and wording in a talks
or service section counts less than in the work itself."""

from __future__ import annotations

import pytest

from ingest.pipeline import build_passages
from candidates.sections import OTHER_KIND, section_kind
from retrieval.lexicon import Concept, _spellings, alternatives_of, shares_head
from retrieval.search import MINOR_SECTION_KIND, Query, Relevance, fuse, only_lists, window_coverage
from retrieval.text import is_enumeration
from retrieval.store import _passage, _passage_metadata
from retrieval.tokens import cased_tokens
from retrieval.types import DocumentRecord, ParsedDocument, Passage


# --- a cased alias ("CV") --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Built CV models for shelf monitoring",
    "Research interests: CV and NLP",
    "负责CV算法的落地",
    "Object detection (CV) for drones",
])
def test_cv_in_capitals_inside_content_counts(text: str) -> None:
    assert cased_tokens(text) == {"CV"}


@pytest.mark.parametrize("text", [
    "layout: cv",                 # a site generator's front matter
    'template = "cv.html"',
    "CV",                         # a heading that names the document
    "Download CV",
    "Full CV (PDF)",
    "See my CV for details",
    "个人简历 CV",
    "Curriculum Vitae - CV",
    "ACV CVS",                    # other words that contain the letters
])
def test_cv_as_the_document_or_in_lower_case_does_not_count(text: str) -> None:
    assert cased_tokens(text) == set()


def test_the_cased_alias_is_spelled_by_its_capitals_only() -> None:
    assert _spellings("CV") == (frozenset({"CV"}),)
    assert _spellings("computer vision") == (frozenset({"comput", "vision", "comput vision"}),)


def _passage_of(text: str, section: str | None = None, kind: str | None = None,
                index: int = 0) -> Passage:
    return Passage(id=f"d:{index}", document_id="d", candidate_id="c", candidate_name="C",
                   source="c.md", section=section, start=0, end=len(text), text=text,
                   section_kind=kind)


def _vision_query() -> Query:
    concept = Concept("computer vision", (frozenset({"comput", "vision"}), frozenset({"CV"})), exact=2)
    return Query("Who has worked on computer vision?", [[concept]], {"computer vision": 1.0})


def test_a_front_matter_cv_line_does_not_cover_computer_vision() -> None:
    query = _vision_query()
    assert window_coverage(_passage_of("layout: cv\ntitle: Jane Roe"), query) == 0.0
    assert window_coverage(_passage_of("Trained CV models for retail shelves."), query) == 1.0
    assert window_coverage(_passage_of("Trained computer vision models."), query) == 1.0


# --- "or" inside a noun phrase ----------------------------------------------------------------

@pytest.mark.parametrize(("question", "expected"), [
    ("Who has done programming or ML competitions?",
     ["Who has done programming competitions?", "ML competitions?"]),
    ("Who has worked on statistical or causal inference?",
     ["Who has worked on statistical inference?", "causal inference?"]),
    ("Who knows high-performance or scientific computing?",
     ["Who knows high-performance computing?", "scientific computing?"]),
    ("Who has done training or fine-tuning of vision models?",
     ["Who has done training of vision models?", "fine-tuning of vision models?"]),
    # a noun that stands alone keeps standing alone
    ("Who has worked on compilers or programming languages?",
     ["Who has worked on compilers", "programming languages?"]),
    ("Who has worked on finance, fintech or quantitative trading?",
     ["Who has worked on finance", "fintech", "quantitative trading?"]),
    # a name, or a modifier inside a longer phrase, is not a lone modifier
    ("Who has lived in Beijing or Shanghai offices?", ["Who has lived in Beijing", "Shanghai offices?"]),
    ("Who has worked on adversarial machine learning or privacy-preserving ML?",
     ["Who has worked on adversarial machine learning", "privacy-preserving ML?"]),
    # the last alternative is one word: nothing to share
    ("Who has done pre-training or RLHF?", ["Who has done pre-training", "RLHF?"]),
    # what is shared keeps its article: "founded a company" is the name the tables know
    ("who has founded or co-founded a company?", ["who has founded a company?", "co-founded a company?"]),
])
def test_a_lone_modifier_before_or_shares_the_head_noun(question: str, expected: list[str]) -> None:
    assert alternatives_of(question) == expected


def test_what_reads_as_a_modifier() -> None:
    for word in ("programming", "statistical", "distributed", "high-performance", "generative"):
        assert shares_head(word), word
    for word in ("compilers", "finance", "robotics", "Beijing", "Red", "机器学习"):
        assert not shares_head(word), word


# --- section kinds ------------------------------------------------------------------------------

@pytest.mark.parametrize(("heading", "kind"), [
    ("Work Experience", "experience"),
    ("Selected Publications", "publications"),
    ("Technical Skills", "skills"),
    ("Invited Talks", OTHER_KIND),
    ("Academic Service", OTHER_KIND),
    ("Languages", OTHER_KIND),
    ("Hobbies", OTHER_KIND),
    (None, None),
])
def test_section_kind_of_a_heading(heading: str | None, kind: str | None) -> None:
    assert section_kind(heading) == kind
    assert OTHER_KIND == MINOR_SECTION_KIND


def test_passages_carry_their_section_kind_through_ingest_and_the_store() -> None:
    text = ("Jane Roe\n\nExperience\n- Built a Rust compiler backend for embedded targets.\n\n"
            "Invited Talks\n- Compilers for tiny chips, Systems Meetup 2021\n")
    record, passages = build_passages(ParsedDocument(source="jane.md", text=text), "a" * 20)
    kinds = {p.section: p.section_kind for p in passages}
    assert kinds == {None: None, "Experience": "experience", "Invited Talks": OTHER_KIND}  # the name
    stored = DocumentRecord(document_id=record.document_id, source=record.source,
                            candidate_id=record.candidate_id, candidate_name=record.candidate_name,
                            name_found=True, passages=len(passages))
    for p in passages:
        again = _passage(p.id, _passage_metadata(p), p.text, stored)
        assert again.section_kind == p.section_kind and again == p


def test_wording_in_a_minor_section_counts_less() -> None:
    query = _vision_query()
    text = "Computer vision for robots."
    work = _passage_of(text, "Experience", "experience", 0)
    talk = _passage_of(text, "Invited Talks", OTHER_KIND, 1)
    weighted = {e.passage.id: e.coverage for e in fuse([(work, 0.5), (talk, 0.5)], [], {}, query, {},
                                                       Relevance(minor_section=0.7))}
    assert weighted == {"d:0": 1.0, "d:1": pytest.approx(0.7)}
    plain = {e.passage.id: e.coverage for e in fuse([(work, 0.5), (talk, 0.5)], [], {}, query, {},
                                                    Relevance(minor_section=1.0))}
    assert plain == {"d:0": 1.0, "d:1": 1.0}


def test_the_keyword_index_cache_keeps_the_section_kind(tmp_path) -> None:
    """A reloaded index (the bot's start, a cold command) weighs sections as a fresh one does."""
    import numpy as np

    from retrieval.keyword import KeywordIndex
    from retrieval.types import Passage

    talk = Passage(id="d:0", document_id="d", candidate_id="c", candidate_name="C", source="c.md",
                   page=1, section="Invited Talks", start=0, end=20, text="Talk on vector search",
                   section_kind=OTHER_KIND)
    def embed(texts):
        return np.zeros((len(texts), 4), dtype=np.float32)

    index = KeywordIndex.build([talk], "fp", embed, {})
    path = tmp_path / "keyword" / "resumes.json"
    index.save(path)
    loaded = KeywordIndex.load(path)
    assert loaded is not None and loaded.passages[0].section_kind == OTHER_KIND


# --- listing a topic is not showing the work ----------------------------------------------------

@pytest.mark.parametrize(("line", "listing"), [
    ("Programming Languages: C++, Python, Go, Rust", True),
    ("Relevant Coursework: Operating Systems, Computer Networks, Compilers", True),
    ("主要课程：操作系统、计算机网络、编译原理", True),
    ("React / Vue / Angular / Svelte", True),
    ("Built the payment service's TCP gateway in Go, handling 20k connections", False),
    ("Deep Learning for Object Detection, Segmentation, and Tracking", False),
    ("熟悉 HTML,HTML5 并在项目开发中熟练使用", False),
    ("Networks and security", False),  # two items: a phrase
])
def test_a_list_of_names_reads_as_a_list(line: str, listing: bool) -> None:
    assert is_enumeration(line) is listing


def _networking_query() -> Query:
    concept = Concept("computer networks", (frozenset({"comput", "network"}), frozenset({"tcp"})), exact=2)
    return Query("Who has worked on computer networks?", [[concept]], {"computer networks": 1.0})


def test_a_topic_in_a_skills_section_or_a_course_list_is_listed_not_shown() -> None:
    query, partial = _networking_query(), Relevance().partial
    skills = _passage_of("Computer networks, Linux, Git", "Skills", "skills")
    courses = _passage_of("Coursework: Algorithms, Computer Networks, Databases", "Education", "education")
    thesis = _passage_of("Thesis: congestion control for computer networks in data centres",
                         "Education", "education")
    work = _passage_of("Tools: TCP, Wireshark, Linux", "Experience", "experience")
    assert only_lists(skills, query, partial) and only_lists(courses, query, partial)
    assert not only_lists(thesis, query, partial)
    assert not only_lists(work, query, partial)  # a tools line of a job belongs to the job


def test_who_shows_the_work_comes_before_who_lists_it(make_assistant, tmp_path) -> None:
    """Both clear the bar; the one whose networking is only courses, skills and interests come
    after the one who ran a network, though they name it more often."""
    from tests.conftest import ingest

    people = tmp_path / "people"
    people.mkdir()
    (people / "ines-vidal.md").write_text(
        "# Ines Vidal\n\n## Education\n\nBSc Computer Science, Westbrook University (2016 - 2020)\n"
        "Coursework: Computer Networks, Operating Systems, Databases, Algorithms\n\n"
        "## Experience\n\n### Web Developer, Pinecrest Media (2020 - 2024)\n\n"
        "- Built the newsroom's publishing dashboard in React\n\n"
        "## Skills\n\nComputer networks, network protocols, TCP/IP, React, Git, Linux\n",
        encoding="utf-8")
    (people / "omar-haddad.md").write_text(
        "# Omar Haddad\n\n## Experience\n\n### Network Engineer, Harborlight Telecom (2017 - 2024)\n\n"
        "- Kept the office computer network and its printers running\n\n"
        "## Skills\n\nPython, Linux\n", encoding="utf-8")
    assistant = make_assistant()
    assert not ingest(assistant, people).failed

    names = [hit.name for hit in assistant.ask("Who has worked on computer networking?").candidates]

    assert names[:1] == ["Omar Haddad"]
    assert "Ines Vidal" in names  # listed, still an answer: after who shows the work
