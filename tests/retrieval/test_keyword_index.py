"""The keyword index: BM25 scores equal to bm25s's, and incremental updates (documents added,
removed, relabelled) that leave it exactly as a fresh build of the same documents would be."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import numpy as np
import pytest

from retrieval.keyword import KeywordIndex, _indexed_text
from retrieval.tokens import tokenize
from tests.keyword_corpus import Documents, build_index, split_resumes, update_index


def fake_embed(texts: list[str]) -> np.ndarray:
    """A stable vector per text (the lexicon only needs vectors, not good ones, here)."""
    out = np.zeros((len(texts), 8), dtype=np.float32)
    for i, t in enumerate(texts):
        digest = hashlib.sha1(t.encode("utf-8")).digest()
        out[i] = np.frombuffer(digest[:8], dtype=np.uint8).astype(np.float32) + 1.0
    return out


@pytest.fixture(scope="module")
def documents() -> Documents:
    """60 generated resumes (English and Chinese), split by the real pipeline."""
    return split_resumes(60, seed=3)


def build(documents, ids) -> KeywordIndex:
    return build_index(documents, ids, fake_embed)


def update(index: KeywordIndex, documents, ids, fingerprint="fp2") -> KeywordIndex:
    return update_index(index, documents, ids, fake_embed, fingerprint)


def scores_by_passage(index: KeywordIndex, terms: list[str]) -> dict[str, float]:
    scores = index.scores([t for t in terms if index.document_frequency.get(t)])
    return {p.id: float(scores[slot]) for slot, p in enumerate(index.passages) if p is not None}


def queries(index: KeywordIndex, count: int = 80) -> list[list[str]]:
    rng = random.Random(5)
    vocab = sorted(index.document_frequency)
    return [rng.sample(vocab, rng.randrange(1, 7)) for _ in range(count)] + \
        [tokenize("speech recognition Kaldi"), tokenize("语音识别 推荐系统"), tokenize("Python SQL")]


def test_scores_equal_bm25s(documents) -> None:
    bm25s = pytest.importorskip("bm25s")
    passages = [p for _, ps in documents.values() for p in ps]
    index = KeywordIndex.build(passages, "fp", fake_embed, {})
    reference = bm25s.BM25()
    reference.index([tokenize(_indexed_text(p)) or ["\u0000"] for p in passages], show_progress=False)
    for terms in queries(index):
        known = [t for t in terms if t in reference.vocab_dict and t]
        if known:
            assert np.array_equal(index.scores(known), reference.get_scores(known))
            ours = [p.id for p, _ in index.search(known, 60)]
            theirs = [passages[i].id for i in np.argsort(-reference.get_scores(known))[:60]
                      if reference.get_scores(known)[i] > 0]
            assert ours == theirs


def test_an_updated_index_equals_a_fresh_build(documents) -> None:
    ids = list(documents)
    first, second = ids[:40], ids[15:60]  # 15 removed, 20 added, 25 kept
    old = build(documents, first)
    before = {p.id for p in old.passages if p is not None}

    index = update(old, documents, second)
    fresh = build(documents, second)

    assert index is not old and {p.id for p in old.passages if p is not None} == before  # untouched

    assert index.fingerprint == "fp2"
    assert index.live_count == fresh.live_count == sum(len(documents[d][1]) for d in second)
    assert index.document_frequency == fresh.document_frequency
    assert index.document_tokens == fresh.document_tokens
    assert index.lexicon.terms == fresh.lexicon.terms
    assert np.array_equal(index.lexicon.vectors, fresh.lexicon.vectors)
    assert set(index.position) == set(fresh.position)
    for terms in queries(fresh):
        assert scores_by_passage(index, terms) == pytest.approx(scores_by_passage(fresh, terms), rel=1e-6)
        assert {p.id for p, _ in index.search(terms, 1000)} == {p.id for p, _ in fresh.search(terms, 1000)}
        assert index.idf(terms[0]) == fresh.idf(terms[0])
    removed = set(first) - set(second)
    assert not any(p.document_id in removed for terms in queries(index, 20) for p, _ in index.search(terms, 500))


def test_nothing_changed_is_cheap_and_false(documents) -> None:
    ids = list(documents)[:10]
    index = build(documents, ids)
    fetched = []
    live = {d: documents[d][0] for d in ids}
    assert index.update(live, "fp-same", lambda records: fetched.extend(records) or [], fake_embed) is None
    assert fetched == [] and index.fingerprint == "fp-same"


def test_many_small_updates_merge_segments_and_drop_dead_postings(documents) -> None:
    ids = list(documents)
    index = build(documents, ids[:5])
    for k in range(6, 40):  # one document in, and every third step one out
        live = ids[:k] if k % 3 else ids[1:k]
        index = update(index, documents, live)
    final = ids[1:39] if 39 % 3 == 0 else ids[:39]
    fresh = build(documents, final)
    assert len(index.segments) <= 8
    assert index.document_frequency == fresh.document_frequency
    for terms in queries(fresh, 30):
        assert scores_by_passage(index, terms) == pytest.approx(scores_by_passage(fresh, terms), rel=1e-6)


def test_a_renamed_candidate_relabels_passages_without_refetching(documents) -> None:
    ids = list(documents)[:6]
    index = build(documents, ids)
    record = documents[ids[0]][0]
    renamed = record.model_copy(update={"candidate_id": "someone-else", "candidate_name": "Someone Else"})
    live = {d: documents[d][0] for d in ids} | {record.document_id: renamed}

    index = index.update(live, "fp3", lambda records: pytest.fail("nothing to fetch"), fake_embed)
    mine = [p for p in index.passages if p is not None and p.document_id == record.document_id]
    assert mine and all(p.candidate_id == "someone-else" and p.candidate_name == "Someone Else"
                        for p in mine)


def test_the_disk_cache_round_trips_and_refuses_other_formats(documents, tmp_path: Path) -> None:
    ids = list(documents)[:8]
    index = build(documents, ids)
    path = tmp_path / "keyword" / "resumes.json"
    index.save(path)
    loaded = KeywordIndex.load(path)
    assert loaded is not None and loaded.fingerprint == "fp"
    terms = tokenize("Python Kubernetes 推荐系统")
    assert [p.id for p, _ in loaded.search(terms, 20)] == [p.id for p, _ in index.search(terms, 20)]
    index.format = -1
    index.save(path)
    assert KeywordIndex.load(path) is None
    path.write_bytes(b"not json")
    assert KeywordIndex.load(path) is None
    assert not list(path.parent.glob("*.pkl"))  # JSON and .npy only: loading runs no code


def test_traditional_chinese_is_read_as_simplified() -> None:
    """A resume from Taipei writes 醫療 and 系統; a recruiter in Beijing types 医疗 and 系统."""
    from retrieval.tokens import tokenize

    assert tokenize("負責醫院掛號系統開發") == tokenize("负责医院挂号系统开发")
    assert tokenize("Python 與 Go") == tokenize("Python 与 Go")


def _assistant_reading(make_assistant, folder, resumes: dict[str, str]):
    """An assistant whose store holds these fictional resumes (file name → Markdown)."""
    from tests.conftest import ingest

    folder.mkdir()
    for name, text in resumes.items():
        (folder / name).write_text(text, encoding="utf-8")
    assistant = make_assistant()
    assert not ingest(assistant, folder).failed
    return assistant


def test_a_traditional_chinese_resume_answers_a_simplified_question(make_assistant, tmp_path) -> None:
    assistant = _assistant_reading(make_assistant, tmp_path / "people", {
        "lin-mei-hua.md": "# 林美華\n\n## 工作經歷\n\n### 全端工程師 - 北辰綜合醫院 (2018/04 ~ 2021/05)\n\n"
                          "- 負責醫療掛號系統與住院系統的開發與維護\n",
        "zhou-jian.md": "# 周健\n\n## 工作经历\n\n### 后端工程师 - 星河电商 (2019/03 ~ 2023/06)\n\n"
                        "- 负责订单系统与支付接口的开发\n"})

    answer = assistant.ask("谁做过医疗系统开发？")

    assert [hit.name for hit in answer.candidates][:1] == ["林美華"]
    assert any("醫療" in c.quote for c in answer.candidates[0].citations)  # quoted as written


def test_a_question_in_traditional_chinese_is_read_like_one_in_simplified(make_assistant,
                                                                          tmp_path) -> None:
    """誰做過後端開發？ is 谁做过后端开发？: the topic table's 后端开发 and its terms apply."""
    assistant = _assistant_reading(make_assistant, tmp_path / "people", {
        "zhou-jian.md": "# 周健\n\n## 工作经历\n\n### 工程师 - 星河电商 (2019/03 ~ 2023/06)\n\n"
                        "- 用 Spring Boot 开发订单与支付微服务\n",
        "he-li.md": "# 何丽\n\n## 工作经历\n\n### 设计师 - 青禾设计 (2019/03 ~ 2023/06)\n\n"
                    "- 负责品牌视觉与包装设计\n"})

    names = [hit.name for hit in assistant.ask("誰做過後端開發？").candidates]

    assert names == [hit.name for hit in assistant.ask("谁做过后端开发？").candidates] == ["周健"]


def test_without_the_character_table_traditional_chinese_is_read_as_written(monkeypatch) -> None:
    """Another package named opencc (the C++ bindings) has no table file: ingest and search go
    on, with Traditional characters read as written, and a warning says why."""
    import importlib.resources

    from retrieval import tokens

    def missing(package: str):
        raise ModuleNotFoundError(package)

    tokens._simplified.cache_clear()
    monkeypatch.setattr(importlib.resources, "files", missing)
    try:
        assert tokens.tokenize("醫療系統") == ["醫療", "療系", "系統"]
    finally:
        monkeypatch.undo()
        tokens._simplified.cache_clear()
    assert tokens.tokenize("醫療系統") == ["医疗", "疗系", "系统"]
