"""The alias tables (retrieval/aliases.toml) are data: each form belongs to one row, and each row
is used as intended by question expansion and list questions."""

from __future__ import annotations

from retrieval.aliases import TABLES, alias_tables, aliases_of, canonical, places_within, rows


def test_every_form_belongs_to_exactly_one_row() -> None:
    owner: dict[str, tuple[str, ...]] = {}
    for row in rows():
        assert row and all(form.strip() == form and form for form in row), row
        for form in row:
            assert owner.setdefault(form.casefold(), row) == row, f"{form!r} is in two rows"


def test_rows_expand_across_languages_and_give_their_canonical_name() -> None:
    assert set(alias_tables()) == set(TABLES)
    for table in ("employers", "schools", "places"):
        for row in alias_tables()[table]:
            for form in row:
                assert canonical(form, table) == row[0]
                assert set(aliases_of(form)) == {f for f in row if f.casefold() != form.casefold()}


def test_common_words_are_not_aliases() -> None:
    for word in ("us", "red", "bit", "arm", "grab", "la", "inference", "pruning", "attention"):
        assert canonical(word, "employers", "schools", "places") is None, word


def test_within_rows_name_known_places() -> None:
    places = {form.casefold() for row in alias_tables()["places"] for form in row}
    assert "berlin" in {p.casefold() for p in places_within("德国")}
    assert "WA" in places_within("USA")
    for container in ("China", "Germany", "United States"):
        assert container.casefold() in places
