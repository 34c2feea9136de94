"""What a refresh keeps in memory while the old snapshot still serves: the new keyword index
shares what did not change with the old one, the old lexicon's copy by column is let go before
the new lexicon is built, the unit matrix's maps are extended rather than built again, and the
keyword cache is written piece by piece with the text a one-piece write gives."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from retrieval import keyword, lexicon as lexicon_module
from retrieval.keyword import KeywordIndex, _passage_row
from retrieval.settings import Settings
from retrieval.unit_matrix import UnitMatrix
from tests.keyword_corpus import Documents, build_index, split_resumes, update_index


def fake_embed(texts: list[str]) -> np.ndarray:
    """A stable unit vector per text (the lexicon needs vectors, not good ones, here)."""
    out = np.zeros((len(texts), 8), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = np.frombuffer(hashlib.sha1(t.encode("utf-8")).digest()[:8], dtype=np.uint8) - 127.5
    return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def documents() -> Documents:
    return split_resumes(30, seed=11)


def build(documents, ids) -> KeywordIndex:
    return build_index(documents, ids, fake_embed)


def update(index: KeywordIndex, documents, ids, fingerprint="fp2") -> KeywordIndex:
    return update_index(index, documents, ids, fake_embed, fingerprint)


def test_an_update_shares_the_unchanged_postings_and_drops_the_old_column_copy(documents) -> None:
    ids = list(documents)
    old = build(documents, ids[:20])
    old.lexicon.keep_columns()
    vector = fake_embed(["speech recognition"])[0]
    before = old.lexicon._nearest_of_other_script(False, np.stack([vector, vector]))

    new = update(old, documents, ids[:21])

    assert all(a is b for a, b in zip(new.segments, old.segments))  # only one segment added
    assert len(new.segments) == len(old.segments) + 1
    assert new.lexicon is not old.lexicon
    assert "_columns" not in old.lexicon.__dict__ and "_columns" not in new.lexicon.__dict__
    # the old index still answers as it did, from its rows
    assert old.lexicon._nearest_of_other_script(False, np.stack([vector, vector])) == before


def test_matches_across_carried_block_by_block_equal_those_learned_at_once(documents,
                                                                           monkeypatch) -> None:
    ids = list(documents)
    old = build(documents, ids[:20])
    whole = update(old, documents, ids[:26])
    monkeypatch.setattr(lexicon_module, "_ACROSS_BLOCK_CELLS", 64)  # blocks of 8 words
    blocked = update(old, documents, ids[:26])
    fresh = build(documents, ids[:26])
    assert blocked.lexicon.terms == fresh.lexicon.terms
    assert np.array_equal(blocked.lexicon.partner, whole.lexicon.partner)
    assert np.allclose(blocked.lexicon.across, whole.lexicon.across, atol=1e-6)
    assert np.allclose(blocked.lexicon.across, fresh.lexicon.across, atol=1e-6)


def test_the_cache_written_in_pieces_is_the_one_piece_text(documents, tmp_path: Path,
                                                            monkeypatch) -> None:
    monkeypatch.setattr(keyword, "_STATE_CHUNK", 7)  # many pieces, of every part
    index = update(build(documents, list(documents)[:12]), documents, list(documents)[3:15])
    path = tmp_path / "keyword" / "x.json"
    index.save(path)
    folder = path.with_name(json.loads(path.read_text(encoding="utf-8"))["folder"])
    state = {"passages": [_passage_row(p) for p in index.passages],
             "document_frequency": index.document_frequency, "term_counts": index.term_counts,
             "document_tokens": {d: sorted(t) for d, t in index.document_tokens.items()},
             "lexicon_terms": index.lexicon.terms,
             "segment_rows": [list(seg.rows) for seg in index.segments]}
    assert (folder / "state.json").read_text(encoding="utf-8") == \
        json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    loaded = KeywordIndex.load(path)
    assert loaded.document_frequency == index.document_frequency
    assert loaded.passages == index.passages and loaded.lexicon.terms == index.lexicon.terms


def _rows(document_id: str, passages: int, seed: int):
    rng = np.random.default_rng(seed)
    return document_id, [(f"{document_id}:{p}", rng.standard_normal((2 + p, 4)).astype(np.float32))
                         for p in range(passages)]


def test_an_extended_unit_matrix_shares_the_old_entries_and_reads_as_loaded(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)
    first = [_rows(f"doc{i}", 3, i) for i in range(4)]
    old = UnitMatrix.empty(settings).extended(first, {d for d, _ in first}, "fp1")
    added = [_rows("doc9", 2, 9)]
    live = {d for d, _ in first + added}

    new = old.extended(added, live, "fp2")

    assert all(new._passages[pid] is old._passages[pid] for pid in old._passages)
    loaded = UnitMatrix.load(settings)
    assert new._documents.keys() == loaded._documents.keys()
    for document_id, passages in first + added:
        ids, owners, vectors = new.document_units(document_id)
        assert ids == loaded.document_units(document_id)[0] == tuple(p for p, _ in passages)
        assert np.array_equal(vectors, np.vstack([v for _, v in passages]))
        assert np.array_equal(owners, loaded.document_units(document_id)[1])
    assert "doc9" not in old and "doc9" in new
