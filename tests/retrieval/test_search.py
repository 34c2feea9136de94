"""Hybrid search over the fictional corpus with the real embedder: the right person first, across
languages, "no match" when nobody fits, and every quote a verbatim slice of its source."""

from __future__ import annotations

import numpy as np
import pytest

from bot.assistant import Assistant
from bot.index_keeper import Snapshot
from retrieval.lexicon import (EXPANSION_SIMILARITY, EXPANSIONS_PER_TERM, MUTUAL_MARGIN,
                               RUNNER_UP_MARGIN, Concept, Lexicon)
from retrieval.quotes import segments, select_quote
from retrieval.search import (DEFAULT_RELEVANCE, Evidence, Group, Query, Relevance, fuse,
                              lines_by_candidate, set_similarity_floor, sources_by_candidate,
                              weigh_lines)
from retrieval.store import LineSimilarities
from retrieval.tokens import is_cjk
from retrieval.types import Answer, Passage
from tests import fixtures as fx
from tests.conftest import make_settings

NAME = {key: str(facts["name"]) for key, facts in fx.CORPUS_FACTS.items()}


def names(answer: Answer) -> list[str]:
    return [hit.name for hit in answer.candidates]


def assert_citations_verbatim(assistant: Assistant, answer: Answer) -> int:
    """Every citation quotes its stored document exactly, within the limits; returns how many."""
    s = assistant.settings
    assert len(answer.candidates) <= s.max_candidates
    assert len({hit.id for hit in answer.candidates}) == len(answer.candidates)
    scores = [hit.score for hit in answer.candidates]
    assert scores == sorted(scores, reverse=True)
    count = 0
    for hit in answer.candidates:
        assert hit.citations and len(hit.citations) <= s.citations_per_candidate
        for c in hit.citations:
            text = assistant.store.document_text(c.source)
            assert text is not None and c.source in hit.sources
            assert text[c.start:c.end] == c.quote  # the contract others script against
            assert c.quote and c.quote == c.quote.strip() and len(c.quote) <= s.quote_chars
            found = assistant.store.passages_by_id([c.passage_id], assistant.index.live)
            if not found:  # a list answer ("who has a PhD?") cites the entry's own span
                assert c.passage_id == f"{c.source}#{c.start}"
                count += 1
                continue
            [passage] = found
            assert passage.start <= c.start < c.end <= passage.end
            assert (c.page, c.section) == (passage.page, passage.section)
            assert c.trimmed_before == bool(text[passage.start:c.start].strip())
            assert c.trimmed_after == bool(text[c.end:passage.end].strip())
            shown = c.display_quote()
            assert shown.startswith("…") == c.trimmed_before and shown.endswith("…") == c.trimmed_after
            assert shown.strip("…") == c.quote
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# The right person first


SPECIALITY_QUESTIONS = {
    "jane_example": "Who has frontend experience with React and TypeScript?",
    "marcus_feld": "Who has written Kubernetes operators in Go?",
    "li_mingyuan": "Who has worked on KV cache quantization for LLM inference?",
    "wang_jingyi": "Who has speech recognition (ASR) experience?",
    "elena_voss": "Who has quantized diffusion models on FPGAs?",
    "hana_sato": "Who works on graph neural networks for molecular property prediction?",
    "samuel_okafor": "Who builds iOS apps in Swift and SwiftUI?",
}


def test_every_speciality_has_a_question() -> None:
    assert set(SPECIALITY_QUESTIONS) == set(fx.CORPUS_FACTS)


@pytest.mark.parametrize("key", list(SPECIALITY_QUESTIONS))
def test_the_specialist_comes_first(corpus_assistant: Assistant, key: str) -> None:
    answer = corpus_assistant.ask(SPECIALITY_QUESTIONS[key])

    assert not answer.no_match
    assert names(answer)[0] == NAME[key]
    assert assert_citations_verbatim(corpus_assistant, answer) >= 1


@pytest.mark.parametrize(("question", "key"), [
    ("Who knows Vitis HLS?", "elena_voss"),  # rare words: the keyword ranking finds them
    ("Who handled StoreKit in-app purchases?", "samuel_okafor"),
    ("Who knows Next.js?", "jane_example"),
    ("Who has used Kaldi?", "wang_jingyi"),
    ("Who knows Terraform?", "marcus_feld"),
    ("Who knows Triton?", "li_mingyuan"),
    ("Who has worked on drug discovery?", "hana_sato"),
    ("Who has accessibility experience?", "jane_example"),
])
def test_keyword_questions(corpus_assistant: Assistant, question: str, key: str) -> None:
    assert names(corpus_assistant.ask(question))[0] == NAME[key]


@pytest.mark.parametrize("disabled", ["dense", "keyword"])
def test_each_ranking_alone_still_finds_the_specialist(corpus_assistant: Assistant, disabled: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Fusion copes with one ranking returning nothing (and each ranking carries its weight)."""
    if disabled == "dense":
        monkeypatch.setattr(corpus_assistant.store, "dense_search", lambda *args, **kwargs: [])
    else:
        corpus_assistant.refresh(force=True)
        monkeypatch.setattr(corpus_assistant.index.index, "search", lambda *args, **kwargs: [])
    for key in ("samuel_okafor", "elena_voss", "hana_sato"):
        answer = corpus_assistant.ask(SPECIALITY_QUESTIONS[key])
        assert names(answer)[:1] == [NAME[key]], (disabled, key)
        assert_citations_verbatim(corpus_assistant, answer)


def test_reciprocal_rank_fusion_puts_passages_both_rankings_found_first() -> None:
    dense = [(passage("alpha", start=0, pid="d:1"), 0.5), (passage("beta", start=10, pid="d:2"), 0.4)]
    keyword = [(passage("beta", start=10, pid="d:2"), 7.0), (passage("gamma", start=20, pid="d:3"), 3.0)]

    evidence = fuse(dense, keyword, {"d:1": 0.5, "d:2": 0.4}, Query("q", [], {}), {})

    assert [e.passage.id for e in evidence] == ["d:2", "d:1", "d:3"]
    assert evidence[0].fused > evidence[1].fused > evidence[2].fused > 0
    assert [e.similarity for e in evidence] == [0.4, 0.5, 0.0]


def test_a_question_two_people_answer_lists_both(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("Who has worked on quantization?")

    assert set(names(answer)[:2]) == {NAME["elena_voss"], NAME["li_mingyuan"]}
    assert NAME["samuel_okafor"] not in names(answer) and NAME["jane_example"] not in names(answer)
    assert_citations_verbatim(corpus_assistant, answer)


def test_a_hit_lists_its_sources_and_cites_its_own_documents(corpus_assistant: Assistant,
                                                              corpus_paths) -> None:
    answer = corpus_assistant.ask(SPECIALITY_QUESTIONS["li_mingyuan"])
    hit = answer.candidates[0]

    assert hit.id == "li-ming-yuan" and hit.name_found
    assert hit.sources == [str(corpus_paths["li_mingyuan"].resolve())]
    assert {c.source for c in hit.citations} == set(hit.sources)
    assert all(c.page == 1 for c in hit.citations)
    assert any("KV Cache 量化" in c.quote for c in hit.citations)
    assert answer.summary_line().startswith(f"{len(answer.candidates)} matching candidate(s): 李明远")


# ---------------------------------------------------------------------------------------------
# Across languages


@pytest.mark.parametrize(("question", "key"), [
    ("Who did a PhD at Tsinghua?", "li_mingyuan"),  # 清华大学 … 博士
    ("Who has a doctorate?", "li_mingyuan"),
    ("Who has experience with speech recognition?", "wang_jingyi"),  # 语音识别
    ("Who worked on large language model inference?", "li_mingyuan"),  # 大模型推理
])
def test_english_questions_find_chinese_resumes(corpus_assistant: Assistant, question: str, key: str) -> None:
    answer = corpus_assistant.ask(question)

    assert names(answer)[0] == NAME[key]
    assert_citations_verbatim(corpus_assistant, answer)


def test_quantization_finds_the_chinese_resume_and_cites_the_chinese_word(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("Who has worked on quantization?")

    [li] = [hit for hit in answer.candidates if hit.name == NAME["li_mingyuan"]]
    assert any("量化" in c.quote for c in li.citations)


def test_phd_at_tsinghua_cites_the_education_line(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("Who did a PhD at Tsinghua?")

    assert names(answer) == [NAME["li_mingyuan"]]
    citation = answer.candidates[0].citations[0]
    assert citation.section == "教育背景"
    assert "清华大学" in citation.quote and "博士" in citation.quote


@pytest.mark.parametrize(("question", "key"), [
    ("谁研究图神经网络？", "hana_sato"),  # graph neural network
    ("谁会量化扩散模型？", "elena_voss"),  # quantized diffusion models
    ("谁做过药物发现？", "hana_sato"),  # drug discovery
    ("谁熟悉 Kubernetes？", "marcus_feld"),
])
def test_chinese_questions_find_english_resumes(corpus_assistant: Assistant, question: str, key: str) -> None:
    answer = corpus_assistant.ask(question)

    assert names(answer)[0] == NAME[key]
    assert_citations_verbatim(corpus_assistant, answer)


def test_chinese_frontend_question_finds_the_frontend_engineer(corpus_assistant: Assistant) -> None:
    assert names(corpus_assistant.ask("谁做过前端开发？"))[:1] == [NAME["jane_example"]]


# ---------------------------------------------------------------------------------------------
# No match


@pytest.mark.parametrize("question", [
    "Who has COBOL mainframe experience?",
    "Who has experience with blockchain smart contracts?",
    "Who is a registered nurse?",
    "谁有区块链经验？",
    "谁做过 COBOL 大型机开发？",
])
def test_nobody_matches(corpus_assistant: Assistant, question: str) -> None:
    answer = corpus_assistant.ask(question)

    assert answer.no_match and answer.candidates == []
    assert answer.summary_line() == "No one in the documents matches this question."


def test_a_skill_listed_once_in_a_chinese_question_still_matches(corpus_assistant: Assistant) -> None:
    # Kafka appears once, in Marcus Feld's skills column: a Chinese question finds it there.
    answer = corpus_assistant.ask("谁有 Kafka 经验？")

    assert names(answer) == [NAME["marcus_feld"]]
    assert "Kafka" in answer.candidates[0].citations[0].quote


# ---------------------------------------------------------------------------------------------
# Restricting to some candidates (thread follow-ups)


def test_only_restricts_the_answer_to_the_given_candidates(corpus_assistant: Assistant) -> None:
    ids = {hit.name: hit.id for hit in corpus_assistant.ask("Who has worked on quantization?").candidates}
    li, elena = ids[NAME["li_mingyuan"]], ids[NAME["elena_voss"]]

    assert names(corpus_assistant.ask("Who has worked on quantization?", only={li})) == [NAME["li_mingyuan"]]
    assert names(corpus_assistant.ask("Who has worked on quantization?", only={elena})) == [NAME["elena_voss"]]
    jane = next(c.id for c in corpus_assistant.candidates() if c.name == NAME["jane_example"])
    assert corpus_assistant.ask("Who has worked on quantization?", only={jane}).no_match
    assert corpus_assistant.ask("Who has worked on quantization?", only=set()).no_match


# ---------------------------------------------------------------------------------------------
# Citations and limits


QUESTIONS = list(SPECIALITY_QUESTIONS.values()) + [
    "Who has worked on quantization?", "Who did a PhD at Tsinghua?", "谁研究图神经网络？",
    "Who knows CUDA?", "Who has used Core Data?", "Who wrote end-to-end tests with Playwright?",
]


@pytest.mark.parametrize("limits", [
    {"quote_chars": 60, "citations_per_candidate": 1, "max_candidates": 1},
    {"quote_chars": 120, "citations_per_candidate": 2, "max_candidates": 2},
])
def test_quotes_are_verbatim_and_trimmed_within_the_limits(corpus_assistant: Assistant, limits) -> None:
    settings = make_settings(corpus_assistant.settings.data_dir, **limits)
    assistant = Assistant(settings, store=corpus_assistant.store, embeddings=corpus_assistant.embeddings)
    trimmed = total = 0
    for question in QUESTIONS:
        answer = assistant.ask(question)
        total += assert_citations_verbatim(assistant, answer)
        trimmed += sum(c.trimmed_before or c.trimmed_after for hit in answer.candidates for c in hit.citations)
    assert total >= len(QUESTIONS) - 1 and trimmed > 0  # short limits really trim


def test_default_limits_hold_on_every_question(corpus_assistant: Assistant) -> None:
    for question in QUESTIONS:
        assert_citations_verbatim(corpus_assistant, corpus_assistant.ask(question))


def test_candidates_lists_everyone_once(corpus_assistant: Assistant) -> None:
    people = corpus_assistant.candidates()

    assert sorted(p.name for p in people) == sorted(NAME.values())
    assert all(p.name_found and len(p.sources) == len(p.document_ids) == 1 for p in people)
    li = next(p for p in people if p.name == NAME["li_mingyuan"])
    assert li.id == "li-ming-yuan" and li.sections == ["教育背景", "工作经历", "项目经历", "技能"]


# ---------------------------------------------------------------------------------------------
# Quote selection on its own


LONG = ("Led the platform team. Migrated eighty services from virtual machines to Kubernetes. "
        "Wrote operators in Go, which automated failover, backups and upgrades for three hundred "
        "clusters across four regions. Built Prometheus alerting. Ran the on-call rotation.")


def passage(text: str, start: int = 100, pid: str = "doc:0") -> Passage:
    return Passage(id=pid, document_id=pid.split(":")[0], candidate_id="c", candidate_name="C", source="s.txt",
                   page=2, section="Experience", start=start, end=start + len(text), text=text)


def test_select_quote_picks_the_sentence_with_the_terms() -> None:
    c = select_quote(passage(LONG), ["prometheus", "alert"], 40)

    assert c.quote == "Built Prometheus alerting."
    assert LONG[c.start - 100:c.end - 100] == c.quote
    assert c.trimmed_before and c.trimmed_after
    assert (c.page, c.section, c.source, c.passage_id) == (2, "Experience", "s.txt", "doc:0")


def test_select_quote_grows_by_whole_sentences_and_keeps_short_passages_whole() -> None:
    grown = select_quote(passage(LONG), ["prometheus"], 120)
    assert grown.quote == "Built Prometheus alerting. Ran the on-call rotation."  # the long one does not fit
    assert grown.trimmed_before and not grown.trimmed_after
    sentences = {LONG[s:e] for s, e in segments(LONG)}
    assert all(grown.quote[s:e] in sentences for s, e in segments(grown.quote))

    whole = select_quote(passage("Go, Kubernetes, Helm"), ["helm"], 300)
    assert whole.quote == "Go, Kubernetes, Helm" and not (whole.trimmed_before or whole.trimmed_after)


def test_select_quote_cuts_a_long_sentence_at_clauses() -> None:
    c = select_quote(passage(LONG, start=0), ["backup"], 60)

    assert len(c.quote) <= 60 and "backups" in c.quote
    assert LONG[c.start:c.end] == c.quote and c.trimmed_before and c.trimmed_after


def test_select_quote_in_chinese() -> None:
    text = "负责大模型推理引擎的性能优化。主导 KV Cache 量化方案的设计与落地，显存占用降低 60%。使用 CUDA 编写算子。"
    c = select_quote(passage(text, start=7), ["量化"], 40)

    assert c.quote == "主导 KV Cache 量化方案的设计与落地，显存占用降低 60%。"
    assert text[c.start - 7:c.end - 7] == c.quote and c.trimmed_before and c.trimmed_after


# ---------------------------------------------------------------------------------------------
# The query path's shortcuts give the answers of the plain computation


def test_a_question_reads_one_snapshot_while_a_refresh_replaces_it(
        corpus_assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """A background refresh may swap the index and document map mid-question: the question goes
    on with the snapshot it started from (never an index of one state and a map of another)."""
    question = SPECIALITY_QUESTIONS["samuel_okafor"]
    expected = corpus_assistant.ask(question)
    started_with = corpus_assistant.index.current
    monkeypatch.setattr(corpus_assistant.index, "current", started_with)  # restored afterwards
    dense_search = corpus_assistant.store.dense_search

    def swapped_meanwhile(*args, **kwargs):
        corpus_assistant.index.current = Snapshot()  # what a refresh of an emptied store installs
        return dense_search(*args, **kwargs)

    monkeypatch.setattr(corpus_assistant.store, "dense_search", swapped_meanwhile)
    answer = corpus_assistant.ask(question)
    corpus_assistant.index.current = started_with

    assert answer.model_dump() == expected.model_dump()


def test_the_snapshot_indexes_sources_by_candidate_and_records_by_source(
        corpus_assistant: Assistant) -> None:
    snapshot = corpus_assistant.index.current
    records = list(snapshot.live.values())

    assert snapshot.sources == sources_by_candidate(snapshot.live)
    assert snapshot.by_source == {r.source: r for r in records}


def _expand_by_brute_force(lexicon: Lexicon, term: str, vector: np.ndarray) -> list[str]:
    """Lexicon.expand as first written: every similarity, every time."""
    own_script = lexicon.cjk if is_cjk(term) else ~lexicon.cjk
    sims = np.where(~own_script, lexicon.vectors @ vector, -1.0)
    chosen = []
    order = np.argsort(-sims)[:EXPANSIONS_PER_TERM]
    for i in order:
        if sims[i] < max(EXPANSION_SIMILARITY, sims[order[0]] - RUNNER_UP_MARGIN):
            break
        back = np.where(own_script, lexicon.vectors @ lexicon.vectors[i], -1.0).max(initial=-1.0)
        if sims[i] >= back - MUTUAL_MARGIN:
            chosen.append(lexicon.terms[i])
    return list(dict.fromkeys(chosen))


def test_lexicon_expansion_matches_the_brute_force_and_is_remembered() -> None:
    rng = np.random.default_rng(3)
    words = [f"word{i}" for i in range(60)] + [f"词{chr(0x4e00 + i)}" for i in range(40)]
    base = rng.normal(size=(20, 16))  # words share directions, so some pairs are close
    vectors = {w: base[i % 20] + 0.3 * rng.normal(size=16) for i, w in enumerate(words)}
    lexicon = Lexicon.build(set(words), lambda texts: np.asarray([vectors[t] for t in texts]), {})
    asked = list(vectors.items())[::7] + [("新词", base[3]), ("newword", base[5])]

    for term, vector in asked:
        unit = (vector / np.linalg.norm(vector)).astype(np.float32)
        expected = _expand_by_brute_force(lexicon, term, unit)
        assert lexicon.expand(term, unit) == expected
        assert lexicon.expand(term, unit) == expected  # the second time from memory
    unit = {term: (v / np.linalg.norm(v)).astype(np.float32) for term, v in asked}
    assert any(lexicon.expand(term, vector) for term, vector in unit.items())  # some expand


def test_coverage_is_the_same_for_any_superset_of_the_question_tokens() -> None:
    query = Query("q", [[Concept("kubernetes", (frozenset({"kubernet"}),)),
                         Concept("operator", (frozenset({"oper"}), frozenset({"算子"})))]],
                  {"kubernetes": 2.0, "operator": 1.0})

    assert query.coverage({"kubernet", "go", "oper"}) == 1.0
    assert query.coverage(frozenset({"kubernet", "helm"})) == pytest.approx(2 / 3)
    assert query.coverage({"算子", "helm"}) == pytest.approx(0.8 / 3)
    assert query.coverage(set()) == 0.0


# ---------------------------------------------------------------------------------------------
# Evidence of the whole document


def _evidence(pid: str, candidate: str, coverage: float, similarity: float = 0.2) -> Evidence:
    p = passage("text", pid=pid).model_copy(update={"candidate_id": candidate})
    return Evidence(p, fused=0.01, similarity=similarity, coverage=coverage, document_coverage=1.0)


def test_a_document_about_the_topic_outranks_one_passing_mention() -> None:
    """Several passages that each express the topic make a stronger candidate than one line that
    names it (a saturating sum over the document, not the best passage alone)."""
    specialist = Group("s", "S", True, [_evidence(f"s{i}:0", "s", 0.8) for i in range(4)])
    mention = Group("m", "M", True, [_evidence("m:0", "m", 1.0)])

    assert specialist.score > mention.score
    many = Group("x", "X", True, [_evidence(f"x{i}:0", "x", 0.8) for i in range(40)])
    assert many.score < specialist.score + 0.8 * 0.5 ** 4 / (1 - 0.5) + 1e-9  # it saturates


def test_similarity_counts_beside_the_pool_not_on_the_embedders_scale() -> None:
    """Another embedder's scale (here twice as spread and higher) gives the same relative
    similarities: the median passage of the pool is 0, the 90th percentile 1."""
    def pool(scale: float, shift: float) -> list[Evidence]:
        found = [_evidence(f"p{i}:0", f"c{i}", 0.0, similarity=shift + scale * i) for i in range(11)]
        set_similarity_floor(found)
        return found

    narrow, wide = pool(0.01, 0.10), pool(0.02, 0.40)
    assert [e.relative_similarity for e in narrow] == pytest.approx([e.relative_similarity for e in wide])
    assert narrow[5].relative_similarity == pytest.approx(0.0)
    assert narrow[9].relative_similarity == pytest.approx(1.0)


def test_the_relevance_bar_comes_from_the_settings(tmp_path) -> None:
    settings = make_settings(tmp_path, coverage_bar=0.6, evidence_decay=0.3)
    relevance = Relevance.of(settings)

    assert (relevance.coverage, relevance.decay) == (0.6, 0.3)
    assert Evidence(passage("x"), coverage=0.65, relevance=relevance).supports
    assert not Evidence(passage("x"), coverage=0.65).supports  # the default bar is 0.75


def test_a_line_that_stands_out_from_the_pool_supports_without_the_words() -> None:
    """On an embedder whose similarities are all low, a line far above the pool's still counts;
    a pool with no outlier gives nobody that way."""
    flat = [_evidence(f"p{i}:0", f"c{i}", 0.0, similarity=0.20 + 0.005 * (i % 10)) for i in range(30)]
    outlier = _evidence("q:0", "q", 0.0, similarity=0.43)
    set_similarity_floor(flat + [outlier])

    assert outlier.similarity < DEFAULT_RELEVANCE.strong_similarity
    assert outlier.relative_similarity >= DEFAULT_RELEVANCE.outstanding and outlier.supports
    assert not any(e.supports for e in flat)


def _lines(close: int, near: float, far: float = 0.1, count: int = 30) -> np.ndarray:
    """A document's lines: `close` of them at similarity `near`, the rest at `far`."""
    return np.array([near] * close + [far] * (count - close), dtype=np.float32)


def _group(cid: str, coverage: float = 0.5) -> Group:
    return Group(cid, cid.upper(), True, [_evidence(f"{cid}:0", cid, coverage)])


def test_many_lines_close_to_the_topic_outrank_one_close_line() -> None:
    """Several bullets about the topic (no word of the question in them) make a stronger
    candidate than one close line among unrelated ones; the sum saturates, and it does not
    depend on the embedder's scale (the lines are put beside the pool's)."""
    def ranked(scale: float, shift: float) -> list[Group]:
        lines = {cid: shift + scale * sims for cid, sims in {
            "one": _lines(1, 0.5), "many": _lines(6, 0.5), "all": _lines(30, 0.5),
            **{f"x{i}": _lines(0, 0.5) for i in range(8)}}.items()}
        return weigh_lines([_group(c) for c in lines], lines)

    groups = ranked(1.0, 0.0)
    by_id = {g.candidate_id: g for g in groups}
    assert [g.candidate_id for g in groups[:3]] == ["all", "many", "one"]
    assert by_id["many"].line_evidence > 1.9 * by_id["one"].line_evidence
    assert by_id["all"].line_evidence < 2 * by_id["one"].line_evidence + 1e-6  # saturates
    assert by_id["x0"].line_evidence == 0.0 and by_id["x0"].score == by_id["x0"].passage_score
    other = {g.candidate_id: g.line_evidence for g in ranked(2.0, 0.3)}
    assert other == pytest.approx({g.candidate_id: g.line_evidence for g in groups})


def test_line_evidence_ranks_but_keyword_evidence_still_counts_first() -> None:
    """The lines' evidence weighs `line_share` of a passage's, each line at most as much as one
    that stands out: a candidate whose passage clears the bar with the question's words keeps
    the lead over one whose lines are only close (even in a flat pool); among those who do not
    clear it, the close lines decide."""
    lines = {"words": _lines(0, 0.5), "close": _lines(3, 0.5),
             **{f"x{i}": _lines(0, 0.5) for i in range(8)}}
    groups = weigh_lines([_group("words", coverage=1.0), _group("close", coverage=0.3)]
                         + [_group(f"x{i}", coverage=0.3) for i in range(8)], lines)

    assert [g.candidate_id for g in groups[:2]] == ["words", "close"]
    assert groups[0].evidence[0].supports and not groups[1].evidence[0].supports
    cap = DEFAULT_RELEVANCE.outstanding
    assert groups[1].line_evidence == pytest.approx(cap * (1 + 0.5 + 0.25))


def test_lines_by_candidate_takes_each_lines_best_topic_over_all_documents() -> None:
    """A question with several concepts ("robotics or autonomous driving") compares each line
    with each (a column each) and keeps the best; a person's documents are pooled."""
    def doc(rows: list[list[float]]) -> LineSimilarities:
        return LineSimilarities(("p",), np.zeros(len(rows), dtype=int), np.array(rows, dtype=np.float32))

    lines = {"d1": doc([[0.1, 0.7], [0.2, 0.1]]), "d2": doc([[0.4, 0.3]]), "d3": doc([[0.9, 0.9]])}
    found = lines_by_candidate([_group("a"), _group("b")], {"a": ["d1", "d2"], "b": ["gone"]}, lines)

    assert set(found) == {"a"}
    assert found["a"].tolist() == pytest.approx([0.7, 0.2, 0.4])


def test_lines_about_the_topic_find_a_person_whose_document_never_names_it(
        corpus_assistant: Assistant) -> None:
    """The iOS developer's resume never says "mobile": their lines do."""
    answer = corpus_assistant.ask("Who has mobile app development experience?")

    assert names(answer)[:1] == [NAME["samuel_okafor"]]
    assert "mobile" not in (corpus_assistant.document_text(answer.candidates[0].sources[0]) or "").lower()
