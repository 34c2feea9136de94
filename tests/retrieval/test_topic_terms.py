"""Topic questions reach the specific words resumes use for a field (retrieval/topics.toml):
"mobile" is answered by a line about an iPhone app though no line says "mobile"."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from bot.assistant import Assistant
from retrieval.lexicon import Lexicon, _spellings, _word_concept, concepts_for, narrower_terms
from retrieval.tokens import STOPWORDS, sentence_tokens, tokenize
from tests.conftest import ingest
from tests.fixtures import write_mobile_and_backend_people

TABLE = Path(__file__).parents[2] / "retrieval" / "topics.toml"


def _rows() -> list[dict]:
    with TABLE.open("rb") as f:
        return tomllib.load(f)["topic"]


def _no_vectors(texts: list[str]) -> np.ndarray:
    return np.zeros((len(texts), 4), dtype=np.float32)


def test_every_field_has_names_and_specific_terms() -> None:
    for row in _rows():
        assert row["names"] and row["terms"], row
        for term in row["terms"]:
            words = {w.lower() for w in term.split()}  # as the vocabulary reads them: unstemmed
            assert tokenize(term) and not words <= STOPWORDS, term  # a term says something alone


def test_no_term_shares_its_stem_with_another_fields_name() -> None:
    """"securities" and "security" stem alike: such a term would answer the other field."""
    rows = _rows()
    for i, row in enumerate(rows):
        for term in row["terms"]:
            for j, other in enumerate(rows):
                if i != j:
                    clash = {n for n in other["names"] if set(_spellings(term)) & set(_spellings(n))
                             and n.lower() != term.lower()}  # a sub-field's name is its field's term
                    assert not clash, (term, clash)


@pytest.mark.parametrize("asked", ["mobile", "Mobile", "mobile apps", "移动端"])
def test_a_field_is_found_by_any_of_its_names(asked: str) -> None:
    found = narrower_terms(asked)
    assert "iOS" in found and "Android" in found and "安卓" in found


def test_a_word_that_names_no_field_has_no_terms() -> None:
    assert narrower_terms("Terraform") == ()
    assert narrower_terms("iOS") == ()  # the specific word does not widen to its field


def test_a_specific_term_expresses_the_field_in_full() -> None:
    concept = _word_concept("mobile", Lexicon(), np.zeros(4, dtype=np.float32))
    assert concept is not None
    assert concept.found_in(set(sentence_tokens("Shipped the retailer's iPhone application"))) == 1.0
    assert concept.found_in(set(sentence_tokens("React Native client for field staff"))) == 1.0
    assert concept.found_in(set(sentence_tokens("Native speaker of Spanish"))) == 0.0  # both words


def test_a_field_named_by_a_phrase_is_one_concept() -> None:
    (segment,) = concepts_for("Who has worked on computer networking?", Lexicon(), _no_vectors)
    assert [c.label for c in segment] == ["computer networking"]
    assert segment[0].found_in(set(sentence_tokens("Wrote a user-space TCP stack with DPDK"))) == 1.0
    (segment,) = concepts_for("谁做过计算机网络？", Lexicon(), _no_vectors)
    assert any(c.found_in(set(sentence_tokens("实现了 RDMA 传输层"))) == 1.0 for c in segment)


def test_the_mobile_developer_is_found_though_no_line_says_mobile(make_assistant, tmp_path: Path) -> None:
    people = write_mobile_and_backend_people(tmp_path / "people")
    assistant: Assistant = make_assistant()
    assert not ingest(assistant, people).failed

    answer = assistant.ask("Who has worked on mobile app development?")

    assert [hit.name for hit in answer.candidates][:1] == ["Nadia Okoro"]
    assert "Tomas Berg" not in [hit.name for hit in answer.candidates]
    quote = answer.candidates[0].citations[0].quote
    assert any(word in quote for word in ("iPhone", "Android", "Swift", "Kotlin"))


def test_a_field_name_inside_a_phrase_brings_no_field_terms() -> None:
    """语音 names the speech field, but 语音识别 is not "TTS" + 识别: the phrase's parts are
    written together by their own words (a combination with a field's whole vocabulary matched
    far too much, and its commonest spelling set the concept's rarity)."""
    assert narrower_terms("语音")
    [[concept]] = concepts_for("谁做过语音识别？", Lexicon(), _no_vectors)
    assert not any("tts" in alt or "kaldi" in alt for alt in concept.alternatives)
    assert frozenset({"asr"}) in concept.alternatives  # its own alias still


@pytest.mark.parametrize(("question", "name"), [
    ("谁做过AI安全？", "AI安全"), ("谁做过 GPU 编程？", "GPU编程"), ("谁做过可信AI？", "可信AI"),
])
def test_a_name_across_scripts_is_read_whole(question: str, name: str) -> None:
    """AI安全 is AI safety, not AI + 安全 (which is computer security)."""
    [[concept]] = concepts_for(question, Lexicon(), _no_vectors)
    assert concept.label == name and concept.specific
    assert not any("fuzz" in alt for alt in concept.alternatives)


def test_a_one_part_name_is_not_that_part_alone() -> None:
    """图学习 drops the single character 图; 学习 alone is not graph learning."""
    [[concept]] = concepts_for("谁做过图学习？", Lexicon(), _no_vectors)
    assert concept.found_in(frozenset({"学习", "深度"})) == 0.0


def test_a_fields_own_name_is_not_one_of_its_specific_terms() -> None:
    concept = _word_concept("statistics", Lexicon(), np.zeros(4, dtype=np.float32))
    assert concept.specific and all("statist" not in alt for alt in concept.specific)


@pytest.mark.parametrize("question", ["Who has done knowledge distillation for model compression?",
                                      "Which candidates have experience with knowledge distillation?"])
def test_a_fields_term_written_in_two_words_is_the_requirement_not_its_field(question: str) -> None:
    """"knowledge distillation" is one of model compression's terms: read as one concept it is the
    narrower of the two and stays; read as two words it was taken for the field's name, and
    anyone who compresses models answered a question about distillation."""
    [segment] = concepts_for(question, Lexicon(), _no_vectors)
    assert [c.label.lower() for c in segment] == ["knowledge distillation"]


def test_a_phrase_of_the_table_is_found_where_its_words_stand_together() -> None:
    concept = _word_concept("LLM inference", Lexicon(), np.zeros(4, dtype=np.float32))
    assert concept is not None
    assert concept.found_in(sentence_tokens("Added continuous batching to the serving stack")) == 1.0
    # the two words apart, or the other way round, are two things said, not the phrase
    assert concept.found_in(sentence_tokens(
        "Collected batches of user feedback for a continual learning setup")) == 0.0
    assert concept.found_in(sentence_tokens("Batching is continuous here")) == 0.0


def test_a_phrase_may_hold_a_word_or_two_between_its_words() -> None:
    from retrieval.tokens import phrase_tokens, tokenize

    assert "model parallel" in phrase_tokens(tokenize("model and data parallelism"))
    assert "heterogen graph" not in phrase_tokens(tokenize("heterogeneous modules as dataflow graphs"))
    assert not phrase_tokens(tokenize("模型并行"))  # Chinese bigrams already hold words together


def test_a_paper_at_the_fields_own_venue_is_work_in_the_field() -> None:
    """A CV lists its SIGMOD papers, never the words "database internals" (`venues`)."""
    (segment,) = concepts_for("Who has worked on storage engines?", Lexicon(), _no_vectors)
    paper = set(sentence_tokens("Adaptive compression for column stores. SIGMOD 2021"))
    assert any(c.found_in(paper) == 1.0 for c in segment)
    (segment,) = concepts_for("谁做过计算机视觉？", Lexicon(), _no_vectors)
    assert any(c.found_in(set(sentence_tokens("Reviewer for CVPR and ECCV"))) == 1.0 for c in segment)
    assert "SIGMOD" not in narrower_terms("computer vision")  # a venue names one field only


def test_every_venue_is_a_name_with_no_everyday_sense() -> None:
    """Venues are written as their acronyms or names; a common word would make everyone match."""
    for row in _rows():
        for venue in row.get("venues", []):
            assert tokenize(venue) and venue.lower() not in STOPWORDS, venue
            assert venue not in row["terms"], venue  # listed once
