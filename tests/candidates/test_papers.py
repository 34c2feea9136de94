"""The author-list check on a CV's or resume's own paper lines (fictional authors)."""

from __future__ import annotations

import pytest

from candidates.papers import cv_paper_flag


@pytest.mark.parametrize("line", [
    "J. Smith, A. Doe, and B. Roe. Fast sparse kernels. In NeurIPS 2021.",
    "**Smith, J.**, Doe, A. (2020). Fast sparse kernels. ICML.",
    "- John Smith, Ada Doe. Fast sparse kernels. arXiv 2023.",
    "Fast sparse kernels at scale. NeurIPS 2021.",  # no author list shown: nothing to check
])
def test_a_paper_that_shows_the_person_or_no_authors_is_not_flagged(line: str) -> None:
    assert cv_paper_flag(line, "John Smith") is None


@pytest.mark.parametrize("line", [
    "A. Doe, B. Roe, C. Poe. Fast sparse kernels. In NeurIPS 2021.",
    "Doe, A., Roe, B. (2020). Fast sparse kernels. ICML.",
])
def test_a_paper_whose_author_list_lacks_the_person_is_flagged(line: str) -> None:
    assert cv_paper_flag(line, "John Smith") == "the visible author list does not show John Smith"
