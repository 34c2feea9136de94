"""The fast shortlist (verdicts kept per state of the store, only the people who can reach the
first n read in full) lists exactly what ranking everyone lists first: the same people, order,
scores, verdicts and quotes. The reference below is the plain computation: every person of the
pool read by `entry_verdict` / `language_verdict`, then sorted.

The store holds a few dozen generated fictional resumes (bench/corpus.py), a few of them with a
languages line added so that language requirements have people who meet them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.corpus import ASKED, generate
from bot.assistant import Assistant
from bot import match
from bot.match import THRESHOLDS, Matcher, Thresholds
from candidates.jobs import Verdicts, apply_edits, entry_verdict, language_verdict
from ingest.pipeline import ingest_paths
from retrieval.types import Coverage, MatchHit, Requirement
from tests.bot.conftest import make_settings

LANGUAGES_LINE = {0: "LANGUAGES\nEnglish, German\n", 3: "LANGUAGES\nEnglish, Mandarin\n",
                  7: "语言\n英语，普通话\n", 12: "LANGUAGES\nGerman\n"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Assistant:
    root = tmp_path_factory.mktemp("shortlist")
    corpus = generate(40, seed=11)
    paths = []
    for i, resume in enumerate(corpus.resumes):
        path = root / "docs" / resume.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(resume.text + "\n" + LANGUAGES_LINE.get(i, ""), encoding="utf-8")
        paths.append(path)
    settings = make_settings(root / "store")
    assistant = Assistant(settings, embeddings=embeddings)
    report = ingest_paths(paths, settings, assistant.store, assistant.embeddings)
    assert not report.failed
    assistant.warm()
    return assistant


def jobs() -> list[str]:
    a, b, c, d = ASKED[0], ASKED[2], ASKED[12], ASKED[3]
    return [
        f"ML Engineer\n\nRequirements:\n- Experience with {a.en}\n- {b.en} in production\n"
        f"- Master's degree in Computer Science\n\nNice to have:\n- {c.en}\n",
        f"Infrastructure Engineer\n\nWhat you need:\n- 5+ years of experience with {d.en}\n"
        f"- {c.en}\n\nBonus:\n- {b.en}\n- Fluent English\n",
        f"Research Engineer\n\nRequirements:\n- Fluent English\n- {a.en}\n\nNice to have:\n"
        f"- A PhD\n- Fluent German\n- Based in Seattle\n",
        f"推荐算法工程师\n\n任职要求：\n- 熟悉{b.zh}\n- 硕士及以上学历\n- 3年以上工作经验\n\n加分项：\n"
        f"- 英语流利\n- {c.zh}\n",
        "Engineer\n\nRequirements:\n- Fluent English\n- A bachelor's degree\n",
    ]


def full_shortlist(assistant: Assistant, requirements: list[Requirement],
                   t: Thresholds = THRESHOLDS) -> list[MatchHit]:
    """Everyone in the pool read and ranked: what the shortlist was before it was cut to n."""
    topics = {r.id: assistant.ask(r.value, limit=t.pool) for r in requirements if r.kind == "topic"}
    everyone = assistant.candidates(entries=True)
    entry_musts = [r for r in requirements if r.must and r.kind in ("degree", "years", "location")]
    found = {h.id for a in topics.values() for h in a.candidates}
    people = everyone if not topics and not entry_musts else [
        p for p in everyone if p.id in found or entry_musts and all(
            entry_verdict(r, p).verdict == "met" for r in entry_musts)]
    hits = []
    for p in people:
        coverage = []
        for r in requirements:
            if r.kind == "topic":
                answer = topics[r.id]
                hit = next((h for h in answer.candidates if h.id == p.id), None)
                if hit is None or not hit.citations:
                    coverage.append(Coverage(requirement=r.id, verdict="no"))
                    continue
                best = max(h.score for h in answer.candidates)
                share = hit.score / best if best > 0 else 0.0
                coverage.append(Coverage(requirement=r.id, verdict="met" if share >= t.met_share
                                         else "partly", citation=hit.citations[0],
                                         score=round(share, 4)))
            elif r.kind == "language":
                coverage.append(language_verdict(r, assistant.store.passages_of(p.document_ids)))
            else:
                coverage.append(entry_verdict(r, p))
        citations = []
        for c in coverage:
            where = (c.citation.source, c.citation.start, c.citation.end) if c.citation else None
            if where is not None and all(where != (u.source, u.start, u.end) for u in citations):
                citations.append(c.citation)
        if any(c.verdict != "no" for c in coverage):
            hits.append(MatchHit(id=p.id, name=p.name, name_found=p.name_found, sources=p.sources,
                                 score=0.0, citations=citations, headline=p.headline,
                                 flags=p.flags, coverage=coverage))
    credit = {"met": 1.0, "partly": t.partly_credit, "no": 0.0}

    def key(h: MatchHit) -> tuple:
        cells = {c.requirement: c for c in h.coverage}
        strength = {r.id: 0.0 if cells[r.id].verdict == "no" else cells[r.id].score
                    if r.kind == "topic" else credit[cells[r.id].verdict] for r in requirements}
        musts = [r for r in requirements if r.must]
        met = sum(credit[cells[r.id].verdict] for r in musts)
        total = sum(strength[r.id] for r in musts) + \
            t.nice_weight * sum(strength[r.id] for r in requirements if not r.must)
        h.score = round(met + total / max(1, len(requirements)), 4)
        h.musts_met = all(cells[r.id].verdict == "met" for r in musts)
        return (-(met >= len(musts)), -met, -total, h.name.lower())

    return sorted(hits, key=key)


def rows(hits: list[MatchHit]) -> list[dict]:
    return [h.model_dump() for h in hits]


@pytest.mark.parametrize("batch", [1, 64])
def test_the_first_n_are_those_of_the_full_ranking(store: Assistant, batch: int,
                                                   monkeypatch: Any) -> None:
    """With languages read one person at a time, the search for the first n stops early (the
    bound of the next person cannot reach them); with 64, the whole pool is read at once."""
    monkeypatch.setattr(match, "LANGUAGE_BATCH", batch)
    match._KEPT_VERDICTS.clear()  # verdicts computed afresh, in this test's order
    matcher = Matcher(store)
    checked = 0
    for job in jobs():
        requirements = matcher.requirements(job)
        assert requirements, job
        full = full_shortlist(store, requirements)
        assert full, job
        for n in (1, 2, 3, 5, 8, len(full), len(full) + 5):
            fast = matcher.match(job, limit=n)
            assert rows(fast.candidates) == rows(full[:n]), (job, n)
            checked += 1
        assert rows(matcher.match(job).candidates) == rows(full[:THRESHOLDS.shortlist])
    assert checked == 7 * len(jobs())


def test_kinds_the_jobs_exercise(store: Assistant) -> None:
    """The jobs above reach every kind and verdict the fast path treats apart (else the test
    above would compare little)."""
    matcher = Matcher(store)
    seen = set()
    for job in jobs():
        kinds = {r.id: r.kind for r in matcher.requirements(job)}
        for hit in matcher.match(job, limit=100).candidates:
            seen |= {(kinds[c.requirement], c.verdict) for c in hit.coverage}
    for kind in ("topic", "degree", "language"):
        assert {(kind, "met"), (kind, "no")} <= seen, kind
    assert ("language", "partly") in seen and ("years", "met") in seen


def test_drop_and_flip_match_the_full_ranking(store: Assistant) -> None:
    matcher = Matcher(store)
    job = jobs()[1]
    read = matcher.requirements(job)
    for drop, flip in (([read[0].id], []), ([], ["english"]), ([], [read[0].id, read[1].id])):
        kept = apply_edits(read, drop, flip)
        fast = matcher.match(job, drop=drop, flip=flip, limit=4)
        assert rows(fast.candidates) == rows(full_shortlist(store, kept)[:4]), (drop, flip)


def test_compare_reads_people_ranked_below_the_shortlist(store: Assistant) -> None:
    job = jobs()[0]
    short = Matcher(store, Thresholds(shortlist=2))
    full = full_shortlist(store, short.requirements(job))
    assert len(full) > 4
    low = full[4]
    comparison = short.compare([full[0].id, low.id], job=job)
    got = {h.id: h for h in comparison.shortlist.candidates}
    assert got[low.id].model_dump() == low.model_dump()
    assert got[full[0].id].model_dump() == full[0].model_dump()


def test_verdicts_are_kept_for_one_state_of_the_store(store: Assistant, monkeypatch: Any) -> None:
    matcher = Matcher(store)
    first = matcher._verdicts()
    assert matcher._verdicts() is first  # the same people: kept
    assert Matcher(store)._verdicts() is first  # across requests (a matcher per request)
    people = store.candidates(entries=True)
    renewed = [p.model_copy() for p in people]  # what a new state of the store gives
    monkeypatch.setattr(store, "candidates", lambda entries=False: list(renewed))
    fresh = matcher._verdicts()
    assert fresh is not first and fresh.serves(renewed) and not fresh.serves(people)


def test_a_verdict_is_computed_once(store: Assistant) -> None:
    people = store.candidates(entries=True)
    calls: list[list[str]] = []

    def passages_of(ids: Any) -> Any:
        calls.append(list(ids))
        return store.store.passages_of(ids)

    verdicts = Verdicts(people, passages_of)
    english = Requirement(id="r9", text="Fluent English", kind="language", value="English")
    codes = verdicts.codes(english)
    assert len(calls) == 1  # everyone's documents in one read
    assert verdicts.codes(english) is codes and len(calls) == 1
    for at in (0, 3, len(people) - 1):
        expected = language_verdict(english, store.store.passages_of(people[at].document_ids))
        assert verdicts.coverage(english, at) == expected
    renamed = english.model_copy(update={"id": "r2"})
    assert verdicts.coverage(renamed, 0).requirement == "r2" and len(calls) == 1


def test_languages_are_read_only_for_people_who_can_reach_the_shortlist(
        store: Assistant, monkeypatch: Any) -> None:
    monkeypatch.setattr(match, "LANGUAGE_BATCH", 1)
    match._KEPT_VERDICTS.clear()
    matcher = Matcher(store)
    # the pool is every holder of a Master's (or higher); a language only as a nice-to-have
    job = (f"Engineer\n\nRequirements:\n- {ASKED[0].en}\n- A Master's degree\n\n"
           "Bonus:\n- Fluent German\n")
    german = next(r for r in matcher.requirements(job) if r.kind == "language")
    top = matcher.match(job, limit=2)
    codes, _ = matcher._verdicts()._table(german)
    read = int((codes >= 0).sum())
    assert len(top.candidates) == 2 and 2 <= read < len(codes) // 2
    assert rows(top.candidates) == rows(full_shortlist(store, matcher.requirements(job))[:2])
