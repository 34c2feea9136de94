"""Topic questions asked in other words: does the answer depend on how a recruiter phrases it?

    python -m bench.wording --questions ../shared/eval/real/questions.jsonl \
        --corpus ../shared/eval/real/docs --data /tmp/wording-store

Each topic question of the set written "Who has worked on X?", "Which candidates have
experience with X?" or "谁做过X？" gives its topic X; X is put into every phrasing of
`bench/wordings.json` in the question's language ("Looking for X engineers", "有没有人熟悉X？"),
and each phrasing is answered and scored like the original: recall@5 (capped at the number of
relevant people), false positives among the five, and for a negative question whether the
answer is "no one". The original wording's figures are reported beside them. `--data` keeps the
store for the next run (it must hold only this corpus). Results go to
bench/results/wording.json.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.assistant import Assistant
from bot.process import tune_for_questions
from ingest.pipeline import ingest_paths
from retrieval.settings import Settings
from retrieval.types import Answer

WORDINGS = Path(__file__).with_name("wordings.json")
RESULTS = Path(__file__).with_name("results") / "wording.json"
# The frames the eval sets write their topic questions in; the rest of the question is the topic.
FRAMES = {
    "en": re.compile(r"^(?:Who has worked on|Which candidates have experience with) (?P<t>.+?)\?$"),
    "zh": re.compile(r"^谁做过(?P<t>.+?)？$"),
}


@dataclass
class Topic:
    question: str
    topic: str
    language: str
    relevant: frozenset[str]
    acceptable: frozenset[str]
    negative: bool


@dataclass
class Score:
    """One phrasing group's figures over all topics of its language."""

    asked: int = 0
    recall_sum: float = 0.0
    false_positives: int = 0
    negatives: int = 0
    negatives_right: int = 0

    def add(self, topic: Topic, answer: Answer) -> None:
        shown = [{Path(s).name for s in hit.sources} for hit in answer.candidates][:5]
        if topic.negative:
            self.negatives += 1
            self.negatives_right += int(answer.no_match)
            return
        self.asked += 1
        self.recall_sum += sum(bool(f & topic.relevant) for f in shown) / min(5, len(topic.relevant))
        self.false_positives += sum(not f & (topic.relevant | topic.acceptable) for f in shown)

    def summary(self) -> dict:
        return {"recall_at_5": round(self.recall_sum / self.asked, 3) if self.asked else None,
                "false_positives_per_question": round(self.false_positives / self.asked, 2)
                if self.asked else None,
                "negatives": f"{self.negatives_right}/{self.negatives}", "asked": self.asked}


def topics_of(questions: Path) -> list[Topic]:
    """The set's topic and negative questions written in one of the known frames."""
    found = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else None
        if not item or item["type"] not in ("who_has", "negative"):
            continue
        for language, frame in FRAMES.items():
            match = frame.match(item["question"])
            if match and (item["type"] == "negative" or item.get("relevant")):
                found.append(Topic(item["question"], match["t"], language,
                                   frozenset(item.get("relevant", [])),
                                   frozenset(item.get("acceptable", [])),
                                   item["type"] == "negative"))
    return found


def phrasings() -> dict[str, dict[str, list[str]]]:
    """Group → language → templates, each holding `{t}` once."""
    data = json.loads(WORDINGS.read_text(encoding="utf-8"))
    return {group: lists for group, lists in data.items() if not group.startswith("_")}


def score_wordings(assistant: Assistant, topics: list[Topic]) -> dict[str, dict]:
    scores: dict[str, Score] = {}
    groups = phrasings()
    for topic in topics:
        scores.setdefault(f"original/{topic.language}", Score()).add(topic, assistant.ask(topic.question))
        for group, languages in groups.items():
            for template in languages.get(topic.language, []):
                answer = assistant.ask(template.format(t=topic.topic))
                scores.setdefault(f"{group}/{topic.language}", Score()).add(topic, answer)
    return {name: score.summary() for name, score in sorted(scores.items())}


def ready_assistant(corpus: Path, data: Path) -> Assistant:
    """An assistant over `corpus`, stored in `data` (kept for the next run: it must hold only
    this corpus), tuned and warmed as the bot is."""
    settings = Settings().model_copy(update={"data_dir": data.absolute(), "chroma_host": None})
    assistant = tune_for_questions(Assistant(settings))
    ingest_paths([corpus], settings, assistant.store, assistant.embeddings)
    assistant.warm()
    return assistant


def run_bench(description: str, score: Callable[[Path, Assistant], dict[str, dict]],
              results_path: Path, line: Callable[[str, dict], str]) -> None:
    """The command line every phrasing bench shares: --questions, --corpus, --data; one printed
    line per group and the results written as JSON."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--data", type=Path, help="keep the store here (only this corpus)")
    args = parser.parse_args()
    if args.data is not None:
        results = score(args.questions, ready_assistant(args.corpus, args.data))
    else:
        with tempfile.TemporaryDirectory(prefix="recruit-wording-") as tmp:
            results = score(args.questions, ready_assistant(args.corpus, Path(tmp)))
    for name, figures in results.items():
        print(line(name, figures))
    results_path.parent.mkdir(exist_ok=True)
    results_path.write_text(json.dumps({"questions": str(args.questions), "results": results},
                                       indent=1), encoding="utf-8")


def main() -> None:
    run_bench(__doc__.split("\n")[0],
              lambda questions, assistant: score_wordings(assistant, topics_of(questions)), RESULTS,
              lambda name, f: f"{name:16} recall@5 {f['recall_at_5']}  false positives/question "
                              f"{f['false_positives_per_question']}  negatives {f['negatives']}")


if __name__ == "__main__":
    main()
