"""Keyword tokens for Chinese and English mixed in one line."""

from __future__ import annotations

import pytest

from retrieval.tokens import (CHINESE, CJK_STOPWORDS, ENGLISH, STOPWORDS, is_cjk, stopword_tables,
                             tokenize)


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


# ---------------------------------------------------------------------------------------------
# Stop and soft words are data (retrieval/stopwords.toml)


def test_the_stopword_file_has_both_languages_and_no_word_in_two_lists() -> None:
    tables = stopword_tables()

    assert set(tables) == {"english", "chinese"}
    for table in tables.values():
        assert table.stop and table.soft
        assert not table.stop & table.soft
    assert CJK_STOPWORDS == tables["chinese"].bigrams
    assert all(len(bigram) == 2 for bigram in CJK_STOPWORDS)


@pytest.mark.parametrize("word", ["distributed", "mobile", "security", "finance", "kubernetes",
                                  "research", "design", "systems", "engineering", "机器学习", "运维"])
def test_domain_words_are_never_stop_words(word: str) -> None:
    assert word not in ENGLISH.stop and word not in CHINESE.stop


@pytest.mark.parametrize("word", ["experience", "worked", "who", "with", "candidates", "across"])
def test_question_scaffolding_is_stop_words(word: str) -> None:
    assert word in ENGLISH.stop


def test_soft_words_stay_out_of_the_vocabulary_like_stop_words() -> None:
    assert ENGLISH.soft <= STOPWORDS and ENGLISH.stop <= STOPWORDS
    assert {"系统", "工程"}.isdisjoint(CHINESE.soft)  # parts of 分布式系统, 软件工程: phrases keep them


def test_diacritics_are_dropped_so_a_name_typed_without_them_matches() -> None:
    assert tokenize("Boğaziçi Üniversitesi, Zürich") == tokenize("Bogazici Universitesi, Zurich")
    assert tokenize("Nguyễn Łódź Ørsted") == ["nguyen", "lodz", "orst"]
    assert tokenize("Straße") == tokenize("Strasse")
    assert tokenize("清华大学 café") == ["清华", "华大", "大学", "cafe"]  # Chinese as it is
