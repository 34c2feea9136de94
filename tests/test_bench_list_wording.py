"""`python -m bench.list_wording`: the phrasings are well formed, cases are read out of the eval
sets' filter questions, and a list is scored by recall and precision over all of it."""

from __future__ import annotations

import json
from pathlib import Path

from bench.list_wording import KINDS, ListScore, labelled_cases, phrasings
from retrieval.types import Answer, CandidateHit

PLACEHOLDERS = {"employer": "{org}", "school": "{org}", "years_min": "{n}", "location": "{place}"}


def test_every_phrasing_holds_its_placeholder_once_in_both_languages() -> None:
    groups = phrasings()
    assert {"tuned", "held-out"} <= set(groups)
    for kinds in groups.values():
        assert set(kinds) == set(KINDS)
        for kind, languages in kinds.items():
            assert set(languages) == {"en", "zh"}
            for templates in languages.values():
                assert templates and len(set(templates)) == len(templates)
                for template in templates:
                    holder = PLACEHOLDERS.get(kind)
                    assert template.count("{") == (1 if holder else 0), template
                    assert holder is None or template.count(holder) == 1, template


def test_cases_are_read_out_of_the_filter_questions(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "1", "type": "filter", "question": "Who has worked at Initech?", "employer": "Initech",
         "relevant": ["a.pdf"]},
        {"id": "2", "type": "filter", "question": "谁毕业于湖畔大学？", "school": "湖畔大学",
         "relevant": ["b.pdf", "c.pdf"]},
        {"id": "3", "type": "filter", "question": "Who has a PhD or is doing one?", "degree": "PhD",
         "relevant": ["c.pdf"]},
        {"id": "4", "type": "who_has", "question": "Who has worked on Rust?", "relevant": ["a.pdf"]},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")

    cases = labelled_cases(questions)

    assert [(c.kind, c.language, c.fill) for c in cases] == [
        ("employer", "en", {"org": "Initech"}), ("school", "zh", {"org": "湖畔大学"}),
        ("phd", "en", {}), ("phd", "zh", {})]
    assert cases[1].expected == {"b.pdf", "c.pdf"}


def _answer(*files: str) -> Answer:
    hits = [CandidateHit(id=f, name=f, sources=[f"/docs/{f}"], score=1.0, citations=[]) for f in files]
    return Answer(question="q", no_match=not hits, candidates=hits)


def test_a_list_is_scored_over_all_of_it() -> None:
    score = ListScore()
    score.add(frozenset({"a.pdf", "b.pdf"}), _answer("a.pdf", "c.pdf", "d.pdf"))  # 1/2 found, 1/3 right
    score.add(frozenset({"a.pdf"}), _answer("a.pdf"))
    score.add(frozenset(), _answer())  # nobody expected, nobody listed

    assert score.summary() == {"recall": round((0.5 + 1 + 1) / 3, 3),
                               "precision": round((1 / 3 + 1 + 1) / 3, 3),
                               "same_list": "2/3", "asked": 3}


def test_summary_phrasings_hold_the_name_once_and_people_come_from_summary_questions(
        tmp_path: Path) -> None:
    from bench.summary_wording import people_of
    from bench.summary_wording import phrasings as summary_phrasings
    for languages in summary_phrasings().values():
        assert set(languages) == {"en", "zh"}
        for templates in languages.values():
            assert templates and all(t.count("{name}") == 1 and t.count("{") == 1 for t in templates)
    questions = tmp_path / "q.jsonl"
    rows = [{"id": "1", "type": "summary", "question": "Summarize Jane Roe", "name": "Jane Roe",
             "relevant": ["jane.pdf"]},
            {"id": "2", "type": "who_has", "question": "Who has worked on Rust?", "relevant": ["a.pdf"]}]
    questions.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [(p.name, p.files) for p in people_of(questions)] == [("Jane Roe", {"jane.pdf"})]
