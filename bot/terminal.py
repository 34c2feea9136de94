"""Render answers, summaries and ingest reports for a terminal (rich).

Verbatim text from the documents (quotes, card lines) is printed without rich's highlighting,
which would colour the digits and dates inside a quote, and with contact details masked when
`mask` is set (RECRUIT_SHOW_CONTACTS=never)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from candidates.contacts import mask_contacts, mask_name
from retrieval.types import (Answer, CandidateInfo, FileOutcome, IngestReport, MatchAnswer,
                             Requirement, Summary)

_STATUS_STYLE = {"added": "green", "updated": "cyan", "unchanged": "dim", "duplicate": "yellow",
                 "failed": "bold red", "skipped": "yellow"}


def _shown(text: str, mask: bool) -> str:
    """Document text as printed: one line, contacts masked when asked, markup escaped."""
    text = " ".join(text.split())
    return escape(mask_contacts(text) if mask else text)


def _name(text: str, mask: bool) -> str:
    """A person's name or a file name as printed: contacts masked when asked (a candidate with no
    name found is labelled by a file name), control characters shown, markup escaped."""
    return escape(printable(mask_name(text) if mask else text))


def _where(source: str, page: int | None, section: str | None, mask: bool = False) -> str:
    """"file.pdf · p. 2 · Experience" (escaped)."""
    parts = [_name(Path(source).name, mask)]
    if page is not None:
        parts.append(f"p. {page}")
    if section:
        parts.append(escape(section))
    return " · ".join(parts)


def print_answer(console: Console, answer: Answer, mask: bool = False) -> None:
    console.print(f"[bold]Q:[/bold] {escape(answer.question)}")
    if answer.notice:
        console.print(f"[yellow]{escape(answer.notice)}[/yellow]")
    if answer.no_match:
        console.print("[yellow]No one in the documents matches this question.[/yellow]\n")
        return
    for rank, hit in enumerate(answer.candidates, 1):
        note = "" if hit.name_found else " [dim](no name found in the document)[/dim]"
        headline = f" — {escape(hit.headline)}" if hit.headline else ""
        console.print(f"\n[bold cyan]{rank}. {_name(hit.name, mask)}[/bold cyan]{headline}{note}")
        for flag in hit.flags:
            console.print(f"   [yellow]warning: {escape(flag)}[/yellow]")
        if hit.reason:
            console.print(f"   [green]why:[/green] {escape(' '.join(hit.reason.split()))} "
                          f"[dim]{escape(hit.reason_refs())}[/dim]")
        for n, c in enumerate(hit.citations, 1):
            console.print(f"   [{n}] “{_shown(c.display_quote(), mask)}”", highlight=False)
            console.print(f"       [dim]{_where(c.source, c.page, c.section, mask)}[/dim]")
            if c.note:
                console.print(f"       [yellow]note: {escape(c.note)}[/yellow]")
    if answer.composed_by:
        console.print(f"\n[dim]“why” lines are written by {escape(answer.composed_by)} from the "
                      "quotes shown and checked against them.[/dim]")
    console.print()


def printable(text: str) -> str:
    """A file name as one harmless line: newlines, escape sequences and other control characters
    shown as their code ("\\n", "\\x1b") instead of forging lines or driving the terminal."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def print_outcome(console: Console, outcome: FileOutcome) -> None:
    style = _STATUS_STYLE.get(outcome.status, "")
    name = escape(printable(Path(outcome.source).name))
    line = f"[{style}]{outcome.status:>9}[/{style}]  {name}"
    if outcome.status == "failed":
        line += f": {escape(outcome.message or 'failed')}"
    elif outcome.status == "skipped":
        line += f" ({escape(outcome.message or 'not read')})"
    elif outcome.status == "duplicate":
        line += f" ({escape(outcome.message or '')})"
    else:
        label = escape(outcome.candidate_name or "?")
        if not outcome.name_found:
            label += " [dim](no name found; labelled by file name)[/dim]"
        line += f" → {label}, {outcome.passages} passages"
    console.print(line)
    for warning in outcome.warnings:
        if "no candidate name" not in warning:
            console.print(f"           [yellow]warning:[/yellow] {escape(warning)}")


def print_report(console: Console, report: IngestReport) -> None:
    skipped = f", {report.count('skipped')} skipped" if report.count("skipped") else ""
    console.print(
        f"\n{report.count('added')} added, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged, {report.count('duplicate')} duplicate, "
        f"{report.count('failed')} failed{skipped}; {report.passages_written} passages written "
        f"in {report.seconds:.1f} s")


def print_candidates(console: Console, people: list[CandidateInfo], mask: bool = False) -> None:
    if not people:
        console.print("No candidates yet: run `recruit ingest PATH`.")
        return
    table = Table("name", "id", "headline", "docs")
    for p in people:
        name = _name(p.name, mask) + ("" if p.name_found else " [dim](no name found)[/dim]")
        table.add_row(name, escape(p.id), escape(p.headline or ""), str(len(p.sources)))
    console.print(table)


def _choices(people: list[CandidateInfo], mask: bool = False) -> str:
    return "\n".join(f"  {escape(c.id)}: {_name(c.name, mask)}, "
                     f"{escape(c.headline or 'no headline')} "
                     f"({', '.join(_name(Path(s).name, mask) for s in c.sources)})" for c in people)


def print_summary(console: Console, summary: Summary, query: str, mask: bool = False) -> None:
    if summary.candidate is None and summary.ambiguous:
        console.print(f"[yellow]Several candidates match {escape(query)}; "
                      f"ask for one by id:[/yellow]\n{_choices(summary.ambiguous, mask)}")
        return
    if summary.candidate is None:
        console.print(f"[yellow]No candidate named {escape(query)} in the documents.[/yellow]")
        if summary.suggestions:
            console.print(f"Did you mean:\n{_choices(summary.suggestions, mask)}")
        return
    person = summary.candidate
    aka = f" [dim](also {escape(', '.join(person.aliases[:3]))})[/dim]" if person.aliases else ""
    console.print(f"[bold cyan]{_name(person.name, mask)}[/bold cyan]{aka}")
    if not person.name_found:
        console.print("[dim]No name was found in this candidate's documents; "
                      "labelled by file name.[/dim]")
    if summary.ambiguous:
        console.print(f"[yellow]Others also match {escape(query)}:[/yellow]\n"
                      f"{_choices([c for c in summary.ambiguous if c.id != person.id], mask)}")
    for flag in summary.flags:
        console.print(f"[yellow]warning:[/yellow] {escape(flag)}")
    if summary.notice:
        console.print(f"[yellow]{escape(summary.notice)}[/yellow]")
    if summary.overview:
        console.print(f"  [green]overview:[/green] {escape(' '.join(summary.overview.split()))}")
        console.print(f"      [dim]by {escape(summary.composed_by or 'an LLM')}, from the lines "
                      f"{escape(', '.join(summary.overview_fields()))}[/dim]")
    for line in summary.lines:
        c = line.citation
        console.print(f"  [bold]{line.field}[/bold]: {_shown(line.text, mask)}", highlight=False)
        if line.note:
            console.print(f"      [yellow]note: {escape(line.note)}[/yellow]")
        console.print(f"      [dim]{_where(c.source, c.page, c.section, mask)}[/dim]")


# --- job descriptions ---------------------------------------------------------------------

VERDICT_MARK = {"met": "[green]✓ met[/green]", "partly": "[yellow]~ partly[/yellow]",
                "no": "[red]✗ no[/red]"}


def requirement_line(r: Requirement) -> str:
    need = "must" if r.must else "nice"
    by = f" [dim](proposed by {escape(r.proposed_by)})[/dim]" if r.proposed_by else ""
    value = f" → {escape(r.value)}" if r.kind != "topic" else ""
    return f"  {r.id}  [bold]{need}[/bold]  {r.kind}: {escape(r.text)}{value}{by}"


def print_requirements(console: Console, answer: MatchAnswer) -> None:
    title = f" for {escape(answer.title)}" if answer.title else ""
    console.print(f"[bold]Requirements read{title}[/bold] "
                  "[dim](--drop ID / --flip ID to change them)[/dim]")
    for r in answer.requirements:
        console.print(requirement_line(r))
    for r in answer.dropped:
        console.print(f"  [dim]{r.id}  dropped: {escape(r.text)}[/dim]")


def print_match(console: Console, answer: MatchAnswer, mask: bool = False) -> None:
    """The requirements as read, a candidate × requirement table, then each candidate's quotes."""
    print_requirements(console, answer)
    if answer.notice:
        console.print(f"[yellow]{escape(answer.notice)}[/yellow]")
    if answer.no_match:
        console.print("\n[yellow]No one in the documents meets any of these requirements.[/yellow]\n")
        return
    table = Table("#", "candidate", *[r.id + ("" if r.must else " (nice)") for r in answer.requirements])
    for rank, hit in enumerate(answer.candidates, 1):
        cells = [VERDICT_MARK[c.verdict] if (c := hit.cell(r.id)) else "" for r in answer.requirements]
        name = _name(hit.name, mask) + (" [green]★[/green]" if hit.musts_met else "")
        table.add_row(str(rank), name, *cells)
    console.print(table)
    console.print("[dim]★ meets every must-have[/dim]")
    by_id = {r.id: r for r in answer.requirements}
    for rank, hit in enumerate(answer.candidates, 1):
        headline = f" — {escape(hit.headline)}" if hit.headline else ""
        console.print(f"\n[bold cyan]{rank}. {_name(hit.name, mask)}[/bold cyan]{headline}")
        for flag in hit.flags:
            console.print(f"   [yellow]warning: {escape(flag)}[/yellow]")
        for cell in hit.coverage:
            r = by_id.get(cell.requirement)
            note = f" [dim]({escape(cell.note)})[/dim]" if cell.note else ""
            label = escape(r.text if r else cell.requirement)
            console.print(f"   {cell.requirement} {VERDICT_MARK[cell.verdict]}: {label}{note}")
            if cell.citation is not None:
                c = cell.citation
                console.print(f"       “{_shown(c.display_quote(), mask)}”", highlight=False)
                console.print(f"       [dim]{_where(c.source, c.page, c.section, mask)}[/dim]")
    console.print()


def print_comparison(console: Console, comparison, mask: bool = False) -> None:
    """Two or three candidates side by side: their card lines, then the verdicts when a job
    was given; every quote's source below the table."""
    for name in comparison.missing:
        console.print(f"[yellow]No candidate named {escape(name)} in the documents.[/yellow]")
    cards = [c for c in comparison.cards if c.candidate is not None]
    if not cards:
        return
    table = Table("", *[_name(c.candidate.name, mask) for c in cards], show_lines=True)
    fields = list(dict.fromkeys(line.field for c in cards for line in c.lines))
    for field in fields:
        table.add_row(field, *["\n".join(_shown(line.text, mask) for line in c.lines
                                         if line.field == field) for c in cards])
    shortlist = comparison.shortlist
    if shortlist is not None:
        by_id = {h.id: h for h in shortlist.candidates}
        for r in shortlist.requirements:
            row = []
            for c in cards:
                cell = by_id[c.candidate.id].cell(r.id) if c.candidate.id in by_id else None
                if cell is None:
                    row.append("")
                    continue
                quote = f"\n“{_shown(cell.citation.display_quote(), mask)}”" if cell.citation else ""
                row.append(VERDICT_MARK[cell.verdict] + quote)
            table.add_row(f"{r.id} {'must' if r.must else 'nice'}: {escape(r.text)}", *row)
    console.print(table)
    for c in cards:
        sources = ", ".join(_name(Path(s).name, mask) for s in c.candidate.sources)
        console.print(f"[dim]{_name(c.candidate.name, mask)}: {sources}[/dim]")
