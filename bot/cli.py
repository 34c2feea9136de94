"""The `recruit` command: ingest, ask, candidates, summary, remove, eval, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from retrieval.errors import RecruitError
from retrieval.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Resumes in, cited answers out.")
console = Console()
err_console = Console(stderr=True)


def _settings(data_dir: Optional[Path]) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


def _assistant(settings: Settings):
    from bot.assistant import Assistant

    return Assistant(settings)


DataDir = typer.Option(None, "--data-dir", help="Store location (default: RECRUIT_DATA_DIR).")
AsJson = typer.Option(False, "--json", help="Print JSON instead of text.")


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files or directories (walked recursively)."),
           data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """Parse, split, embed and store resumes. Exit status 1 when any file failed."""
    from bot.terminal import print_outcome, print_report
    from ingest.pipeline import ingest_paths, iter_files
    from retrieval.memory import return_freed_memory

    settings = _settings(data_dir)
    assistant = _assistant(settings)
    files = list(iter_files(paths))
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=as_json or len(files) < 3) as bar:
        task = bar.add_task("ingest", total=len(files))

        def on_file(outcome):
            bar.advance(task)
            if not as_json:
                print_outcome(bar.console, outcome)

        report = ingest_paths(files, settings, assistant.store, assistant.embeddings, on_file)
    if report.count("added") or report.count("updated"):
        return_freed_memory()  # the batches' buffers, before the index is built on top
        assistant.refresh(force=True)  # build the keyword index now, not at the first question
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        print_report(console, report)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def ask(question: str, data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """Who in the documents matches QUESTION, with verbatim cited passages. "Summarize NAME"
    answers with that person's card, as `recruit summary NAME` does."""
    from bot.routing import summary_request
    from bot.terminal import print_answer, print_summary

    assistant = _assistant(_settings(data_dir))
    routed = summary_request(question, assistant)
    if routed is not None:
        name, result = routed
        if as_json:
            print(result.model_dump_json(indent=2))
        else:
            print_summary(console, result, name)
        raise typer.Exit(0 if result.candidate is not None else 1)
    answer = assistant.ask(question)
    if as_json:
        print(answer.model_dump_json(indent=2))
    else:
        print_answer(console, answer)


@app.command()
def candidates(data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """List everyone in the store."""
    from bot.terminal import print_candidates

    people = _assistant(_settings(data_dir)).candidates(entries=as_json)
    if as_json:
        print(json.dumps([p.model_dump(exclude={"facts"}) for p in people], ensure_ascii=False,
                         indent=2))
    else:
        print_candidates(console, people)


@app.command()
def summary(name: str, data_dir: Optional[Path] = DataDir, as_json: bool = AsJson) -> None:
    """A cited summary card of one candidate (names match across scripts)."""
    from bot.terminal import print_summary

    result = _assistant(_settings(data_dir)).summary(name)
    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print_summary(console, result, name)
    if result.candidate is None:
        raise typer.Exit(1)  # no such person, or several: the output lists the choices


@app.command()
def remove(source: Path = typer.Argument(..., help="The file as it was ingested."),
           data_dir: Optional[Path] = DataDir) -> None:
    """Delete a document and its passages from the store."""
    from ingest.pipeline import source_of

    from candidates.identity import reconcile

    assistant = _assistant(_settings(data_dir))
    removed = assistant.store.remove(source_of(source)) or assistant.store.remove(str(source))
    if removed is None:
        err_console.print(f"{source}: not in the store")
        raise typer.Exit(1)
    reconcile(assistant.store)
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

    assistant = _assistant(_settings(data_dir))
    person = _one_candidate(assistant, name)
    identity.rename(assistant.store, person.sources, new_name)
    console.print(f"{person.name} is now shown as {new_name} ({len(person.sources)} document(s))")


@app.command()
def merge(name: str = typer.Argument(..., help="The candidate to keep (name or id)."),
          other: str = typer.Argument(..., help="The candidate who is the same person (name or id)."),
          data_dir: Optional[Path] = DataDir) -> None:
    """Declare two candidates the same person (kept when their documents are re-ingested)."""
    from candidates import identity

    assistant = _assistant(_settings(data_dir))
    keep, same = _one_candidate(assistant, name), _one_candidate(assistant, other)
    if keep.id == same.id:
        err_console.print(f"{name!r} and {other!r} are already one candidate ({keep.id})")
        raise typer.Exit(1)
    identity.merge(assistant.store, keep.sources, same.sources)
    console.print(f"merged {same.name} ({len(same.sources)} document(s)) into {keep.name}")


@app.command(name="eval")
def evaluate(questions: Path = typer.Argument(..., help="A questions .jsonl file."),
             corpus: Path = typer.Option(..., "--corpus", help="Directory of the documents."),
             out: Optional[Path] = typer.Option(None, "--out", help="Write the JSON report here."),
             embedding: Optional[str] = typer.Option(None, "--embedding",
                                                     help="Embedding backend to evaluate.")) -> None:
    """Score recall@3/5, MRR, false positives, negatives and verbatim quotes on a labelled set."""
    from bot.evaluate import print_eval, run_eval

    overrides = {"embedding": embedding} if embedding else {}
    report = run_eval(questions, corpus, Settings(**overrides))
    print_eval(console, report)
    target = out or Path(f"eval-{questions.stem}.json")
    target.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    console.print(f"report written to {target}")


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

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run(_settings(data_dir), http=http, host=host, port=port)
    except RecruitError as e:
        typer.echo(f"error: {e}", err=True)  # one line, whatever the terminal width
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err_console.print("stopped")


def main() -> None:
    try:
        app()
    except RecruitError as e:
        err_console.print(f"error: {e}")
        sys.exit(2)


if __name__ == "__main__":
    main()
