"""Odd input reaches a clear outcome: control characters in file names, a lone surrogate in a
question (issue: forged output lines; UnicodeEncodeError)."""

from __future__ import annotations

import io

from rich.console import Console

from bot.terminal import print_outcome, printable
from retrieval.types import FileOutcome


def test_a_file_name_cannot_forge_lines_or_drive_the_terminal() -> None:
    name = "cv\n    added  forged.pdf\x1b[2J.txt"
    out = io.StringIO()
    print_outcome(Console(file=out, width=200, color_system=None),
                  FileOutcome(source=f"/r/{name}", status="failed", message="empty file"))
    text = out.getvalue()
    assert text.count("\n") == 1 and "\x1b" not in text
    assert "\\n" in text and "\\x1b" in text
    assert printable("李明远.pdf") == "李明远.pdf"


def test_a_lone_surrogate_in_a_question_is_answered(corpus_assistant) -> None:
    answer = corpus_assistant.ask("who knows React\udcff and TypeScript?")
    assert answer.question == "who knows React? and TypeScript?"
    answer.model_dump_json().encode("utf-8")  # shown anywhere without an encoding error
