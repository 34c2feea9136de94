"""Matching job descriptions over the fictional corpus: requirements, verdicts with verbatim
quotes, ranking, drop / flip, compare, the CLI, and requirements proposed by a (fake) LLM."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from typer.testing import CliRunner

from bot.evaluate import score_job, QuestionResult
from bot.match import (Matcher, as_answer, asks_for_match, compare_request, is_job_description,
                       propose_requirements)

IOS_JOB = """Senior iOS Engineer

We build a health app used by millions.

Requirements:
- Shipping iOS apps in Swift and SwiftUI
- A bachelor's degree in computer science

Nice to have:
- Offline sync with Core Data
"""

NOBODY_JOB = """Pastry Chef

Requirements:
- Laminated dough and viennoiserie production
"""


def texts_of(assistant: Any) -> dict[str, str]:
    return {r.source: assistant.document_text(r.source) or "" for r in assistant.store.documents()}


def test_the_best_fit_comes_first_with_a_verbatim_quote_per_requirement(corpus: Any) -> None:
    result = Matcher(corpus).match(IOS_JOB)
    assert not result.no_match
    top = result.candidates[0]
    assert top.name == "Samuel Okafor" and top.musts_met
    texts = texts_of(corpus)
    for hit in result.candidates:
        assert {c.requirement for c in hit.coverage} == {r.id for r in result.requirements}
        for cell in hit.coverage:
            if cell.verdict == "no":
                continue
            c = cell.citation
            assert texts[c.source][c.start:c.end] == c.quote  # every quote verbatim
    degree = next(r for r in result.requirements if r.kind == "degree")
    assert top.cell(degree.id).verdict == "met" and "B.S." in top.cell(degree.id).citation.quote
    # people who meet every must-have are ranked above those who do not
    flags = [h.musts_met for h in result.candidates]
    assert flags == sorted(flags, reverse=True)


def test_drop_and_flip_rerank(corpus: Any) -> None:
    matcher = Matcher(corpus)
    full = matcher.match(IOS_JOB)
    swift = next(r for r in full.requirements if "Swift" in r.text)
    dropped = matcher.match(IOS_JOB, drop=[swift.id])
    assert swift.id not in {r.id for r in dropped.requirements}
    assert [r.id for r in dropped.dropped] == [swift.id]
    flipped = matcher.match(IOS_JOB, flip=["core data"])
    assert next(r for r in flipped.requirements if "Core Data" in r.text).must


def test_nobody_matches_a_job_outside_the_corpus(corpus: Any) -> None:
    result = Matcher(corpus).match(NOBODY_JOB)
    assert all(not h.musts_met for h in result.candidates)


def test_the_eval_scores_the_matchers_shortlist(corpus: Any) -> None:
    answer = as_answer(Matcher(corpus).match(IOS_JOB))
    result = QuestionResult(id="j", type="job", question=IOS_JOB)
    score_job({"relevant": ["samuel_okafor_resume.txt"], "acceptable": []}, answer, result)
    assert result.average_precision == 1.0


def test_compare_puts_candidates_side_by_side(corpus: Any) -> None:
    comparison = Matcher(corpus).compare(["Samuel Okafor", "Marcus Feld", "Nobody Atall"],
                                         job=IOS_JOB)
    assert [c.candidate.name for c in comparison.cards] == ["Samuel Okafor", "Marcus Feld"]
    assert comparison.missing == ["Nobody Atall"]
    hits = {h.name: h for h in comparison.shortlist.candidates}
    swift = next(r for r in comparison.shortlist.requirements if "Swift" in r.text)
    assert hits["Samuel Okafor"].cell(swift.id).verdict == "met"
    assert hits["Marcus Feld"].cell(swift.id).verdict != "met"


def test_what_reads_as_a_job_or_a_compare_request() -> None:
    assert is_job_description(IOS_JOB)
    assert not is_job_description("who has shipped iOS apps?")
    assert compare_request("compare Samuel Okafor and Marcus Feld") == ["Samuel Okafor", "Marcus Feld"]
    assert compare_request("比较 王静怡 和 李明远") == ["王静怡", "李明远"]
    assert compare_request("compare notes") is None
    assert asks_for_match("please match this job") and not asks_for_match("new resumes")


def test_llm_proposals_are_kept_only_when_they_quote_the_job(corpus: Any) -> None:
    reply = {"requirements": [
        {"quote": "Shipping iOS apps in Swift and SwiftUI", "kind": "topic", "must": True,
         "value": "iOS apps in Swift"},
        {"quote": "Ten years of Objective-C", "kind": "topic", "must": True, "value": "Obj-C"},
        {"quote": "A bachelor's degree in computer science", "kind": "degree", "must": True,
         "value": "PhD"},  # the rules read the degree, not the model
    ]}
    model = GenericFakeChatModel(messages=iter([AIMessage(content=json.dumps(reply))]))
    reqs = propose_requirements(IOS_JOB, corpus.settings, [], model=model)
    assert [r.text for r in reqs] == ["Shipping iOS apps in Swift and SwiftUI",
                                      "A bachelor's degree in computer science"]
    assert reqs[1].value == "BS" and all(r.proposed_by for r in reqs)
    assert all(IOS_JOB[r.start:r.end] == r.text for r in reqs)
    result = Matcher(corpus).match(IOS_JOB, requirements=reqs)
    assert result.candidates[0].name == "Samuel Okafor"


def test_llm_failure_falls_back_to_the_structure(corpus: Any) -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="not json")]))
    assert propose_requirements(IOS_JOB, corpus.settings, [], model=model) is None


def test_cli_match_and_compare(corpus: Any, tmp_path: Any) -> None:
    from bot.cli import app

    job = tmp_path / "job.txt"
    job.write_text(IOS_JOB, encoding="utf-8")
    store = str(corpus.settings.data_dir)
    runner = CliRunner()
    out = runner.invoke(app, ["match", str(job), "--data-dir", store, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["candidates"][0]["name"] == "Samuel Okafor"
    assert {"requirements", "candidates", "question", "no_match"} <= set(data)
    assert {"requirement", "verdict", "citation"} <= set(data["candidates"][0]["coverage"][0])
    text = runner.invoke(app, ["match", "-", "--data-dir", store, "--drop", "core data"],
                         input=IOS_JOB)
    assert text.exit_code == 0 and "Requirements read" in text.output
    assert "dropped: Offline sync with Core Data" in text.output and "Samuel Okafor" in text.output
    both = runner.invoke(app, ["compare", "Samuel Okafor", "Marcus Feld", "--job", str(job),
                               "--data-dir", store])
    assert both.exit_code == 0 and "Samuel Okafor" in both.output and "Marcus Feld" in both.output
