"""List questions asked in other words: does the list depend on how a recruiter phrases it?

    python -m bench.list_wording --questions ../shared/eval/real/questions.jsonl \
        --corpus ../shared/eval/real/docs --data /tmp/wording-store

Each `filter` question of the set names an employer, a school or a degree; its organisation is
put into every phrasing of that kind in `bench/list_wordings.json` ("anyone ex-{org}?",
"{org}毕业的有哪些"), in the question's language, and the list answered is scored against the
question's labels: recall and precision over the whole list (a list question lists everyone).
Years of experience and places have no labels: their phrasings are scored against the answer to
the plain question ("Who has more than {n} years of professional experience?", "Who is based in
{place}?"), which measures whether the wording changes the list. Results go to
bench/results/list_wording.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.wording import run_bench
from bot.assistant import Assistant
from retrieval.text import has_cjk
from retrieval.types import Answer

WORDINGS = Path(__file__).with_name("list_wordings.json")
RESULTS = Path(__file__).with_name("results") / "list_wording.json"
KINDS = ("employer", "school", "phd", "masters", "years_min", "location")
YEARS = (3, 5, 10)  # "more than N years": short, mid and long careers
PLACES = ("Beijing", "Seattle", "Germany", "United States", "China")  # a city and a country each side
PLAIN = {"years_min": "Who has more than {n} years of professional experience?",
         "location": "Who is based in {place}?"}


@dataclass(frozen=True)
class Case:
    """One thing to ask in every phrasing of a kind: the placeholder's value and who is right."""

    kind: str
    language: str
    fill: dict
    expected: frozenset[str]


@dataclass
class ListScore:
    asked: int = 0
    recall_sum: float = 0.0
    precision_sum: float = 0.0
    same: int = 0

    def add(self, expected: frozenset[str], answer: Answer) -> None:
        got = frozenset(Path(s).name for hit in answer.candidates for s in hit.sources[:1])
        found = len(got & expected)
        self.asked += 1
        self.recall_sum += found / len(expected) if expected else float(not got)
        self.precision_sum += found / len(got) if got else float(not expected)
        self.same += got == expected

    def summary(self) -> dict:
        n = self.asked or 1
        return {"recall": round(self.recall_sum / n, 3), "precision": round(self.precision_sum / n, 3),
                "same_list": f"{self.same}/{self.asked}", "asked": self.asked}


def labelled_cases(questions: Path) -> list[Case]:
    """The set's filter questions on an employer, a school or a degree, with their labels."""
    cases = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else None
        if not item or item.get("type") != "filter":
            continue
        language = "zh" if has_cjk(item["question"]) else "en"
        expected = frozenset(item.get("relevant", []))
        for kind in ("employer", "school"):
            if item.get(kind):
                cases.append(Case(kind, language, {"org": item[kind]}, expected))
        degree = {"PhD": "phd", "MS": "masters"}.get(item.get("degree", ""))
        if degree:
            cases += [Case(degree, lang, {}, expected) for lang in ("en", "zh")]
    return cases


def consistency_cases(assistant: Assistant) -> list[Case]:
    """Years and places, against the plain question's answer."""
    cases = []
    for kind, values, key in (("years_min", YEARS, "n"), ("location", PLACES, "place")):
        for value in values:
            answer = assistant.ask(PLAIN[kind].format(**{key: value}), limit=10_000)
            expected = frozenset(Path(h.sources[0]).name for h in answer.candidates if h.sources)
            cases += [Case(kind, lang, {key: value}, expected) for lang in ("en", "zh")]
    return cases


def phrasings() -> dict[str, dict[str, dict[str, list[str]]]]:
    """Group → kind → language → templates."""
    data = json.loads(WORDINGS.read_text(encoding="utf-8"))
    return {group: kinds for group, kinds in data.items() if not group.startswith("_")}


def score_lists(assistant: Assistant, cases: list[Case]) -> dict[str, dict]:
    scores: dict[str, ListScore] = {}
    for group, kinds in phrasings().items():
        for case in cases:
            for template in kinds[case.kind][case.language]:
                answer = assistant.ask(template.format(**case.fill), limit=10_000)
                for name in (f"{group}/{case.language}", f"{group}/{case.kind}"):
                    scores.setdefault(name, ListScore()).add(case.expected, answer)
    return {name: score.summary() for name, score in sorted(scores.items())}


def main() -> None:
    run_bench(__doc__.split("\n")[0],
              lambda questions, assistant: score_lists(
                  assistant, labelled_cases(questions) + consistency_cases(assistant)), RESULTS,
              lambda name, f: f"{name:22} recall {f['recall']}  precision {f['precision']}  "
                              f"same list {f['same_list']}")


if __name__ == "__main__":
    main()
