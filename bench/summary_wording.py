"""Summary requests asked in other words: does the card depend on how a recruiter asks for it?

    python -m bench.summary_wording --questions ../shared/eval/real/questions.jsonl \
        --corpus ../shared/eval/real/docs --data /tmp/wording-store

Each `summary` question of the set names a person in one of their forms ("Summarize NAME");
the name is put into every phrasing of `bench/summary_wordings.json` ("before my call with
{name}, give me a quick rundown", "帮我看下{name}的简历") in both languages, and a phrasing is
right when the message gets that person's card. Results go to bench/results/summary_wording.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.wording import run_bench
from bot.assistant import Assistant
from retrieval.types import Response

WORDINGS = Path(__file__).with_name("summary_wordings.json")
RESULTS = Path(__file__).with_name("results") / "summary_wording.json"


@dataclass(frozen=True)
class Person:
    name: str  # as the question writes it
    files: frozenset[str]


def people_of(questions: Path) -> list[Person]:
    """The name forms the set's summary questions ask for, with the person's files."""
    found = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else None
        if item and item.get("type") == "summary" and item.get("name"):
            found.append(Person(item["name"], frozenset(item.get("relevant", []))))
    return found


def gets_the_card(response: Response, person: Person) -> bool:
    chosen = response.summary.candidate if response.kind == "summary" and response.summary else None
    return chosen is not None and any(Path(s).name in person.files for s in chosen.sources)


def phrasings() -> dict[str, dict[str, list[str]]]:
    data = json.loads(WORDINGS.read_text(encoding="utf-8"))
    return {group: lists for group, lists in data.items() if not group.startswith("_")}


def score_summaries(assistant: Assistant, people: list[Person]) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for group, languages in phrasings().items():
        for language, templates in languages.items():
            right = asked = 0
            for person in people:
                for template in templates:
                    right += gets_the_card(assistant.respond(template.format(name=person.name)), person)
                    asked += 1
            results[f"{group}/{language}"] = {"right": round(right / asked, 3) if asked else None,
                                              "asked": asked}
    return results


def main() -> None:
    run_bench(__doc__.split("\n")[0],
              lambda questions, assistant: score_summaries(assistant, people_of(questions)), RESULTS,
              lambda name, f: f"{name:14} the right card {f['right']}  ({f['asked']} asked)")


if __name__ == "__main__":
    main()
