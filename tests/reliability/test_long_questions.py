"""One user's very long message does not hold the embedder for everyone (issue: four 39k-character
messages made a normal question wait 296 s: every new term was embedded under one lock)."""

from __future__ import annotations

import numpy as np

from bot.assistant import MAX_QUESTION_CHARS, _QuestionVectors, clip_question


class CountingEmbeddings:
    queries_like_documents = True

    def __init__(self) -> None:
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return [[1.0, 0.0, 0.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        self.embedded += 1
        return [1.0, 0.0, 0.0]


def test_a_question_embeds_a_bounded_number_of_new_terms() -> None:
    embedder = CountingEmbeddings()
    terms = [f"term{i}" for i in range(5_000)]
    vectors = _QuestionVectors("q " * 10, embedder, {}).of_terms(terms)
    assert vectors.shape == (5_000, 3)
    assert embedder.embedded <= _QuestionVectors.MAX_NEW_TERMS + 1
    assert not np.any(vectors[-1])  # past the cap: no expansion, not an error
    print(f"5,000 new terms: {embedder.embedded} texts embedded")


def test_a_long_message_is_cut_and_the_answer_says_so(corpus_assistant) -> None:
    long = "who knows React and TypeScript? " + "lorem ipsum dolor " * 3_000
    assert len(clip_question(long)) <= MAX_QUESTION_CHARS
    answer = corpus_assistant.ask(long)
    assert answer.notice and "first 2,000 characters" in answer.notice
    assert corpus_assistant.ask("who knows React and TypeScript?").notice is None
