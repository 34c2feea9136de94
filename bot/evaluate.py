"""`recruit eval`: ingest a corpus into a temporary store and score labelled questions.

Scoring follows ../shared/eval/README.md: recall@3 and recall@5 over `relevant`, capped (k
candidates can hold at most k relevant people: found in the top k / min(k, relevant)), reciprocal
rank of the first relevant candidate, false positives (shown, in neither list), negatives answered
"no match", summaries resolving to `relevant[0]`, list questions (`filter`) by recall and precision
over the whole list, job descriptions (`job`) by average precision over `relevant` with acceptable
people left out of the ranking and by precision@5, and every quote verbatim in its source text.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table

from ingest.pipeline import ingest_paths
from bot.assistant import Assistant
from bot.process import tune_for_questions
from retrieval.settings import Settings
from retrieval.types import Answer


class QuestionResult(BaseModel):
    id: str
    type: str
    question: str
    shown: list[str] = Field(default_factory=list)  # file names per candidate, in rank order
    recall_at_3: float | None = None
    recall_at_5: float | None = None
    reciprocal_rank: float | None = None
    false_positives: int = 0
    correct: bool | None = None  # negatives and summaries
    recall: float | None = None  # filter: over the whole list
    precision: float | None = None
    average_precision: float | None = None  # job
    precision_at_5: float | None = None
    quotes: int = 0
    verbatim: int = 0
    ms: float = 0.0


class EvalReport(BaseModel):
    questions_file: str
    corpus: str
    embedding: str
    results: list[QuestionResult]
    recall_at_3: float
    recall_at_5: float
    mrr: float
    false_positives: int
    negatives_correct: str
    summaries_correct: str
    filter_recall: float | None = None
    filter_precision: float | None = None
    job_map: float | None = None
    job_precision_at_5: float | None = None
    verbatim_rate: float
    ingest_seconds: float
    mean_ms: float


def _shown_files(answer: Answer) -> list[set[str]]:
    return [{Path(s).name for s in hit.sources} for hit in answer.candidates]


def _check_quotes(answer: Answer, texts: dict[str, str]) -> tuple[int, int]:
    total = ok = 0
    for hit in answer.candidates:
        for c in hit.citations:
            total += 1
            text = texts.get(c.source) or ""
            ok += int(text[c.start:c.end] == c.quote and c.quote in text)
    return total, ok


def score_who_has(item: dict, answer: Answer, result: QuestionResult) -> None:
    relevant, acceptable = set(item["relevant"]), set(item.get("acceptable", []))
    shown = _shown_files(answer)
    found_at = lambda k: {f for files in shown[:k] for f in files} & relevant  # noqa: E731
    result.recall_at_3 = len(found_at(3)) / min(3, len(relevant))
    result.recall_at_5 = len(found_at(5)) / min(5, len(relevant))
    rank = next((i for i, files in enumerate(shown, 1) if files & relevant), None)
    result.reciprocal_rank = 1.0 / rank if rank else 0.0
    result.false_positives = sum(1 for files in shown if not files & (relevant | acceptable))


def score_filter(item: dict, answer: Answer, result: QuestionResult) -> None:
    """A list question: every match and nothing else, however many (acceptable people are not
    wrong). An empty answer to a question with matches has recall 0 and precision 1."""
    relevant, acceptable = set(item["relevant"]), set(item.get("acceptable", []))
    shown = _shown_files(answer)
    found = {f for files in shown for f in files} & relevant
    result.recall = len(found) / len(relevant) if relevant else 1.0
    right = sum(1 for files in shown if files & (relevant | acceptable))
    result.precision = right / len(shown) if shown else 1.0
    result.false_positives = len(shown) - right


def score_job(item: dict, answer: Answer, result: QuestionResult) -> None:
    """A ranked shortlist: average precision over `relevant`, acceptable people left out of the
    ranking first; and precision@5 (acceptable people count as right there)."""
    relevant, acceptable = set(item["relevant"]), set(item.get("acceptable", []))
    shown = _shown_files(answer)
    ranked = [files for files in shown if not (files & acceptable and not files & relevant)]
    hits, total = 0, 0.0
    for rank, files in enumerate(ranked, 1):
        if files & relevant:
            hits += 1
            total += hits / rank
    result.average_precision = total / len(relevant) if relevant else 0.0
    top = shown[:5]
    result.precision_at_5 = sum(1 for f in top if f & (relevant | acceptable)) / 5
    score_who_has(item, answer, result)


def run_eval(questions: Path, corpus: Path, base: Settings, data_dir: Path | None = None) -> EvalReport:
    """Ingest `corpus` and score `questions`. The store is a temporary one, or `data_dir` when
    given, kept for the next run: files already stored there are skipped (by content), so a
    second run over the same corpus only answers the questions (seconds, not minutes). A store
    kept this way must hold only this corpus: other documents would be answered too."""
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    if data_dir is not None:
        return _eval_in(questions, corpus, base, items, data_dir)
    with tempfile.TemporaryDirectory(prefix="recruit-eval-") as tmp:
        return _eval_in(questions, corpus, base, items, Path(tmp))


def _eval_in(questions: Path, corpus: Path, base: Settings, items: list[dict],
             data_dir: Path) -> EvalReport:
    settings = base.model_copy(update={"data_dir": data_dir.expanduser().absolute(),
                                       "chroma_host": None})
    assistant = tune_for_questions(Assistant(settings))
    started = time.perf_counter()
    ingest_paths([corpus], settings, assistant.store, assistant.embeddings)
    ingest_seconds = time.perf_counter() - started
    assistant.warm()
    texts = {r.source: assistant.document_text(r.source) or "" for r in assistant.store.documents()}
    results = [_run_one(item, assistant, texts) for item in items]
    return _aggregate(questions, corpus, settings.embedding, results, ingest_seconds)


def _run_one(item: dict, assistant: Assistant, texts: dict[str, str]) -> QuestionResult:
    result = QuestionResult(id=item["id"], type=item["type"], question=item["question"])
    started = time.perf_counter()
    if item["type"] == "summary":
        response = assistant.respond(item["question"])  # as a user's message is routed
        result.ms = (time.perf_counter() - started) * 1000
        summary = response.summary
        if summary is None:  # read as a question: the card was not found
            result.shown = [",".join(sorted(files)) for files in _shown_files(response.answer)]
            return result
        files = {Path(s).name for s in summary.candidate.sources} if summary.candidate else set()
        result.shown = sorted(files)
        result.correct = item["relevant"][0] in files
        for line in summary.lines:
            c = line.citation
            result.quotes += 1
            result.verbatim += int((texts.get(c.source) or "")[c.start:c.end] == c.quote)
        return result
    if item["type"] == "job":  # a job description: the matcher's shortlist
        from bot.match import Matcher, as_answer

        answer = as_answer(Matcher(assistant).match(item["question"]))
    else:
        answer = assistant.ask(item["question"])
    result.ms = (time.perf_counter() - started) * 1000
    result.shown = [",".join(sorted(files)) for files in _shown_files(answer)]
    result.quotes, result.verbatim = _check_quotes(answer, texts)
    if item["type"] == "negative":
        result.correct = answer.no_match
        result.false_positives = len(answer.candidates)
    elif item["type"] == "filter":
        score_filter(item, answer, result)
    elif item["type"] == "job":
        score_job(item, answer, result)
    else:
        score_who_has(item, answer, result)
    return result


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def _aggregate(questions: Path, corpus: Path, embedding: str, results: list[QuestionResult],
               ingest_seconds: float) -> EvalReport:
    who = [r for r in results if r.type == "who_has"]
    neg = [r for r in results if r.type == "negative"]
    summ = [r for r in results if r.type == "summary"]
    lists = [r for r in results if r.type == "filter"]
    jobs = [r for r in results if r.type == "job"]
    quotes = sum(r.quotes for r in results)
    return EvalReport(
        questions_file=str(questions), corpus=str(corpus), embedding=embedding, results=results,
        recall_at_3=_mean([r.recall_at_3 for r in who]), recall_at_5=_mean([r.recall_at_5 for r in who]),
        mrr=_mean([r.reciprocal_rank for r in who]), false_positives=sum(r.false_positives for r in who),
        negatives_correct=f"{sum(bool(r.correct) for r in neg)}/{len(neg)}",
        summaries_correct=f"{sum(bool(r.correct) for r in summ)}/{len(summ)}",
        filter_recall=_mean([r.recall for r in lists]) if lists else None,
        filter_precision=_mean([r.precision for r in lists]) if lists else None,
        job_map=_mean([r.average_precision for r in jobs]) if jobs else None,
        job_precision_at_5=_mean([r.precision_at_5 for r in jobs]) if jobs else None,
        verbatim_rate=round(sum(r.verbatim for r in results) / quotes, 4) if quotes else 1.0,
        ingest_seconds=round(ingest_seconds, 2), mean_ms=_mean([r.ms for r in results]))


def print_eval(console: Console, report: EvalReport) -> None:
    table = Table("id", "type", "R@3", "R@5", "RR", "R", "P", "FP", "ok", "quotes", "ms", "shown")
    fmt = lambda v: "" if v is None else f"{v:.2f}"  # noqa: E731
    for r in report.results:
        table.add_row(r.id, r.type, fmt(r.recall_at_3), fmt(r.recall_at_5), fmt(r.reciprocal_rank),
                      fmt(r.recall if r.recall is not None else r.average_precision),
                      fmt(r.precision if r.precision is not None else r.precision_at_5),
                      str(r.false_positives), "" if r.correct is None else ("yes" if r.correct else "NO"),
                      f"{r.verbatim}/{r.quotes}", f"{r.ms:.0f}", "; ".join(r.shown)[:60])
    console.print(table)
    console.print(
        f"embedding={report.embedding}  recall@3={report.recall_at_3:.3f}  "
        f"recall@5={report.recall_at_5:.3f}  MRR={report.mrr:.3f}  "
        f"false positives={report.false_positives}  negatives={report.negatives_correct}  "
        f"summaries={report.summaries_correct}  verbatim={report.verbatim_rate:.1%}  "
        + (f"filter recall={report.filter_recall:.3f} precision={report.filter_precision:.3f}  "
           if report.filter_recall is not None else "")
        + (f"job MAP={report.job_map:.3f} P@5={report.job_precision_at_5:.3f}  "
           if report.job_map is not None else "")
        + f"ingest={report.ingest_seconds:.1f}s  mean question={report.mean_ms:.0f} ms")
