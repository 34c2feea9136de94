"""Keyword tokens for Chinese and English mixed in one line."""

from __future__ import annotations

import pytest

from retrieval.tokens import is_cjk, tokenize


def test_mixed_chinese_and_english_line() -> None:
    assert tokenize("KV Cache 稀疏与量化的联合压缩") == [
        "kv", "cach", "稀疏", "疏与", "与量", "量化", "化的", "的联", "联合", "合压", "压缩"]


def test_a_chinese_query_word_matches_inside_a_run() -> None:
    line = set(tokenize("主导 KV Cache 量化方案的设计与落地"))
    assert set(tokenize("量化")) <= line
    assert set(tokenize("KV cache")) <= line
    assert not set(tokenize("语音识别")) <= line


def test_chinese_runs_without_spaces_next_to_latin_words() -> None:
    assert tokenize("使用CUDA和Triton编写算子") == ["使用", "cuda", "和", "triton", "编写", "写算", "算子"]


def test_a_lone_chinese_character_stays_a_token() -> None:
    assert tokenize("我 是 Go") == ["我", "是", "go"]


@pytest.mark.parametrize(("text", "tokens"), [
    ("front-end", ["frontend", "front", "end"]),  # joined and parts: "frontend" matches too
    ("C++ and C#", ["c++", "and", "c#"]),
    ("Next.js", ["next.js"]),
    ("TensorRT-LLM", ["tensorrtllm", "tensorrt", "llm"]),
    ("2.3 倍", ["2.3", "倍"]),
    ("熟悉Ｐｙｔｈｏｎ３", ["熟悉", "python3"]),  # full-width Latin and digits are the same words
])
def test_latin_tokens(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_english_words_are_lower_cased_and_stemmed() -> None:
    assert len(set(tokenize("quantization Quantized QUANTIZING"))) == 1
    assert tokenize("Kubernetes operators") == tokenize("kubernetes operator")
    assert tokenize("PhD 博士") == ["phd", "博士"]


def test_punctuation_and_empty_text_give_nothing() -> None:
    assert tokenize("") == []
    assert tokenize(" ，。、|•— ") == []


def test_is_cjk() -> None:
    assert is_cjk("KV Cache 量化") and is_cjk("清华")
    assert not is_cjk("KV Cache") and not is_cjk("")
