"""`make bench-match`: how long a job description takes to match, warm, on a store `make bench`
built (the generated corpus at some size), and `ask` latency on the same store.

    python -m bench.match --data /tmp/bench/10000/data [--repeat 5]

The job descriptions are written from the generated corpus's own topics, so each requirement
has holders in the store. `match_ms` is warm (the verdicts of this state of the store kept);
`first_match_ms` is each job's first answer. The figures are latency, not quality (quality is
measured on the real set by `recruit eval ../shared/eval/real/jobs.jsonl`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.corpus import ASKED


def job_descriptions() -> list[str]:
    """Three fictional job descriptions over the corpus's topics (must-haves, nice-to-haves, a
    degree and years), in English and in Chinese."""
    a, b, c, d = ASKED[0], ASKED[1], ASKED[13], ASKED[14]
    return [
        f"Machine Learning Engineer\n\nRequirements:\n- Experience with {a.en}\n- {b.en} in production\n"
        f"- Master's degree in Computer Science\n\nNice to have:\n- {c.en}\n",
        f"Senior Infrastructure Engineer\n\nWhat you need:\n- 5+ years of experience with {d.en}\n"
        f"- {c.en}\n\nBonus:\n- {b.en}\n- Fluent English\n",
        f"大模型推理工程师\n\n任职要求：\n- 熟悉{b.zh}\n- 有{d.zh}经验\n- 硕士及以上学历\n\n加分项：\n- {a.zh}\n",
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="the store's data directory")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    from bot.assistant import Assistant
    from bot.match import Matcher
    from bot.process import tune_for_questions
    from retrieval.settings import Settings

    assistant = tune_for_questions(Assistant(Settings(_env_file=None, data_dir=Path(args.data))))
    assistant.warm()
    matcher = Matcher(assistant)
    jobs = job_descriptions()
    first_ms = []
    for job in jobs:  # warm-up: the first time each requirement's terms are seen, and the
        started = time.perf_counter()  # first time its verdicts are computed for this store
        matcher.match(job)
        first_ms.append(round((time.perf_counter() - started) * 1000, 1))
    match_ms: list[float] = []
    shortlisted = []
    for _ in range(args.repeat):
        for job in jobs:
            started = time.perf_counter()
            answer = matcher.match(job)
            match_ms.append((time.perf_counter() - started) * 1000)
            shortlisted.append(len(answer.candidates))
    questions = [f"Who has worked on {t.en}?" for t in ASKED[:10]] + \
        [f"谁做过{t.zh}？" for t in ASKED[:10]]
    for q in questions:
        assistant.ask(q)
    ask_ms = []
    for _ in range(args.repeat):
        for q in questions:
            started = time.perf_counter()
            assistant.ask(q)
            ask_ms.append((time.perf_counter() - started) * 1000)
    result = {
        "documents": len(assistant.store.documents()),
        "match_ms": {"p50": round(statistics.median(match_ms), 1), "p95": round(percentile(match_ms, 0.95), 1),
                     "max": round(max(match_ms), 1), "runs": len(match_ms)},
        "first_match_ms": first_ms,  # each job once, before the runs (verdicts not kept yet)
        "shortlist_sizes": sorted(set(shortlisted)),
        "ask_ms": {"p50": round(statistics.median(ask_ms), 1), "p95": round(percentile(ask_ms, 0.95), 1),
                   "runs": len(ask_ms)},
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
