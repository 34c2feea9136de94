"""A question asked again gets the same answer: the question's vector never depends on what else
the embedder was given in the same call (an embedder's output moves in its last bits with the
other texts of its batch; a score at a threshold can tip on that)."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from bot.assistant import Assistant


class BatchSensitive(Embeddings):
    """The real embedder, with each vector moved a little by the size of its batch (as a batched
    model's rounding does, here large enough to show in the scores)."""

    def __init__(self, inner: Embeddings):
        self.inner = inner

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        shift = 2e-5 * (len(texts) - 1)
        return [[x + shift for x in v] for v in self.inner.embed_documents(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def test_a_question_asked_twice_gets_the_same_answer_and_scores(corpus_assistant: Assistant) -> None:
    assistant = Assistant(corpus_assistant.settings, store=corpus_assistant.store,
                          embeddings=BatchSensitive(corpus_assistant.embeddings))
    for question in ("Who has worked on KV cache quantization?", "谁做过大模型推理？"):
        first, again = assistant.ask(question), assistant.ask(question)  # terms now remembered

        assert [(h.id, h.score) for h in first.candidates] == [(h.id, h.score) for h in again.candidates]
        assert first.candidates  # the comparison is not vacuous
