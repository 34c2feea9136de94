"""`recruit feedback export`: the feedback log as eval questions in the `../shared/eval` format
({"id", "question", "type", "relevant", "acceptable"}), so a team's complaints become regression
tests.

One question per feedback id (a vote, plus the reasons a 👎 gave in the modal), the latest vote per
question winning. A 👍 makes the candidates shown relevant. A 👎 with reasons: the people marked
missed are relevant; the people shown and not marked wrong are acceptable; the people marked wrong
are neither (a regression test counts them as false positives). "Wrong person" with nobody picked
and nobody missed means everyone shown was wrong: a `negative` question. A 👎 without reasons says
too little and is skipped. Candidates are named by their first file (the eval scores people by
file); their other files are acceptable. Questions and file names come out with contact details
masked, also from a log written before the bot masked them (a file named after an e-mail address
is then named "[email hidden].pdf", which no eval document matches: privacy wins there)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from candidates.contacts import mask_contacts, mask_name


def merge(entries: list[dict]) -> list[dict]:
    """Votes and reasons joined by feedback id, in the order the votes came."""
    merged: dict[str, dict] = {}
    for e in entries:
        fid = str(e.get("id") or "")
        if not fid:
            continue
        current = merged.setdefault(fid, {})
        if e.get("kind") == "reasons":
            current.update(reasons=e.get("reasons") or [], wrong=e.get("wrong") or [],
                           missed=e.get("missed") or [], note=e.get("note") or "")
            current.setdefault("question", e.get("question"))
            current.setdefault("answer", e.get("answer") or [])
        else:
            current.update(question=e.get("question"), answer=e.get("answer") or [],
                           verdict=e.get("verdict"), ts=e.get("ts", 0))
    return [v for v in merged.values() if v.get("question")]


def _files(people: list[dict]) -> tuple[list[str], list[str]]:
    first = [mask_name(Path(p["files"][0]).name) for p in people if p.get("files")]
    rest = [mask_name(Path(f).name) for p in people for f in (p.get("files") or [])[1:]]
    return first, rest


def to_question(record: dict) -> dict[str, Any] | None:
    answer = [p for p in record.get("answer") or [] if isinstance(p, dict)]
    verdict = record.get("verdict")
    question = mask_contacts(str(record["question"]))
    qid = "fb-" + hashlib.sha1(question.encode("utf-8")).hexdigest()[:10]
    base = {"id": qid, "question": question}
    if verdict == "up":
        relevant, others = _files(answer)
        return {**base, "type": "who_has" if relevant else "negative", "relevant": relevant,
                "acceptable": others}
    reasons = set(record.get("reasons") or [])
    wrong, missed = set(record.get("wrong") or []), record.get("missed") or []
    if verdict != "down" or not (reasons or wrong or missed):
        return None
    if "wrong_person" in reasons and not wrong and not missed:
        wrong = {p.get("id") for p in answer}
    kept = [p for p in answer if p.get("id") not in wrong]
    relevant, missed_rest = _files([p for p in missed if isinstance(p, dict)])
    if not relevant and not kept:
        return {**base, "type": "negative", "relevant": [], "acceptable": []}
    kept_first, kept_rest = _files(kept)
    if not relevant:  # only a bad quote, or only wrong people: the rest of the answer stands
        return {**base, "type": "who_has", "relevant": kept_first, "acceptable": kept_rest}
    acceptable = [f for f in kept_first + kept_rest + missed_rest if f not in relevant]
    return {**base, "type": "who_has", "relevant": relevant, "acceptable": acceptable}


def export(entries: list[dict]) -> tuple[list[dict], int]:
    """(eval questions, how many feedback records were skipped)."""
    latest: dict[str, dict] = {}
    skipped = 0
    for record in sorted(merge(entries), key=lambda r: r.get("ts", 0)):
        question = to_question(record)
        if question is None:
            skipped += 1
            continue
        latest[question["id"]] = question
    return list(latest.values()), skipped
