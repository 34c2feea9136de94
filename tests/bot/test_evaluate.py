"""Scoring rules of `recruit eval` (../shared/eval/README.md), on hand-made answers."""

from __future__ import annotations

from bot.evaluate import QuestionResult, score_filter, score_job, score_who_has
from retrieval.types import Answer, CandidateHit


def _answer(*files: str) -> Answer:
    hits = [CandidateHit(id=f, name=f, sources=[f"/corpus/{f}"], score=1.0, citations=[])
            for f in files]
    return Answer(question="q", no_match=not hits, candidates=hits)


def _result(kind: str) -> QuestionResult:
    return QuestionResult(id="x", type=kind, question="q")


def test_recall_at_k_is_capped_by_k() -> None:
    item = {"relevant": [f"r{i}.pdf" for i in range(8)], "acceptable": []}
    result = _result("who_has")
    score_who_has(item, _answer("r0.pdf", "r1.pdf", "r2.pdf", "x.pdf", "r3.pdf"), result)
    assert result.recall_at_3 == 1.0  # three relevant people in three places: all that fit
    assert result.recall_at_5 == 4 / 5
    assert result.false_positives == 1


def test_filter_is_scored_over_the_whole_list() -> None:
    item = {"relevant": ["a.pdf", "b.pdf", "c.pdf"], "acceptable": ["d.pdf"]}
    result = _result("filter")
    score_filter(item, _answer("a.pdf", "d.pdf", "x.pdf", "b.pdf"), result)
    assert result.recall == 2 / 3
    assert result.precision == 3 / 4  # the acceptable person is not wrong
    assert result.false_positives == 1
    empty = _result("filter")
    score_filter(item, _answer(), empty)
    assert (empty.recall, empty.precision) == (0.0, 1.0)


def test_job_average_precision_leaves_acceptable_people_out() -> None:
    item = {"relevant": ["a.pdf", "b.pdf"], "acceptable": ["m.pdf"]}
    result = _result("job")
    score_job(item, _answer("m.pdf", "a.pdf", "x.pdf", "b.pdf"), result)
    # ranking without m: a (1/1), x, b (2/3) -> AP = (1 + 2/3) / 2
    assert abs(result.average_precision - (1 + 2 / 3) / 2) < 1e-9
    assert result.precision_at_5 == 3 / 5
