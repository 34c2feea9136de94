"""The bot's thread memory and feedback log (issue: `threads.json` was rewritten whole on every
answer, 80 MB per write at 2,000 threads; it and `feedback.jsonl` held questions verbatim with
phone numbers, readable by every local user).

Thread memory is now a JSON-lines log: one appended line per answer, replayed on load, compacted
(new file, renamed over) now and then; a torn last line loses only that thread; the old file is
migrated. Questions, file names and labels are stored with contact details masked; files 0600 in
a 0700 directory."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from bot.feedback import export
from bot.state import FeedbackLog, Intake, IntakeLog, ThreadContext, ThreadMemory, read_feedback

PHONE = "+1 415 555 0123"
EMAIL = "jane.roe@example.com"
QUESTION = f"who was the candidate that gave {PHONE} or {EMAIL}?"
LABEL = "john.doe@example.com 555-0199"  # a candidate labelled by its file name


def ctx(i: int, question: str = "who knows Go?") -> ThreadContext:
    return ThreadContext(question=question, candidate_ids=[f"id-{i}", "id-x"],
                         names=[f"Person {i}", "Someone Else"], updated=1000.0 + i)


@pytest.fixture(autouse=True)
def open_umask():
    old = os.umask(0o022)  # what a default shell gives: files 644 unless the code says otherwise
    yield
    os.umask(old)


def log_of(tmp_path: Path) -> Path:
    return tmp_path / "slack" / "threads.jsonl"


def test_a_put_appends_one_line_instead_of_rewriting_the_file(tmp_path: Path) -> None:
    memory = ThreadMemory(tmp_path / "slack" / "threads.json")
    for i in range(2000):
        memory.put("C1", f"{i}.0", ctx(i))
    log = log_of(tmp_path)
    before = log.read_bytes()
    inode = log.stat().st_ino
    memory.put("C1", "new.0", ctx(9999))
    after = log.read_bytes()
    grown = len(after) - len(before)
    print(f"2,000 threads: the log is {len(before):,} bytes; one more answer appends {grown} bytes")
    assert log.stat().st_ino == inode and after.startswith(before)
    assert 0 < grown < 400
    assert not (tmp_path / "slack" / "threads.json").exists()


def test_the_log_replays_to_the_same_threads_and_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / "slack" / "threads.json"
    memory = ThreadMemory(path, limit=50)
    written = 0
    for i in range(3000):  # the same 60 threads answered over and over
        memory.put("C1", f"{i % 60}.0", ctx(i))
        written += 1
    lines = log_of(tmp_path).read_text(encoding="utf-8").splitlines()
    print(f"{written} answers on 60 threads, 50 kept: the log holds {len(lines)} lines")
    assert len(lines) <= max(ThreadMemory.COMPACT_FACTOR * 50, ThreadMemory.COMPACT_MIN)
    assert all(isinstance(json.loads(line), dict) for line in lines)  # JSON only, no pickle
    again = ThreadMemory(path, limit=50)
    assert again._items.keys() == memory._items.keys()  # same threads, same order
    assert again.get("C1", "59.0") == memory.get("C1", "59.0")
    assert again.get("C1", "59.0").candidate_ids == ["id-2999", "id-x"]
    assert again.get("C1", "0.0") is None  # the oldest, past the limit


def test_a_torn_last_line_loses_only_that_thread(tmp_path: Path) -> None:
    path = tmp_path / "slack" / "threads.json"
    memory = ThreadMemory(path)
    memory.put("C1", "1.0", ctx(1))
    memory.put("C1", "2.0", ctx(2))
    log = log_of(tmp_path)
    whole = log.read_bytes()
    log.write_bytes(whole[:-25])  # a crash in the middle of the second append
    again = ThreadMemory(path)
    assert again.get("C1", "1.0") == ctx(1)
    assert again.get("C1", "2.0") is None
    again.put("C1", "3.0", ctx(3))  # the next append starts on a line of its own
    third = ThreadMemory(path)
    assert third.get("C1", "1.0") == ctx(1) and third.get("C1", "3.0") == ctx(3)
    assert all(json.loads(line) for line in log.read_text(encoding="utf-8").splitlines())


def test_contact_details_are_masked_in_the_file(tmp_path: Path) -> None:
    memory = ThreadMemory(tmp_path / "slack" / "threads.json")
    remembered = ThreadContext(question=QUESTION, candidate_ids=["c1"], names=[LABEL])
    memory.put("C1", "1.0", remembered)
    stored = log_of(tmp_path).read_text(encoding="utf-8")
    assert PHONE not in stored and EMAIL not in stored and "555-0199" not in stored
    assert "john.doe@example.com" not in stored
    assert memory.get("C1", "1.0") == remembered  # in memory as given: follow-ups match names
    reloaded = ThreadMemory(tmp_path / "slack" / "threads.json").get("C1", "1.0")
    assert reloaded.candidate_ids == ["c1"]


def test_files_are_private(tmp_path: Path) -> None:
    memory = ThreadMemory(tmp_path / "slack" / "threads.json", limit=5)
    for i in range(300):  # appends and compactions both
        memory.put("C1", f"{i}.0", ctx(i))
    IntakeLog(tmp_path / "slack" / "intakes.json").add([
        Intake(at=1.0, name="john.doe@example.com.pdf", status="added", candidate=LABEL)])
    FeedbackLog(tmp_path / "feedback" / "feedback.jsonl").append({"id": "f", "question": "q"})
    for path in (log_of(tmp_path), tmp_path / "slack" / "intakes.json",
                 tmp_path / "feedback" / "feedback.jsonl"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, path.parent
    assert "john.doe" not in (tmp_path / "slack" / "intakes.json").read_text(encoding="utf-8")


def test_an_old_threads_json_is_migrated_masked_and_removed(tmp_path: Path) -> None:
    old = tmp_path / "slack" / "threads.json"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({f"C1:{i}.0": {"question": QUESTION, "candidate_ids": [f"id-{i}"],
                                             "names": [f"Person {i}"], "updated": 1.0 + i}
                               for i in range(3)}), encoding="utf-8")
    memory = ThreadMemory(old)
    assert memory.get("C1", "2.0").candidate_ids == ["id-2"]
    assert not old.exists()
    stored = log_of(tmp_path).read_text(encoding="utf-8")
    assert len(stored.splitlines()) == 3 and PHONE not in stored and EMAIL not in stored
    assert ThreadMemory(old).get("C1", "0.0").names == ["Person 0"]


def test_feedback_is_stored_masked_and_still_exports(tmp_path: Path) -> None:
    path = tmp_path / "feedback" / "feedback.jsonl"
    log = FeedbackLog(path)
    people = [{"id": "c1", "files": ["john.doe@example.com 555-0199.pdf", "jane_resume.pdf"]}]
    log.append({"id": "f1", "kind": "vote", "verdict": "down", "question": QUESTION,
                "answer": people, "user": "U1", "channel": "C1"})
    log.append({"id": "f1", "kind": "reasons", "verdict": "down", "question": QUESTION,
                "answer": people, "reasons": ["missed_someone"], "wrong": [],
                "missed": [{"id": "c2", "files": ["cv_4155550123.docx"]}],
                "note": f"call her at {PHONE}"})
    stored = path.read_text(encoding="utf-8")
    for secret in (PHONE, EMAIL, "john.doe@example.com", "555-0199", "4155550123"):
        assert secret not in stored, secret
    questions, skipped = export(read_feedback(path))
    assert skipped == 0 and len(questions) == 1
    assert questions[0]["relevant"] == ["cv [phone hidden].docx"]
    assert "[phone hidden]" in questions[0]["question"]
    assert "jane_resume.pdf" in questions[0]["acceptable"]


def test_an_old_feedback_log_is_masked_when_the_bot_opens_it(tmp_path: Path) -> None:
    path = tmp_path / "feedback" / "feedback.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"id": "f0", "kind": "vote", "verdict": "up", "question": QUESTION,
                                "answer": [{"id": "c1", "files": ["a.pdf"]}]}) + "\n"
                    + '{"id": "f1", "kind": "vo', encoding="utf-8")  # and a torn last line
    path.chmod(0o644)
    FeedbackLog(path)
    stored = path.read_text(encoding="utf-8")
    assert PHONE not in stored and EMAIL not in stored
    assert [e["id"] for e in read_feedback(path)] == ["f0"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # an export of a log nobody opened yet masks too
    raw = [{"id": "f9", "kind": "vote", "verdict": "up", "question": QUESTION, "answer": []}]
    assert PHONE not in export(raw)[0][0]["question"]
