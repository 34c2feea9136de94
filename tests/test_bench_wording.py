"""`python -m bench.wording`: the phrasings are well formed, topics are read out of the eval sets'
question frames, and a phrasing is scored like the original question."""

from __future__ import annotations

import json
from pathlib import Path

from bench.wording import Score, Topic, phrasings, topics_of
from retrieval.types import Answer, CandidateHit


def test_every_phrasing_holds_the_topic_once_in_both_languages() -> None:
    groups = phrasings()
    assert {"tuned", "held-out"} <= set(groups)
    for languages in groups.values():
        assert set(languages) == {"en", "zh"}
        for templates in languages.values():
            assert templates and all(t.count("{t}") == 1 for t in templates)
            assert len(set(templates)) == len(templates)


def test_topics_are_read_out_of_the_question_frames(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "1", "type": "who_has", "question": "Who has worked on Kubernetes operators?",
         "relevant": ["a.pdf"], "acceptable": ["b.pdf"]},
        {"id": "2", "type": "who_has", "question": "谁做过模型量化？", "relevant": ["c.pdf"]},
        {"id": "3", "type": "negative",
         "question": "Which candidates have experience with beekeeping?", "relevant": []},
        {"id": "4", "type": "filter", "question": "Who has worked at Initech?", "relevant": ["a.pdf"]},
        {"id": "5", "type": "who_has", "question": "Who knows Rust?", "relevant": ["a.pdf"]},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")

    topics = topics_of(questions)

    assert [(t.topic, t.language, t.negative) for t in topics] == [
        ("Kubernetes operators", "en", False), ("模型量化", "zh", False), ("beekeeping", "en", True)]
    assert topics[0].relevant == {"a.pdf"} and topics[0].acceptable == {"b.pdf"}


def _answer(*files: str) -> Answer:
    hits = [CandidateHit(id=f, name=f, sources=[f"/docs/{f}"], score=1.0, citations=[]) for f in files]
    return Answer(question="q", no_match=not hits, candidates=hits)


def test_a_phrasing_is_scored_like_the_original() -> None:
    topic = Topic("q", "x", "en", frozenset({"a.pdf", "b.pdf"}), frozenset({"c.pdf"}), False)
    negative = Topic("q", "y", "en", frozenset(), frozenset(), True)
    score = Score()

    score.add(topic, _answer("a.pdf", "c.pdf", "d.pdf"))  # one of two found, one false positive
    score.add(topic, _answer())
    score.add(negative, _answer())
    score.add(negative, _answer("d.pdf"))

    assert score.summary() == {"recall_at_5": 0.25, "false_positives_per_question": 0.5,
                               "negatives": "1/2", "asked": 2}
