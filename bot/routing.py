"""Which kind of request a message is: a summary of a named person, or a question about topics.

"Summarize Tianchen Zhao", "总结一下赵天辰" always ask for a card. "Tell me about X", "who is X",
"介绍一下X" ask for a card only when X names someone in the store: "who is a licensed pilot?" is
a question, and answered as one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from candidates.names import asks_for_summary_explicitly, summary_target
from retrieval.types import Summary

if TYPE_CHECKING:
    from bot.protocol import Responder


def summary_request(question: str, assistant: Responder) -> tuple[str, Summary] | None:
    """(the name asked for, its card) when the message asks for a summary, else None."""
    name = summary_target(question)
    if not name:
        return None
    summary = assistant.summary(name)
    explicit = asks_for_summary_explicitly(question)
    if explicit or summary.candidate is not None or summary.ambiguous:
        return name, summary
    return None
