"""The `recruit` command: ingest, ask, shell, status, candidates, summary, remove, rename, merge,
eval, feedback export, serve.

Start-up is most of a one-shot command's time, so each command imports what it needs when it
runs, and the cyclic garbage collector is off while modules load (see `main` and `_settle`).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from retrieval.errors import RecruitError
from retrieval.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Resumes in, cited answers out.")
# No highlighting (it colours the digits inside verbatim quotes) and no emoji codes (":smile:"
# in a resume stays as written; loading rich's emoji table also cost a cold command 30 ms);
# soft wrap, so piped output is not cut at 80 columns in the middle of a message.
console = Console(highlight=False, emoji=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)

USAGE = ('Ask who in the documents matches something, e.g. recruit ask "Who has worked on '
         'quantization?", or for one person\'s card: recruit ask "Summarize Jane Doe".')


def _settings(data_dir: Optional[Path]) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


def _settle() -> None:
    """After the imports: what is loaded now lives as long as the process, so it is taken out
    of the collector's passes for good, and collection resumes (for long commands)."""
    gc.freeze()
    gc.enable()


def _assistant(settings: Settings, read_only: bool = False):
    """The assistant; for a command that only reads, over the store's read snapshot when that
    is current (no Chroma to import or open: retrieval/snapshot.py)."""
    from bot.assistant import Assistant
    from bot.process import tune_for_questions

    if read_only:
        from retrieval.snapshot import open_for_reading

        assistant = Assistant(settings, store=open_for_reading(settings))
    else:
        assistant = Assistant(settings)
    _settle()
    return tune_for_questions(assistant)


def _store_missing(settings: Settings) -> bool:
    """An embedded store that was never written (a question must not create an empty one)."""
    return settings.chroma_host is None and not settings.chroma_dir.is_dir()


def _fill_hint(settings: Settings, empty: bool) -> str:
    where = settings.data_dir if settings.chroma_host is None else \
        f"the Chroma server {settings.chroma_host}:{settings.chroma_port}"
    state = "has no documents yet" if empty else "does not exist yet"
    return (f"The store at {where} {state}: run `recruit ingest PATH` to fill it, or point "
            "--data-dir / RECRUIT_DATA_DIR at another store (see `recruit status`).")


def _require_store(settings: Settings) -> None:
    if _store_missing(settings):
        err_console.print(_fill_hint(settings, empty=False))
        raise typer.Exit(1)


def _is_question(text: str) -> bool:
    """Anything with a letter or digit in it (any script): "" or "???" is not a question."""
    return any(ch.isalnum() for ch in text)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _confirm(prompt: str, yes: bool) -> None:
    """Ask before a change that is not undone by re-ingesting, when someone is at a terminal."""
    if yes or not _interactive():
        return
    if not typer.confirm(prompt, default=False):
        err_console.print("nothing changed")
        raise typer.Exit(1)


DataDir = typer.Option(None, "--data-dir", help="Store location (default: RECRUIT_DATA_DIR, "
                       "else the user's data directory; `recruit status` shows it).")
AsJson = typer.Option(False, "--json", help="Print JSON instead of text.")
Yes = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")


# ---------------------------------------------------------------------------------------------
# Ingest


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files or directories (walked recursively)."),
           data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """Parse, split, embed and store resumes; every file gets a line. Exit status 1 when any
    file failed."""
    from bot.terminal import print_outcome, print_report
    from ingest.pipeline import ingest_paths, iter_files, source_of, unsupported_files
    from retrieval.memory import return_freed_memory
    from retrieval.types import FileOutcome

    started = time.perf_counter()
    settings = _settings(data_dir)
    files = list(iter_files(paths))
    skipped = [FileOutcome(source=source_of(p), status="skipped",
                           message=f"unsupported type {p.suffix.lower() or '(no extension)'}")
               for p in unsupported_files(paths)]
    show = not as_json
    if show:
        console.print(f"ingesting {len(files)} file(s) into {settings.data_dir}")
        for outcome in skipped:
            print_outcome(console, outcome)
    assistant = _assistant(settings)
    with _progress(show and len(files) >= 3) as bar:
        task = bar.add_task("files", total=len(files))

        def on_file(outcome):
            bar.advance(task)
            if show:
                print_outcome(bar.console, outcome)

        report = ingest_paths(files, settings, assistant.store, assistant.embeddings, on_file)
    if report.count("added") or report.count("updated"):
        return_freed_memory()  # the batches' buffers, before the index is built on top
        _build_index(assistant, show)  # now, not at the first question
    report.files.extend(skipped)
    report.seconds = time.perf_counter() - started  # the whole command, not only the files
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        print_report(console, report)
    raise typer.Exit(1 if report.failed else 0)


def _progress(enabled: bool, total_label: bool = True):
    """A progress bar on a terminal; nothing when output is piped (plain lines only)."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                               TextColumn, TimeElapsedColumn)

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()] \
        if total_label else [SpinnerColumn(), TextColumn("{task.description}")]
    return Progress(*columns, TimeElapsedColumn(), console=console, transient=True,
                    disable=not (enabled and console.is_terminal))


class _CountingEmbeddings:
    """The assistant's embedder, counting the texts it embeds (progress of the index build)."""

    def __init__(self, inner, on_texts):
        self._inner, self._on_texts = inner, on_texts

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._inner.embed_documents(texts)
        self._on_texts(len(texts))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def _build_index(assistant, show: bool) -> None:
    """Build the keyword index and its lexicon (every new word embedded), saying so."""
    started = time.perf_counter()
    if show and not console.is_terminal:
        console.print("building the keyword index (embedding the corpus's words)")
    inner = assistant.embeddings
    with _progress(show, total_label=False) as bar:
        task = bar.add_task("keyword index: 0 words embedded", total=None)
        counted = {"words": 0}

        def on_texts(n: int) -> None:
            counted["words"] += n
            bar.update(task, description=f"keyword index: {counted['words']:,} words embedded")

        assistant.embeddings = _CountingEmbeddings(inner, on_texts)
        try:
            assistant.refresh(force=True)
        finally:
            assistant.embeddings = inner
    if show:
        console.print(f"keyword index built in {time.perf_counter() - started:.1f} s "
                      f"({counted['words']:,} new words embedded)")


# ---------------------------------------------------------------------------------------------
# Questions


@app.command()
def ask(question: str = typer.Argument(..., help='The question; "-" reads one question per '
                                       "line from standard input."),
        data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """Who in the documents matches QUESTION, with verbatim cited passages. "Summarize NAME"
    answers with that person's card, as `recruit summary NAME` does. With "-", each line of
    standard input is a question (with --json, one JSON answer per line)."""
    if question != "-" and not _is_question(question):
        err_console.print(USAGE)
        raise typer.Exit(2)
    settings = _settings(data_dir)
    _require_store(settings)
    assistant = _assistant(settings, read_only=True)
    if question != "-":
        raise typer.Exit(_answer(assistant, question, as_json, indent=2))
    worst = 0
    for line in sys.stdin:
        if _is_question(line):
            worst = max(worst, _answer(assistant, line.strip(), as_json, indent=None))
    raise typer.Exit(worst)


def _answer(assistant, question: str, as_json: bool, indent: int | None) -> int:
    """Print the answer to one question (or the card it asks for); the exit status it earns."""
    from bot.terminal import print_answer, print_summary

    mask = assistant.settings.show_contacts == "never"
    response = assistant.respond(question)
    if response.kind == "summary":
        name, result = response.name, response.summary
        if as_json:
            print(result.model_dump_json(indent=indent))
        else:
            print_summary(console, result, name, mask=mask)
        return 0 if result.candidate is not None else _nobody_stored(assistant, 1)
    answer = response.answer
    if as_json:
        print(answer.model_dump_json(indent=indent))
    else:
        print_answer(console, answer, mask=mask)
    return _nobody_stored(assistant, 0) if answer.no_match else 0


def _nobody_stored(assistant, status: int) -> int:
    """After an empty answer: when the store holds no documents at all, say how to fill it."""
    if assistant.store.documents():
        return status
    err_console.print(_fill_hint(assistant.settings, empty=True))
    return 1


@app.command()
def shell(data_dir: Optional[Path] = DataDir) -> None:
    """Ask many questions in one process: after the first, answers take milliseconds. Line
    editing and history (kept in the store's directory) on a terminal; `exit` or Ctrl-D ends."""
    settings = _settings(data_dir)
    _require_store(settings)
    assistant = _assistant(settings)
    history = _load_history(settings.data_dir / "shell-history")
    prompt = "recruit> " if _interactive() else ""
    if prompt:
        console.print(f"[dim]{settings.data_dir} · ask a question or 'Summarize NAME'; "
                      "'exit' or Ctrl-D to leave[/dim]")
    assistant.warm()  # the embedder and the index now, not in the first answer
    try:
        while True:
            try:
                line = input(prompt).strip()
            except EOFError:
                break
            except KeyboardInterrupt:
                console.print()
                continue
            if line.lower() in ("exit", "quit", ":q"):
                break
            if line and not _is_question(line) or line.lower() in ("help", "?"):
                console.print(USAGE)
            elif line:
                try:
                    _answer(assistant, line, as_json=False, indent=None)
                except RecruitError as e:
                    err_console.print(f"error: {e}")
    finally:
        history()


def _load_history(path: Path):
    """Line editing with the history of earlier sessions; returns the function that saves it."""
    try:
        import readline
    except ImportError:  # no readline (Windows): plain input
        return lambda: None
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)

    def save() -> None:
        try:
            readline.write_history_file(path)
        except OSError:
            pass

    return save


@app.command()
def status(data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """Where the store is and what it holds: documents, candidates, passages, whether the
    keyword index is up to date, and the embedder."""
    from bot.status import print_status, store_status

    settings = _settings(data_dir)
    report = store_status(settings, None if _store_missing(settings) else _assistant(settings))
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_status(console, report)


# ---------------------------------------------------------------------------------------------
# People


@app.command()
def candidates(data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """List everyone in the store."""
    from bot.terminal import print_candidates

    settings = _settings(data_dir)
    people = [] if _store_missing(settings) else _assistant(settings, read_only=True).candidates(entries=as_json)
    if as_json:
        print(json.dumps([p.model_dump(exclude={"facts"}) for p in people], ensure_ascii=False,
                         indent=2))
    else:
        print_candidates(console, people, mask=settings.show_contacts == "never")
        if not people:
            console.print(f"[dim]store: {settings.data_dir}[/dim]")


@app.command()
def summary(name: str, data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """A cited summary card of one candidate (names match across scripts)."""
    from bot.terminal import print_summary

    if not _is_question(name):
        err_console.print('Name someone, e.g. recruit summary "Jane Doe" (see `recruit candidates`).')
        raise typer.Exit(2)
    settings = _settings(data_dir)
    _require_store(settings)
    assistant = _assistant(settings, read_only=True)
    result = assistant.summary(name)
    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print_summary(console, result, name, mask=settings.show_contacts == "never")
    if result.candidate is None:
        # no such person, or several: the output lists the choices
        raise typer.Exit(_nobody_stored(assistant, 1))


@app.command()
def remove(source: Path = typer.Argument(..., help="The file as it was ingested."),
           data_dir: Optional[Path] = DataDir, yes: bool = Yes) -> None:
    """Delete a document and its passages from the store."""
    from candidates.identity import reconcile
    from ingest.pipeline import source_of

    settings = _settings(data_dir)
    _require_store(settings)
    assistant = _assistant(settings)
    store = assistant.store
    record = store.find_source(source_of(source)) or store.find_source(str(source))
    if record is None:
        err_console.print(f"{source}: not in the store")
        raise typer.Exit(1)
    _confirm(f"Remove {record.source} ({record.passages} passages of {record.candidate_name})?", yes)
    with store.exclusive():  # identities recomputed from the registry this remove leaves
        removed = store.remove(record.source)
        if removed is not None:
            reconcile(store)
    if removed is None:  # removed by another process meanwhile
        err_console.print(f"{source}: not in the store")
        raise typer.Exit(1)
    console.print(f"removed {source} ({removed.passages} passages of {removed.candidate_name})")


def _one_candidate(assistant, name: str):
    """The candidate NAME (or id) refers to; a clear error when none or several match."""
    matches = assistant.find(name)
    if not matches:
        err_console.print(f"no candidate named {name!r}; see `recruit candidates`")
        raise typer.Exit(1)
    if len(matches) > 1:
        choices = "; ".join(f"{c.id} ({c.name}, {', '.join(Path(s).name for s in c.sources)})"
                            for c in matches)
        err_console.print(f"{name!r} matches several candidates, use an id: {choices}")
        raise typer.Exit(1)
    return matches[0]


@app.command()
def rename(name: str = typer.Argument(..., help="The candidate's current name or id."),
           new_name: str = typer.Argument(..., help="The name to show from now on."),
           data_dir: Optional[Path] = DataDir) -> None:
    """Set a candidate's display name (kept when their documents are re-ingested)."""
    from candidates import identity

    settings = _settings(data_dir)
    _require_store(settings)
    assistant = _assistant(settings)
    person = _one_candidate(assistant, name)
    identity.rename(assistant.store, person.sources, new_name)
    console.print(f"{person.name} is now shown as {new_name} ({len(person.sources)} document(s))")


@app.command()
def merge(name: str = typer.Argument(..., help="The candidate to keep (name or id)."),
          other: str = typer.Argument(..., help="The candidate who is the same person (name or id)."),
          data_dir: Optional[Path] = DataDir, yes: bool = Yes) -> None:
    """Declare two candidates the same person (kept when their documents are re-ingested)."""
    from candidates import identity

    settings = _settings(data_dir)
    _require_store(settings)
    assistant = _assistant(settings)
    keep, same = _one_candidate(assistant, name), _one_candidate(assistant, other)
    if keep.id == same.id:
        err_console.print(f"{name!r} and {other!r} are already one candidate ({keep.id})")
        raise typer.Exit(1)
    _confirm(f"Merge {same.name} ({', '.join(Path(s).name for s in same.sources)}) into "
             f"{keep.name} ({', '.join(Path(s).name for s in keep.sources)})? They will be "
             "shown as one person from now on.", yes)
    identity.merge(assistant.store, keep.sources, same.sources)
    console.print(f"merged {same.name} ({len(same.sources)} document(s)) into {keep.name}")


# ---------------------------------------------------------------------------------------------
# Evaluation and the Slack bot


@app.command()
def match(job: str = typer.Argument(..., help='The job description: a file (PDF, DOCX, text) or '
                                     '"-" for standard input.'),
          drop: list[str] = typer.Option([], "--drop", help="Leave a requirement out: its id "
                                         "(r2) or words of it (kubernetes). Repeatable."),
          flip: list[str] = typer.Option([], "--flip", help="Turn a requirement must-have ↔ "
                                         "nice-to-have: its id or words of it. Repeatable."),
          limit: Optional[int] = typer.Option(None, "--limit", help="Show at most this many."),
          data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """The candidates who fit a job description: its requirements as read, then a shortlist
    with a verdict per requirement (met / partly / not met), each with a verbatim quote."""
    from bot.match import Matcher
    from bot.terminal import print_match

    text = _job_text(job)
    settings = _settings(data_dir)
    _require_store(settings)
    result = Matcher(_assistant(settings, read_only=True)).match(text, drop=drop, flip=flip, limit=limit)
    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print_match(console, result, mask=settings.show_contacts == "never")
    raise typer.Exit(0 if not result.no_match else 1)


def _job_text(job: str) -> str:
    """A job description from a file (through the ingest readers) or standard input."""
    if job == "-":
        text = sys.stdin.read()
    else:
        from ingest.readers import parse_document

        path = Path(job)
        if not path.is_file():
            err_console.print(f"no such file: {job}")
            raise typer.Exit(2)
        try:
            text = parse_document(path).text
        except RecruitError as e:
            err_console.print(str(e))
            raise typer.Exit(2) from e
    if not _is_question(text):
        err_console.print("The job description is empty.")
        raise typer.Exit(2)
    return text


@app.command()
def compare(names: list[str] = typer.Argument(..., help="Two or three candidates (names or ids)."),
            job: Optional[str] = typer.Option(None, "--job", help="A job description file (or "
                                              '"-"): adds the verdict on each requirement.'),
            data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """Two or three candidates side by side: their cards' lines and, with --job, the verdict
    on each of the job's requirements, each cited."""
    from bot.match import Matcher
    from bot.terminal import print_comparison

    if not 2 <= len(names) <= 3:
        err_console.print("Compare two or three candidates: recruit compare NAME NAME [NAME]")
        raise typer.Exit(2)
    text = _job_text(job) if job else None
    settings = _settings(data_dir)
    _require_store(settings)
    result = Matcher(_assistant(settings, read_only=True)).compare(names, text)
    if as_json:
        print(json.dumps({"cards": [c.model_dump(mode="json") for c in result.cards],
                          "missing": result.missing,
                          "shortlist": result.shortlist.model_dump(mode="json")
                          if result.shortlist else None}, indent=2, ensure_ascii=False))
    else:
        print_comparison(console, result, mask=settings.show_contacts == "never")
    raise typer.Exit(1 if result.missing else 0)


@app.command(name="eval")
def evaluate(questions: Path = typer.Argument(..., help="A questions .jsonl file."),
             corpus: Path = typer.Option(..., "--corpus", help="Directory of the documents."),
             out: Optional[Path] = typer.Option(None, "--out", help="Write the JSON report here."),
             embedding: Optional[str] = typer.Option(None, "--embedding",
                                                     help="Embedding backend to evaluate."),
             keep: Optional[Path] = typer.Option(None, "--data", help="Keep the store here and "
                                                 "reuse it next time (it must hold only this "
                                                 "corpus); default: a temporary store.")) -> None:
    """Score recall@3/5, MRR, false positives, negatives and verbatim quotes on a labelled set."""
    from bot.evaluate import print_eval, run_eval

    _settle()
    overrides = {"embedding": embedding} if embedding else {}
    report = run_eval(questions, corpus, Settings(**overrides), data_dir=keep)
    print_eval(console, report)
    target = out or Path(f"eval-{questions.stem}.json")
    target.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    console.print(f"report written to {target}")


feedback_app = typer.Typer(no_args_is_help=True, help="What Slack users said about answers.")
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(out: Optional[Path] = typer.Option(None, "--out", help="Write the JSONL here "
                                                       "(default: standard output)."),
                    data_dir: Optional[Path] = DataDir) -> None:
    """The 👍/👎 feedback log as eval questions (JSONL, the `recruit eval` format): 👍 makes the
    candidates shown relevant; a 👎's reasons make the missed people relevant and the wrong ones
    false positives; "wrong person" for everyone makes a `negative` question."""
    from bot.feedback import export
    from bot.state import read_feedback

    settings = _settings(data_dir)
    questions, skipped = export(read_feedback(settings.data_dir / "feedback" / "feedback.jsonl"))
    text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
    err_console.print(f"{len(questions)} question{'s' if len(questions) != 1 else ''} exported"
                      + (f", {skipped} vote{'s' if skipped != 1 else ''} without reasons skipped"
                         if skipped else "") + (f" to {out}" if out else ""))


@app.command()
def serve(http: bool = typer.Option(False, "--http", help="HTTP mode (Events API URL) instead "
                                    "of Socket Mode; needs SLACK_SIGNING_SECRET."),
          port: int = typer.Option(3000, "--port", help="HTTP mode: port to listen on."),
          host: str = typer.Option("0.0.0.0", "--host", help="HTTP mode: address to bind."),
          data_dir: Optional[Path] = DataDir) -> None:
    """Run the Slack bot: Socket Mode by default (SLACK_BOT_TOKEN + SLACK_APP_TOKEN), or
    `--http --port N` (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET; POST /slack/events, GET /health)."""
    import logging

    from bot.server import serve as run

    _settle()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run(_settings(data_dir), http=http, host=host, port=port)
    except RecruitError as e:
        typer.echo(f"error: {e}", err=True)  # one line, whatever the terminal width
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err_console.print("stopped")


def main() -> None:
    # A one-shot command is mostly imports, which run about 15% faster without the cyclic
    # collector walking the new modules' objects (cold `recruit ask`, CPU time, public set);
    # `_settle` turns it back on once the command's modules are loaded.
    gc.disable()
    try:
        app()
    except RecruitError as e:
        err_console.print(f"error: {e}")
        sys.exit(2)


if __name__ == "__main__":
    main()
