"""Process-wide tuning for the entry points that answer questions (the CLI, the bot, the
benchmarks): it changes how the whole interpreter behaves, so it belongs to whoever owns the
process, not to the library objects it runs."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from retrieval.embeddings import one_blas_thread_by_default

if TYPE_CHECKING:
    from bot.assistant import Assistant


def spare_from_full_collections() -> None:
    """Take what is alive now (mostly the keyword index: hundreds of thousands of objects at
    10,000 resumes) out of the cyclic garbage collector's full passes, which would otherwise walk
    all of it and stall a question for hundreds of milliseconds. Garbage cycles are collected
    first, so that nothing already dead (an old index held by a cycle) is frozen with it;
    reference counting still frees a later index once nothing uses it."""
    gc.collect()
    gc.freeze()


def tune_for_questions(assistant: Assistant) -> Assistant:
    """One BLAS thread for a question's small matrix products, and every new index kept out of
    the collector's full passes. Returns the assistant, for `tune_for_questions(Assistant(...))`."""
    one_blas_thread_by_default()
    assistant.index.after_swap = spare_from_full_collections
    return assistant
