"""Pure parts of feedback and prompts: the export's verdict → eval question rules, and which
word of the store becomes a suggested topic."""

from __future__ import annotations

from bot.feedback import export
from bot.prompts import pick_topic, topic_shaped


def vote(fid: str, question: str, verdict: str, answer: list[dict], ts: float = 1.0) -> dict:
    return {"id": fid, "kind": "vote", "verdict": verdict, "question": question, "answer": answer,
            "ts": ts}


def reasons(fid: str, **kw) -> dict:
    return {"id": fid, "kind": "reasons", "verdict": "down", **kw}


ANA = {"id": "ana", "files": ["ana.pdf", "ana_papers.txt"]}
BO = {"id": "bo", "files": ["bo.docx"]}
CY = {"id": "cy", "files": ["cy.txt"]}


def test_verdicts_become_eval_questions() -> None:
    entries = [
        vote("1", "who knows Rust?", "up", [ANA, BO]),
        vote("2", "who knows Zig?", "down", [ANA, BO]),
        reasons("2", reasons=["missed_someone", "wrong_person"], wrong=["bo"], missed=[CY]),
        vote("3", "who flies planes?", "down", [BO]),
        reasons("3", reasons=["wrong_person"]),
        vote("4", "who knows Lua?", "down", [ANA]),  # no reasons given: skipped
        vote("5", "who knows Go?", "down", [ANA, BO]),
        reasons("5", reasons=["bad_quote"]),
    ]
    questions, skipped = export(entries)
    by_q = {q["question"]: q for q in questions}
    assert skipped == 1 and "who knows Lua?" not in by_q
    assert by_q["who knows Rust?"]["relevant"] == ["ana.pdf", "bo.docx"]
    assert by_q["who knows Rust?"]["acceptable"] == ["ana_papers.txt"]
    zig = by_q["who knows Zig?"]
    assert zig["type"] == "who_has" and zig["relevant"] == ["cy.txt"]
    assert "bo.docx" not in zig["acceptable"] and "ana.pdf" in zig["acceptable"]
    assert by_q["who flies planes?"] == {"id": by_q["who flies planes?"]["id"],
                                         "question": "who flies planes?", "type": "negative",
                                         "relevant": [], "acceptable": []}
    assert by_q["who knows Go?"]["relevant"] == ["ana.pdf", "bo.docx"]


def test_the_latest_verdict_on_a_question_wins() -> None:
    questions, _ = export([vote("1", "who knows Rust?", "up", [ANA], ts=1.0),
                           vote("2", "who knows Rust?", "down", [ANA], ts=2.0),
                           reasons("2", reasons=["wrong_person"])])
    assert [q["type"] for q in questions] == ["negative"]


def test_topics_are_technical_words_that_are_not_names_or_boilerplate() -> None:
    assert topic_shaped("TypeScript") and topic_shaped("CUDA") and topic_shaped("iOS")
    assert topic_shaped("server-side rendering")
    assert not topic_shaped("present") and not topic_shaped("University") and not topic_shaped("2020")
    counts = {"GitHub": 40, "LinkedIn": 38, "Python": 30, "CUDA": 9, "TypeScript": 7,
              "McAllister": 12, "University": 20}
    assert pick_topic(counts, documents=40, names={"Rory McAllister"}) == "CUDA"
    assert pick_topic({"present": 3}, documents=5, names=set()) is None
