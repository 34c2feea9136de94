"""Who each document is about: documents of one person become one candidate.

Two documents are the same person when their names match in any script (赵天辰 = "Tianchen
Zhao") and they share an e-mail address, a phone number or a link; a user's `merge` joins any
two. Same name without shared contact details stays two candidates (the answer then lists the
choices). A user's `rename` sets the display name. Both fixes are kept by source path, so they
survive re-ingest.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from candidates.names import canonical_name, is_cjk_name, name_slug
from retrieval.store import Store
from retrieval.types import DocumentRecord, IdentityOverride


@dataclass(frozen=True)
class Identity:
    candidate_id: str
    name: str
    name_found: bool


class _UnionFind:
    def __init__(self, items: list[str]):
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def assign(records: list[DocumentRecord], overrides: list[IdentityOverride]) -> dict[str, Identity]:
    """source → Identity for every document."""
    sources = sorted(r.source for r in records)
    by_source = {r.source: r for r in records}
    groups = _UnionFind(sources)
    _join_same_name_with_shared_contact(records, groups)
    for o in sorted(overrides, key=lambda o: o.at):
        if o.same_as and o.source in by_source and o.same_as in by_source:
            groups.union(o.source, o.same_as)
    members: dict[str, list[str]] = {}
    for source in sources:
        members.setdefault(groups.find(source), []).append(source)
    renames = {o.source: o for o in overrides if o.name}
    named = [(root, _display_name(docs, by_source, renames)) for root, docs in members.items()]
    base_count: dict[str, int] = {}
    for _, (name, found) in named:
        if found:
            base_count[name_slug(name)] = base_count.get(name_slug(name), 0) + 1
    out: dict[str, Identity] = {}
    for root, (name, found) in named:
        cid = _candidate_id(root, name, found, base_count)
        for source in members[root]:
            out[source] = Identity(cid, name, found)
    return out


def _join_same_name_with_shared_contact(records: list[DocumentRecord], groups: _UnionFind) -> None:
    first_with: dict[tuple[str, str], str] = {}
    for record in sorted(records, key=lambda r: r.source):
        if not record.detected_name:
            continue
        key = canonical_name(record.detected_name)
        for contact in record.contacts:
            other = first_with.setdefault((key, contact), record.source)
            groups.union(other, record.source)


def _display_name(docs: list[str], by_source: dict[str, DocumentRecord],
                  renames: dict[str, IdentityOverride]) -> tuple[str, bool]:
    fixed = [renames[s] for s in docs if s in renames]
    if fixed:
        return max(fixed, key=lambda o: o.at).name or "", True
    names = [by_source[s].detected_name for s in docs if by_source[s].detected_name]
    if names:
        cjk = [n for n in names if is_cjk_name(n)]
        return (cjk or names)[0], True  # the name as the person writes it in Chinese, if any
    return by_source[docs[0]].candidate_name, False


def _candidate_id(root: str, name: str, found: bool, base_count: dict[str, int]) -> str:
    digest = hashlib.sha1(root.encode("utf-8")).hexdigest()
    if not found:
        return f"doc-{digest[:10]}"
    base = name_slug(name) or f"doc-{digest[:10]}"
    return base if base_count.get(base, 0) <= 1 else f"{base}-{digest[:6]}"


def reconcile(store: Store) -> int:
    """Recompute who every document is about and update the registry; returns documents moved."""
    records = store.documents()
    wanted = assign(records, store.overrides())
    moved = 0
    for record in records:
        identity = wanted[record.source]
        if (record.candidate_id, record.candidate_name, record.name_found) != \
                (identity.candidate_id, identity.name, identity.name_found):
            store.set_identity(record.source, identity.candidate_id, identity.name,
                               identity.name_found)
            moved += 1
    return moved


def rename(store: Store, sources: list[str], name: str) -> int:
    """Give the person of these documents a display name (kept across re-ingests)."""
    now = time.time()
    with store.exclusive():  # another process's ingest must not reconcile from half of it
        for source in sources:
            store.save_override(IdentityOverride(source=source, name=name, at=now))
        return reconcile(store)


def merge(store: Store, keep: list[str], other: list[str]) -> int:
    """Declare the documents `other` to be about the same person as `keep` (kept across re-ingests)."""
    now = time.time()
    with store.exclusive():
        for source in other:
            store.save_override(IdentityOverride(source=source, same_as=keep[0], at=now))
        return reconcile(store)
