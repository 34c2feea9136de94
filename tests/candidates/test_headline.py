"""The headline a card and every answer show: the current role, read from a role line near the
top or else from the position held now (its entry), never a bare line of dates."""

from __future__ import annotations

from candidates.profile import extract_profile
from ingest.pipeline import build_passages
from retrieval.types import PageSpan, ParsedDocument


def _profile(text: str):
    doc = ParsedDocument(source="jordan.txt", text=text, pages=[PageSpan(page=1, start=0, end=len(text))])
    record, passages = build_passages(doc, "doc1")
    return doc, extract_profile(doc, passages, record.detected_name, False)


def test_the_position_held_now_is_the_headline_whatever_line_its_dates_are_on() -> None:
    doc, profile = _profile(
        "Jordan Vale\njordan.vale@example.com\n\nEXPERIENCE\nNorthwind Analytics, Denver, CO\n"
        "Data Engineer\nMarch 2019 – Present\n• Built the billing pipelines in Spark.\n"
        "Lakeshore Labs\nAnalyst\nJune 2016 – February 2019\n• Wrote reports.\n")
    [headline] = profile.of("headline")
    assert headline.detail["label"] == "Data Engineer, Northwind Analytics (2019 – present)"
    assert doc.text[headline.start:headline.end] == headline.text  # cites the entry's lines
    assert headline.text.endswith("March 2019 – Present")


def test_a_role_line_at_the_top_stays_the_headline() -> None:
    _, profile = _profile(
        "Jordan Vale\nStaff Machine Learning Engineer\n\nEXPERIENCE\nNorthwind Analytics\n"
        "Data Engineer\nMarch 2019 – Present\n")
    [headline] = profile.of("headline")
    assert headline.text == "Staff Machine Learning Engineer" and "label" not in headline.detail


def test_a_headline_and_its_card_line_read_without_markup(make_assistant, tmp_path) -> None:
    """A Markdown or HTML role line is shown as a reader sees it; the citation keeps the line
    verbatim."""
    from tests.conftest import ingest

    resume = tmp_path / "jordan-vale.md"
    resume.write_text("# Jordan Vale\n\n<p class=\"role\">**Senior Data Engineer** at "
                      "[Northwind](https://northwind.example), Denver</p>\n\n## Experience\n\n"
                      "- Built the billing pipelines in Spark.\n", encoding="utf-8")
    assistant = make_assistant()
    ingest(assistant, resume)
    [person] = assistant.candidates()
    assert person.headline == "Senior Data Engineer at Northwind, Denver"
    card = assistant.summary("Jordan Vale")
    line = next(x for x in card.lines if x.field == "headline")
    assert line.text == "Senior Data Engineer at Northwind, Denver"
    assert line.citation.quote.startswith("<p class=\"role\">**Senior Data Engineer**")
