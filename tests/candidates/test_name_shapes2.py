"""Name lines written in further shapes: a Markdown heading whose name is a link, a surname-first
name under a bare document title, and a name joined by pipes with a role or places on the line
that opens the document. Lines that look like these but hold no name stay unread, and every
written form of a name found so finds the person. Every resume here is fictional."""

from __future__ import annotations

import pytest

from candidates.detect import detect_name
from candidates.names import resolve
from retrieval.types import CandidateInfo

LINKED_HEADING = """# [Ilse Varga](https://ilsevarga.example)

Data engineer in Tartu, building pipelines for Northwind Analytics.

## Experience
"""

LINKED_HEADING_MAILTO = """## [Ilse Varga](mailto:ilse@example.com)

Tartu, Estonia

## Skills
Python, Airflow
"""

LINKED_HEADING_WITH_CONTACTS = """# [Ilse Varga](https://ilsevarga.example) · [ilse@example.com](mailto:ilse@example.com)

## Experience
"""

SURNAME_FIRST_CAPS = """# CV

VARGA, Ilse.

## Education

University of Tartu, MSc Computer Science, 2014 – 2016
"""

SURNAME_FIRST_UNDER_CURRICULUM_VITAE = """# Curriculum Vitae

Varga, Ilse

ilse@example.com
"""

SURNAME_FIRST_WITH_INITIAL = """# Resume

Varga, Ilse K.

ilse@example.com
"""

SURNAME_FIRST_SHORT_SURNAME = """# CV

LI, Wei

wei@example.com
"""

PIPES_WITH_PLACES = """### ILSE VARGA | ESTONIA | TARTU

ilse@example.com | +372 5555 0100

## Experience
"""

PIPES_WITH_ROLE = """# Ilse Varga | Data Engineer

ilse@example.com

## Experience
"""

DASH_WITH_ROLE_AND_PLACE = """Ilse Varga - Senior Data Engineer - Tartu, Estonia
ilse@example.com
"""


@pytest.mark.parametrize("text, name", [
    (LINKED_HEADING, "Ilse Varga"),
    (LINKED_HEADING_MAILTO, "Ilse Varga"),
    (LINKED_HEADING_WITH_CONTACTS, "Ilse Varga"),
    (SURNAME_FIRST_CAPS, "Ilse VARGA"),
    (SURNAME_FIRST_UNDER_CURRICULUM_VITAE, "Ilse Varga"),
    (SURNAME_FIRST_WITH_INITIAL, "Ilse K. Varga"),
    (SURNAME_FIRST_SHORT_SURNAME, "Wei LI"),
    (PIPES_WITH_PLACES, "ILSE VARGA"),
    (PIPES_WITH_ROLE, "Ilse Varga"),
    (DASH_WITH_ROLE_AND_PLACE, "Ilse Varga"),
], ids=["linked-heading", "linked-heading-mailto", "linked-heading-contacts", "surname-first-caps",
        "surname-first-curriculum-vitae", "surname-first-initial", "surname-first-short-surname", "pipes-places", "pipes-role",
        "dash-role-place"])
def test_name_shapes(text: str, name: str) -> None:
    assert detect_name(text) == name


@pytest.mark.parametrize("text", [
    "# [Projects](#projects)\n\n- A scheduler for Northwind Analytics\n",
    "# [Projects](https://example.com/projects)\n\n- A scheduler\n",
    "# Resume | 2024\n\nBuilt data pipelines.\n",
    "Smith, Jones & Partners LLP\n\nAnnual report\n",
    "# CV\n\nSmith, Jones & Partners LLP\n\n## Experience\n",
    "TORONTO, ON\n\n## Experience\n",
    "# CV\n\nTORONTO, ON\n\n## Experience\n",
    "# CV\n\nBerlin, Germany\n\n## Experience\n",
    "San Francisco | CA\n\n## Experience\n",
    "Northwind Analytics | Data Engineer | 2019 – 2021\n\nBuilt data pipelines.\n",
], ids=["anchor-link-heading", "link-heading-section", "resume-year", "law-firm", "law-firm-under-cv",
        "city-code", "city-code-under-cv", "city-country-under-cv", "city-pipe-code", "job-line"])
def test_lines_that_are_not_names(text: str) -> None:
    assert detect_name(text) is None


def test_surname_first_needs_a_document_title_above() -> None:
    """Without a bare title above it, "Portland, Oregon"-shaped lines are not read as names."""
    assert detect_name("Varga, Ilse\n\nPortland, Oregon\n") is None


def _person(cid: str, name: str) -> CandidateInfo:
    return CandidateInfo(id=cid, name=name, name_found=True, sources=[f"{cid}.md"], document_ids=[cid])


@pytest.mark.parametrize("text", [SURNAME_FIRST_CAPS, SURNAME_FIRST_WITH_INITIAL, PIPES_WITH_PLACES])
@pytest.mark.parametrize("typed", ["Ilse Varga", "Varga", "VARGA", "ILSE VARGA", "Varga, Ilse",
                                   "VARGA, Ilse.", "Ilse K. Varga", "Ilse K Varga", "Varga, Ilse K."])
def test_every_written_form_finds_the_person(text: str, typed: str) -> None:
    people = [_person("a", detect_name(text)), _person("b", "Ilse Vainio"), _person("c", "Marek Varo")]
    assert [p.id for p in resolve(typed, people)] == ["a"]
