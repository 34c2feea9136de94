"""What makes a question fast the first time it is asked, and must not change its answer: the
unit matrix beside the store (line and unit similarities without Chroma), and every vocabulary
word's best match across scripts learned once per lexicon (a question's expansions then read one
script's vectors). Each gives exactly what the slow path gives, follows the store as it changes,
and is rebuilt once for a store written before it existed."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.assistant import Assistant
from retrieval.keyword import KeywordIndex
from retrieval.lexicon import Lexicon, concepts_for
from retrieval.store import Store
from retrieval import unit_matrix
from retrieval.unit_matrix import UnitMatrix, directory
from tests.conftest import ingest, make_settings


def _topic_vectors(count: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((count, width)).astype(np.float32)


def _same_lines(a, b) -> bool:
    """Same passages, same passage of each unit, and the same similarities (a document's units
    may come in another order within a passage)."""
    return set(a) == set(b) and all(
        a[d].passage_ids == b[d].passage_ids and np.array_equal(a[d].passage_of, b[d].passage_of)
        and np.array_equal(np.sort(a[d].similarities, axis=0), np.sort(b[d].similarities, axis=0))
        for d in a)


@pytest.fixture
def served(tmp_path: Path, corpus_dir: Path, embeddings) -> Assistant:
    """The fixture corpus in a store of its own, warmed as a serving process warms it."""
    assistant = Assistant(make_settings(tmp_path / "data"), embeddings=embeddings)
    ingest(assistant, corpus_dir)
    assistant.warm()
    return assistant


def _chroma_only(settings) -> Store:
    """A store that reads every unit vector from Chroma, as before the matrix existed."""
    store = Store(settings)
    store.learn_unit_ids({r.document_id for r in store.documents()})
    return store


def test_the_unit_matrix_gives_the_similarities_chroma_gives(served: Assistant) -> None:
    settings = served.settings
    documents = sorted(served.index.live)
    matrix = UnitMatrix.load(settings)
    assert matrix is not None and not matrix.missing(documents)  # written by the warm-up
    slow = _chroma_only(settings)
    assert slow.line_similarities(_topic_vectors(1, 512)[0], documents[:1])  # it has units
    for vectors in (_topic_vectors(3, 512, seed=1), _topic_vectors(1, 512, seed=2)[0]):
        assert _same_lines(slow.line_similarities(vectors, documents),
                           served.store.line_similarities(vectors, documents))
    passages = [p.id for p in served.index.index.passages if p is not None]
    vector = _topic_vectors(1, 512, seed=3)[0]
    assert slow.unit_similarities(vector, passages) == served.store.unit_similarities(vector, passages)


def test_answers_are_the_same_with_and_without_the_matrix(served: Assistant, embeddings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unit_matrix, "MAX_EXACT_UNITS", 0)  # both ask the one HNSW graph built
    plain = Assistant(served.settings, store=_chroma_only(served.settings), embeddings=embeddings)
    plain.refresh()
    plain.store.use_unit_matrix(None)  # every line's unit vector from Chroma
    for question in ("Who has worked on speech recognition?", "谁做过大模型推理？",
                     "Who knows Kubernetes or Terraform?"):
        a, b = served.ask(question), plain.ask(question)
        assert [(h.id, h.score, [c.passage_id for c in h.citations]) for h in a.candidates] == \
            [(h.id, h.score, [c.passage_id for c in h.citations]) for h in b.candidates]


def test_the_matrix_follows_the_store_as_it_changes(served: Assistant, tmp_path: Path) -> None:
    extra = _write(tmp_path / "extra_resume.txt")
    before = set(served.index.live)
    ingest(served, extra)  # a forced refresh, as intake and ingest make
    added = set(served.index.live) - before
    assert added
    matrix = UnitMatrix.load(served.settings)
    assert matrix is not None and not matrix.missing(added)
    vectors = _topic_vectors(2, 512, seed=4)
    assert _same_lines(_chroma_only(served.settings).line_similarities(vectors, sorted(added)),
                       served.store.line_similarities(vectors, sorted(added)))
    served.store.remove(str(extra.resolve()))
    served.refresh(force=True)
    assert not (added & set(served.index.live))
    gone = served.store.line_similarities(vectors, sorted(added))  # never asked for; harmless
    assert set(gone) <= added


def test_the_exact_search_ranks_each_live_passage_once(served: Assistant) -> None:
    """`UnitMatrix.nearest` (the store's dense search while the matrix is small): every unit
    compared, a document held in two segments counted once, a removed one left out."""
    documents = sorted(served.index.live)
    matrix = UnitMatrix.load(served.settings)
    twice = matrix.extended(served.store.unit_rows(documents[:1]), set(documents), "x")
    assert len(twice.segments) == len(matrix.segments) + 1
    live = set(documents[1:])  # the first one removed
    q = _topic_vectors(1, 512, seed=6)[0]
    q /= np.linalg.norm(q)
    expected = {pid: float((twice.passage_units(pid) @ q).max())
                for d in live for pid in twice.document_units(d)[0]}
    found = twice.nearest(q, 10_000, live)
    assert [pid for pid, _ in found] and len(found) == len(expected)
    assert dict(found) == pytest.approx(expected, abs=1e-6)
    assert [sim for _, sim in found] == sorted((sim for _, sim in found), reverse=True)
    assert twice.nearest(q, 3, live) == found[:3]


def _write(path: Path) -> Path:
    path.write_text("Pat Example\nBuilt FPGA accelerators for video codecs.\n"
                    "Wrote UVM testbenches for chip verification.\n", encoding="utf-8")
    return path


def test_a_store_written_before_the_matrix_gets_one_from_a_serving_process_only(
        served: Assistant, embeddings) -> None:
    settings = served.settings
    shutil.rmtree(directory(settings))
    one_shot = Assistant(settings, embeddings=embeddings)
    one_shot.ask("Who has worked on speech recognition?")  # the implicit first refresh
    assert UnitMatrix.load(settings) is None  # a one-shot command builds no big cache
    serving = Assistant(settings, embeddings=embeddings)
    serving.warm()
    matrix = UnitMatrix.load(settings)
    assert matrix is not None and not matrix.missing(serving.index.live)
    later = Assistant(settings, embeddings=embeddings)
    later.ask("Who has worked on speech recognition?")
    assert later.store._matrix is not None  # a one-shot command reads the saved one


def test_rows_read_while_the_store_changed_are_not_kept(served: Assistant) -> None:
    settings = served.settings
    shutil.rmtree(directory(settings))
    live = set(served.index.live)
    kept = UnitMatrix.empty(settings).extended(served.store.unit_rows(sorted(live)), live, "x",
                                               unchanged=lambda: False)
    assert kept is None and UnitMatrix.load(settings) is None


def test_merged_segments_keep_only_live_documents(served: Assistant) -> None:
    settings = served.settings
    shutil.rmtree(directory(settings))
    documents = sorted(served.index.live)
    matrix = UnitMatrix.empty(settings)
    for document_id in documents:  # one segment each: more than the merge limit
        matrix = matrix.extended(served.store.unit_rows([document_id]), set(documents), "x")
    assert len(matrix.segments) <= 8 and not matrix.missing(documents)
    vectors = _topic_vectors(2, 512, seed=5)
    fresh = _chroma_only(settings)
    served.store.use_unit_matrix(UnitMatrix.load(settings))
    assert _same_lines(fresh.line_similarities(vectors, documents),
                       served.store.line_similarities(vectors, documents))
    smaller = matrix.extended([], set(documents[:2]), "y")  # most documents removed: merged
    assert len(smaller.segments) == 1 and smaller.missing(documents) == documents[2:]


# --- the lexicon's best matches across scripts ---------------------------------------------

def _lexicon(words: list[str], embeddings) -> Lexicon:
    vectors = np.asarray(embeddings.embed_documents(words), dtype=np.float32)
    return Lexicon.build(set(words), lambda texts: vectors[[words.index(t) for t in texts]], {})


WORDS = ["speech recognition", "recognition", "Kubernetes", "quantization", "quantum computing",
         "Tencent", "frontend", "finance", "bank", "语音识别", "量化", "量子计算", "腾讯", "前端",
         "金融", "银行", "推荐系统", "recommender systems"]


def test_learned_matches_across_equal_those_worked_out_per_question(embeddings) -> None:
    lexicon = _lexicon(WORDS, embeddings)
    lazy = Lexicon(terms=lexicon.terms, vectors=lexicon.vectors, cjk=lexicon.cjk)
    worked_out = lazy._best_across(set(range(len(lexicon.terms))))
    lexicon.learn_across()
    assert np.allclose(lexicon.across, [worked_out[i] for i in range(len(lexicon.terms))], atol=1e-6)
    for row, partner in enumerate(lexicon.partner):
        assert lexicon.cjk[row] != lexicon.cjk[partner]
    embed = lambda texts: np.asarray(embeddings.embed_documents(texts), dtype=np.float32)  # noqa: E731
    for question in ("Who has worked on speech recognition?", "谁做过量子计算？",
                     "Who has finance or banking experience?", "谁有推荐系统经验？"):
        plain = Lexicon(terms=lexicon.terms, vectors=lexicon.vectors, cjk=lexicon.cjk)
        by_column = Lexicon(terms=lexicon.terms, vectors=lexicon.vectors, cjk=lexicon.cjk,
                            across=lexicon.across, partner=lexicon.partner)
        by_column.keep_columns()
        assert concepts_for(question, plain, embed) == concepts_for(question, lexicon, embed) \
            == concepts_for(question, by_column, embed)


def test_the_column_copy_gives_the_same_nearest_words(embeddings) -> None:
    """The same words in the same order; the similarities agree to float32 rounding (whether
    BLAS multiplies by rows or by columns in the same order depends on the OpenBLAS build)."""
    lexicon = _lexicon(WORDS, embeddings)
    vectors = np.asarray(embeddings.embed_documents(["语音识别", "量子计算", "金融"]), dtype=np.float32)
    plain = [lexicon._nearest_of_other_script(True, vectors[:k]) for k in (1, 2, 3)]
    lexicon.keep_columns()
    by_column = [lexicon._nearest_of_other_script(True, vectors[:k]) for k in (1, 2, 3)]
    rows = lambda found: [[[row for row, _ in term] for term in batch] for batch in found]  # noqa: E731
    sims = lambda found: [sim for batch in found for term in batch for _, sim in term]  # noqa: E731
    assert rows(by_column) == rows(plain)
    assert np.allclose(sims(by_column), sims(plain), rtol=0, atol=1e-6)


def test_learned_matches_follow_words_added_and_removed(embeddings) -> None:
    full = _lexicon(WORDS, embeddings)
    full.learn_across()
    for kept in (WORDS[:6] + WORDS[9:14], WORDS[1:]):  # partners removed; words added back
        smaller = _lexicon(kept, embeddings)
        smaller.learn_across(full)
        fresh = _lexicon(kept, embeddings)
        fresh.learn_across()
        assert np.allclose(smaller.across, fresh.across, atol=1e-6)
        grown = _lexicon(WORDS, embeddings)
        grown.learn_across(smaller)
        assert np.allclose(grown.across, full.across, atol=1e-6)


def test_the_keyword_cache_keeps_them_and_older_caches_still_load(served: Assistant) -> None:
    path = served.index.index_path
    saved = KeywordIndex.load(path)
    assert saved is not None and saved.lexicon.across is not None
    assert np.array_equal(saved.lexicon.across, served.index.index.lexicon.across)
    folder = path.with_name(str(KeywordIndex.about(path)["folder"]))
    for name in ("lexicon_across.npy", "lexicon_partner.npy"):  # as older code wrote it
        (folder / name).unlink()
    older = KeywordIndex.load(path)
    assert older is not None and older.lexicon.across is None
    served.index.current = type(served.index.current)()  # a new serving process
    served.warm()
    assert KeywordIndex.load(path).lexicon.across is not None  # learned once, saved
