"""The `recruit` command end to end: in process with typer's CliRunner, and as a real subprocess
of the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from retrieval.store import Store
from tests import fixtures as fx
from tests.conftest import make_settings
from tests.embedders import SETTING as EMBEDDER_SETTING

ANSWER_KEYS = {"question", "no_match", "candidates"}
CANDIDATE_KEYS = {"id", "name", "sources", "score", "citations"}
CITATION_KEYS = {"quote", "source", "page", "section", "start", "end"}


def check_answer_json(data: dict, text_of) -> None:
    """The documented `ask --json` schema, with every quote == text_of(source)[start:end]."""
    assert ANSWER_KEYS <= set(data) and isinstance(data["no_match"], bool)
    for hit in data["candidates"]:
        assert CANDIDATE_KEYS <= set(hit)
        assert isinstance(hit["name"], str) and isinstance(hit["score"], float)
        assert hit["sources"] and all(isinstance(s, str) for s in hit["sources"])
        assert hit["citations"]
        for c in hit["citations"]:
            assert CITATION_KEYS <= set(c)
            assert c["source"] in hit["sources"]
            assert text_of(c["source"])[c["start"]:c["end"]] == c["quote"]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embeddings) -> CliRunner:
    """In-process runs: no `.env` in the working directory, the shared (real) embedder, chosen
    through the settings as a user would choose an embedder of their own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RECRUIT_EMBEDDING", EMBEDDER_SETTING)
    return CliRunner()


def run(cli: CliRunner, *args: str, env: dict[str, str] | None = None):
    return cli.invoke(app, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    fx.write_corpus(corpus, ["samuel_okafor", "elena_voss", "li_mingyuan"])
    return corpus


# ---------------------------------------------------------------------------------------------
# In process


def test_ingest_ask_candidates_remove(cli: CliRunner, tmp_path: Path, small_corpus: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]

    first = run(cli, "ingest", str(small_corpus), *data)
    assert first.exit_code == 0, first.output
    assert "3 added, 0 updated, 0 unchanged, 0 duplicate, 0 failed" in first.output
    assert "Samuel Okafor" in first.output and "李明远" in first.output

    again = run(cli, "ingest", str(small_corpus), *data, "--json")
    assert again.exit_code == 0
    report = json.loads(again.stdout)
    assert [f["status"] for f in report["files"]] == ["unchanged"] * 3

    asked = run(cli, "ask", "Who has worked on quantization?", *data, "--json")
    assert asked.exit_code == 0
    answer = json.loads(asked.stdout)
    store = Store(make_settings(tmp_path / "data"))
    check_answer_json(answer, store.document_text)
    assert answer["question"] == "Who has worked on quantization?" and not answer["no_match"]
    assert {hit["name"] for hit in answer["candidates"]} == {"Elena Voss", "李明远"}

    text = run(cli, "ask", "Who builds iOS apps in SwiftUI?", *data)
    assert text.exit_code == 0
    assert "Q: Who builds iOS apps in SwiftUI?" in text.stdout and "1. Samuel Okafor" in text.stdout
    assert "samuel_okafor_resume.txt" in text.stdout

    nobody = json.loads(run(cli, "ask", "Who has COBOL mainframe experience?", *data, "--json").stdout)
    assert nobody["no_match"] is True and nobody["candidates"] == []
    assert "No one in the documents matches" in run(cli, "ask", "谁有区块链经验？", *data).stdout

    people = json.loads(run(cli, "candidates", *data, "--json").stdout)
    assert sorted(p["name"] for p in people) == ["Elena Voss", "Samuel Okafor", "李明远"]
    assert "Samuel Okafor" in run(cli, "candidates", *data).stdout

    removed = run(cli, "remove", str(small_corpus / "samuel_okafor_resume.txt"), *data)
    assert removed.exit_code == 0 and "removed" in removed.stdout and "Samuel Okafor" in removed.stdout
    gone = run(cli, "remove", str(small_corpus / "samuel_okafor_resume.txt"), *data)
    assert gone.exit_code == 1 and "not in the store" in gone.output
    people = json.loads(run(cli, "candidates", *data, "--json").stdout)
    assert sorted(p["name"] for p in people) == ["Elena Voss", "李明远"]
    assert json.loads(run(cli, "ask", "Who builds iOS apps in SwiftUI?", *data, "--json").stdout)["no_match"]


def test_ingest_exit_status_says_a_file_failed(cli: CliRunner, tmp_path: Path, small_corpus: Path) -> None:
    fx.write_corrupt_pdf(small_corpus / "broken.pdf")
    fx.write_scanned_pdf(small_corpus / "scan.pdf")

    result = run(cli, "ingest", str(small_corpus), "--data-dir", str(tmp_path / "data"), "--json")

    assert result.exit_code == 1
    files = {Path(f["source"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["broken.pdf"]["status"] == "failed" and "not a readable PDF" in files["broken.pdf"]["message"]
    assert files["scan.pdf"]["status"] == "failed" and "needs OCR" in files["scan.pdf"]["message"]
    assert sorted(f["status"] for f in files.values()) == ["added"] * 3 + ["failed"] * 2
    people = Store(make_settings(tmp_path / "data")).documents()
    assert sorted(r.candidate_name for r in people) == ["Elena Voss", "Samuel Okafor", "李明远"]


def test_the_store_location_comes_from_recruit_data_dir(cli: CliRunner, tmp_path: Path) -> None:
    path = fx.write_markdown(tmp_path / "elena.md")
    env = {"RECRUIT_DATA_DIR": str(tmp_path / "from-env")}

    assert run(cli, "ingest", str(path), env=env).exit_code == 0
    assert (tmp_path / "from-env" / "chroma").is_dir()
    people = json.loads(run(cli, "candidates", "--json", env=env).stdout)
    assert [p["name"] for p in people] == ["Elena Voss"]
    assert json.loads(run(cli, "candidates", "--json", "--data-dir", str(tmp_path / "other")).stdout) == []


def test_summary_finds_a_chinese_name_typed_in_pinyin(cli: CliRunner, tmp_path: Path,
                                                      small_corpus: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    run(cli, "ingest", str(small_corpus), *data)

    found = run(cli, "summary", "Li Mingyuan", *data, "--json")
    assert found.exit_code == 0
    summary = json.loads(found.stdout)
    assert summary["candidate"]["name"] == "李明远"
    text = Store(make_settings(tmp_path / "data")).document_text(summary["candidate"]["sources"][0])
    for line in summary["lines"]:
        c = line["citation"]
        assert text[c["start"]:c["end"]] == c["quote"]
    assert run(cli, "summary", "Nobody Here", *data).exit_code == 1

    asked = run(cli, "ask", "总结一下 Li Mingyuan", *data, "--json")  # routed to the card
    assert asked.exit_code == 0 and json.loads(asked.stdout)["candidate"]["name"] == "李明远"


def test_eval_writes_the_json_report(cli: CliRunner, tmp_path: Path, small_corpus: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    items = [
        {"id": "q1", "question": "Who builds iOS apps in Swift and SwiftUI?", "type": "who_has",
         "relevant": ["samuel_okafor_resume.txt"]},
        {"id": "q2", "question": "Who has worked on quantization?", "type": "who_has",
         "relevant": ["elena_voss_resume.md", "li_mingyuan_resume.pdf"], "acceptable": []},
        {"id": "q3", "question": "Who has COBOL mainframe experience?", "type": "negative", "relevant": []},
        {"id": "q4", "question": "Summarize Elena Voss", "type": "summary", "relevant": ["elena_voss_resume.md"]},
    ]
    questions.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    out = tmp_path / "report.json"

    result = run(cli, "eval", str(questions), "--corpus", str(small_corpus), "--out", str(out))

    assert result.exit_code == 0, result.output
    assert f"report written to {out}" in " ".join(result.stdout.split())
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in report["results"]] == ["q1", "q2", "q3", "q4"]
    assert report["recall_at_3"] == report["recall_at_5"] == report["mrr"] == 1.0
    assert report["false_positives"] == 0
    assert report["negatives_correct"] == "1/1" and report["summaries_correct"] == "1/1"
    assert report["verbatim_rate"] == 1.0 and sum(r["quotes"] for r in report["results"]) > 0
    assert report["embedding"] == EMBEDDER_SETTING  # the setting the run used
    assert not (tmp_path / "recruit-data").exists()  # eval uses a temporary store


# ---------------------------------------------------------------------------------------------
# The installed console script, in a subprocess


def recruit(*args: str, data_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "recruit"
    assert exe.exists(), f"console script missing: {exe} (pip install -e .)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECRUIT_")}
    env.update(RECRUIT_DATA_DIR=str(data_dir), NO_COLOR="1", COLUMNS="200")
    return subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def test_console_script_end_to_end(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    samuel = fx.write_text(corpus / "samuel.txt")
    elena = fx.write_markdown(corpus / "elena.md")
    data = tmp_path / "data"

    added = recruit("ingest", str(corpus), data_dir=data, cwd=tmp_path)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "2 added" in added.stdout

    fx.write_corrupt_pdf(corpus / "broken.pdf")
    failed = recruit("ingest", str(corpus), data_dir=data, cwd=tmp_path)
    assert failed.returncode != 0
    assert "broken.pdf" in failed.stdout and "not a readable PDF" in failed.stdout
    assert "0 added, 0 updated, 2 unchanged, 0 duplicate, 1 failed" in failed.stdout

    asked = recruit("ask", "--json", "Who has worked on quantization?", data_dir=data, cwd=tmp_path)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    texts = {str(p.resolve()): p.read_text(encoding="utf-8").strip() for p in (samuel, elena)}
    check_answer_json(answer, texts.__getitem__)
    assert [hit["name"] for hit in answer["candidates"]] == ["Elena Voss"]
    assert answer["candidates"][0]["sources"] == [str(elena.resolve())]


# ---------------------------------------------------------------------------------------------
# A store you can find, ingest that reports every file, output that respects the settings


def test_the_default_store_is_the_users_data_directory(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    from retrieval.settings import Settings, default_data_dir

    monkeypatch.delenv("RECRUIT_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings().data_dir == default_data_dir() and default_data_dir().is_absolute()
    assert Settings(data_dir=Path("relative")).data_dir == tmp_path / "relative"


def test_a_question_without_words_gets_a_usage_hint(cli: CliRunner, tmp_path: Path) -> None:
    for question in ("", "  ", "???"):
        result = run(cli, "ask", question, "--data-dir", str(tmp_path / "data"))
        assert result.exit_code == 2 and 'recruit ask "' in result.output
        assert "No one in the documents" not in result.output
    assert not (tmp_path / "data").exists()


def test_a_missing_store_is_not_created_and_says_how_to_fill_it(cli: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    for command in (["ask", "Who knows Go?"], ["summary", "Elena Voss"]):
        result = run(cli, *command, "--data-dir", str(missing))
        assert result.exit_code == 1 and "recruit ingest PATH" in result.output
        assert str(missing) in " ".join(result.output.split())
    assert json.loads(run(cli, "candidates", "--json", "--data-dir", str(missing)).stdout) == []
    status = json.loads(run(cli, "status", "--json", "--data-dir", str(missing)).stdout)
    assert status["exists"] is False and status["data_dir"] == str(missing)
    assert not missing.exists()


def test_an_empty_store_says_how_to_fill_it(cli: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store(make_settings(data))  # created, never filled
    result = run(cli, "ask", "Who has worked on quantization?", "--data-dir", str(data))
    assert result.exit_code == 1 and "has no documents yet" in result.output


def test_status_counts_the_store_and_knows_when_the_index_is_current(
        cli: CliRunner, tmp_path: Path, small_corpus: Path) -> None:
    from bot.assistant import Assistant
    from retrieval.keyword import cache_path

    data = ["--data-dir", str(tmp_path / "data")]
    run(cli, "ingest", str(small_corpus), *data)

    status = json.loads(run(cli, "status", "--json", *data).stdout)
    assert (status["documents"], status["candidates"]) == (3, 3) and status["passages"] > 3
    assert status["exists"] and status["keyword_index"]["state"] == "up to date"
    run(cli, "ask", "Who has worked on quantization?", *data)  # writes the read snapshot
    status = json.loads(run(cli, "status", "--json", *data).stdout)
    assert status["read_snapshot"]["state"].startswith("current")
    assert status["embedder"]["name"] == EMBEDDER_SETTING
    text = run(cli, "status", *data).stdout
    assert str(tmp_path / "data") in text and "3 documents, 3 candidates" in text

    settings = make_settings(tmp_path / "data")  # the path status reads is the assistant's
    assert cache_path(settings.data_dir, settings.collection, settings.embedding) == \
        Assistant(settings, embeddings=object()).index.index_path


def test_ingest_gives_every_file_a_line_and_times_the_whole_run(
        cli: CliRunner, tmp_path: Path, small_corpus: Path) -> None:
    (small_corpus / "photo.exe").write_bytes(b"MZ\x90\x00")
    (small_corpus / ".DS_Store").write_bytes(b"\x00")
    data = ["--data-dir", str(tmp_path / "data")]

    result = run(cli, "ingest", str(small_corpus), *data)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("skipped" in line and "photo.exe (unsupported type .exe)" in line for line in lines)
    assert "3 added, 0 updated, 0 unchanged, 0 duplicate, 0 failed, 1 skipped" in result.stdout
    assert "keyword index built" in result.stdout and ".DS_Store" not in result.stdout
    assert all(len(line) <= 200 for line in lines)  # not re-wrapped: one message, one line
    report = json.loads(run(cli, "ingest", str(small_corpus), *data, "--json").stdout)
    assert [f["status"] for f in report["files"]].count("skipped") == 1


def test_ask_dash_answers_one_question_per_line(cli: CliRunner, tmp_path: Path,
                                                small_corpus: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    run(cli, "ingest", str(small_corpus), *data)

    result = cli.invoke(app, ["ask", "-", "--json", *data], catch_exceptions=False,
                        input="Who has worked on quantization?\n\n???\nSummarize Li Mingyuan\n")

    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 2
    assert {h["name"] for h in answers[0]["candidates"]} == {"Elena Voss", "李明远"}
    assert answers[1]["candidate"]["name"] == "李明远"


def test_shell_answers_several_questions_in_one_process(cli: CliRunner, tmp_path: Path,
                                                        small_corpus: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    run(cli, "ingest", str(small_corpus), *data)

    result = cli.invoke(app, ["shell", *data], catch_exceptions=False,
                        input="Who builds iOS apps in SwiftUI?\n!!\nSummarize Elena Voss\nexit\n"
                              "Who has worked on quantization?\n")

    assert result.exit_code == 0, result.output
    assert "1. Samuel Okafor" in result.stdout and "Elena Voss" in result.stdout
    assert 'recruit ask "' in result.stdout  # the hint for "!!"
    assert "Q: Who has worked on quantization?" not in result.stdout  # after `exit`


def contact_answer() -> "Answer":
    from retrieval.types import Answer, CandidateHit, Citation

    quote = "Reach me at elena.voss@example.com or +49 30 5550 1234 (Munich, 2019–2023)"
    citation = Citation(passage_id="p:0", quote=quote, source="elena.md", start=0, end=len(quote))
    hit = CandidateHit(id="elena-voss", name="Elena Voss", sources=["elena.md"], score=1.0,
                       citations=[citation])
    return Answer(question="How do I reach Elena Voss?", no_match=False, candidates=[hit])


def test_show_contacts_never_masks_them_in_the_terminal(cli: CliRunner, tmp_path: Path,
                                                        small_corpus: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    run(cli, "ingest", str(small_corpus), *data)
    monkeypatch.setattr("bot.assistant.Assistant.ask", lambda self, question, *a, **k: contact_answer())
    question = ["ask", "who should I email about photonics hardware?", *data]

    shown = run(cli, *question).stdout
    hidden = run(cli, *question, env={"RECRUIT_SHOW_CONTACTS": "never"}).stdout

    assert "elena.voss@example.com" in shown and "+49 30 5550 1234" in shown
    assert "elena.voss@example.com" not in hidden and "5550 1234" not in hidden
    assert "[email hidden]" in hidden and "[phone hidden]" in hidden and "2019–2023" in hidden


def test_quotes_are_printed_without_highlighting() -> None:
    import io

    from rich.console import Console

    from bot.terminal import print_answer

    out = io.StringIO()
    print_answer(Console(file=out, force_terminal=True, color_system="truecolor", width=300),
                 contact_answer())
    quote_line = next(line for line in out.getvalue().splitlines() if "Reach me" in line)
    assert "Reach me at elena.voss@example.com or +49 30 5550 1234 (Munich, 2019–2023)" in quote_line


def test_merge_and_remove_ask_first_on_a_terminal(cli: CliRunner, tmp_path: Path,
                                                  small_corpus: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    run(cli, "ingest", str(small_corpus), *data)
    monkeypatch.setattr("bot.cli._interactive", lambda: True)
    names = lambda: sorted(p["name"] for p in json.loads(run(cli, "candidates", "--json", *data).stdout))  # noqa: E731

    declined = cli.invoke(app, ["merge", "Elena Voss", "Samuel Okafor", *data], input="n\n")
    assert declined.exit_code == 1 and "nothing changed" in declined.output
    assert "Merge Samuel Okafor" in declined.output and names() == ["Elena Voss", "Samuel Okafor", "李明远"]
    kept = cli.invoke(app, ["remove", str(small_corpus / "samuel_okafor_resume.txt"), *data], input="\n")
    assert kept.exit_code == 1 and "Samuel Okafor" in names()

    assert run(cli, "remove", str(small_corpus / "samuel_okafor_resume.txt"), *data, "--yes").exit_code == 0
    assert names() == ["Elena Voss", "李明远"]
