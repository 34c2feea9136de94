"""`make demo`: ingest the example resumes, answer sample questions, then take questions live.

Runs on embedded defaults: local Chroma under --data-dir, the bundled embedder, no Slack, no LLM.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from bot.terminal import print_answer, print_outcome, print_report, print_summary
from ingest.pipeline import ingest_paths
from bot.assistant import Assistant
from bot.process import tune_for_questions
from retrieval.settings import Settings

SAMPLE_QUESTIONS = [
    "Who has worked on KV cache quantization?",
    "谁做过语音识别？",
    "Who has a PhD from Tsinghua?",
    "Who has built Kubernetes operators?",
    "Who has COBOL mainframe experience?",
    "Summarize Li Mingyuan",
]


def answer_one(console: Console, assistant: Assistant, question: str) -> None:
    response = assistant.respond(question)
    if response.kind == "summary":
        print_summary(console, response.summary, response.name)
        console.print()
    else:
        print_answer(console, response.answer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path(".demo-data"))
    args = parser.parse_args(argv)
    console = Console()
    settings = Settings(data_dir=args.data_dir)
    assistant = tune_for_questions(Assistant(settings))
    console.rule("ingest")
    report = ingest_paths(args.paths, settings, assistant.store, assistant.embeddings,
                          lambda outcome: print_outcome(console, outcome))
    print_report(console, report)
    assistant.warm()
    console.rule("sample questions")
    for question in SAMPLE_QUESTIONS:
        answer_one(console, assistant, question)
    if sys.stdin.isatty():
        console.rule("your turn (empty line or Ctrl-D to quit; 'summarize NAME' for a card)")
        while True:
            try:
                question = console.input("[bold]ask> [/bold]").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if not question:
                break
            answer_one(console, assistant, question)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
