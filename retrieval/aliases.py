"""Bilingual names that embeddings match poorly: employers, schools, degrees, roles, fields.

A recruiter asks "who has worked at ByteDance?" about a resume that says 字节跳动, or "who has a
PhD?" about one that says 博士. The knowledge is data (`aliases.toml` beside this module): each
row lists the ways one thing is written, canonical form first, in a named table. A question term
matching any form is expanded to all of them.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

TABLES = ("employers", "schools", "places", "degrees", "roles", "fields")
_DATA = Path(__file__).with_name("aliases.toml")


@lru_cache(maxsize=1)
def _data() -> dict:
    """The alias file, read once."""
    with _DATA.open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def alias_tables() -> dict[str, tuple[tuple[str, ...], ...]]:
    """table name → rows; each row the forms of one thing, canonical first."""
    return {name: tuple(tuple(row) for row in _data().get(name, ())) for name in TABLES}


def rows(*tables: str) -> tuple[tuple[str, ...], ...]:
    """The rows of the named tables (all tables when none is named)."""
    data = alias_tables()
    return tuple(row for name in (tables or TABLES) for row in data[name])


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for row in rows():
        for form in row:
            index[form.lower()] = row
    return index


def known_names() -> frozenset[str]:
    """Every form of every row, lower case."""
    return frozenset(_index())


def aliases_of(term: str) -> tuple[str, ...]:
    """Other ways of writing `term` (empty when it is not a known name)."""
    row = _index().get(term.lower().strip())
    return tuple(a for a in row if a.lower() != term.lower()) if row else ()


@lru_cache(maxsize=256)
def places_within(place: str) -> tuple[str, ...]:
    """The places inside `place` ("Germany" → Berlin, Munich, …; "United States" → its cities
    and state codes), from the `within` table; empty when none are known."""
    within = _data().get("within", [])
    forms = {place.casefold(), *(a.casefold() for a in aliases_of(place))}
    return tuple(x for row in within if row[0].casefold() in forms for x in row[1:])


@lru_cache(maxsize=1)
def cased_forms() -> frozenset[str]:
    """Forms that count only as written, in capitals ("CV"), and not as the document's name."""
    return frozenset(_data().get("cased", ()))


@lru_cache(maxsize=1)
def document_words() -> frozenset[str]:
    """Words that, on a cased form's line, make it the name of the document ("Download CV")."""
    return frozenset(w.casefold() for w in _data().get("document_words", ()))


@lru_cache(maxsize=1)
def _tables_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for name, table in alias_tables().items():
        for row in table:
            for form in row:
                index.setdefault(form.lower(), set()).add(name)
    return {form: frozenset(names) for form, names in index.items()}


def tables_of(term: str) -> frozenset[str]:
    """The tables that know `term` as one of a row's forms ("清华" → schools)."""
    return _tables_index().get(term.lower().strip(), frozenset())


@lru_cache(maxsize=1)
def _place_forms() -> frozenset[str]:
    forms = {form.casefold() for row in alias_tables()["places"] for form in row}
    forms |= {p.casefold() for row in _data().get("within", []) for p in row if not p.isupper()}
    return frozenset(forms)


def is_place(term: str) -> bool:
    """Whether `term` is a country or city the tables know ("Seattle", "德国")."""
    return term.casefold().strip() in _place_forms()


def canonical(term: str, *tables: str) -> str | None:
    """The canonical form of a known name ("字节跳动" → "ByteDance"), within the named tables."""
    for row in rows(*tables):
        if any(term.lower().strip() == form.lower() for form in row):
            return row[0]
    return None
