"""Masking of contact details in every form a resume or a file name writes them (fictional)."""

from __future__ import annotations

import pytest

from candidates.contacts import find_phones, mask_contacts


@pytest.mark.parametrize("text, hidden", [
    ("call 555-0199 after six", "555-0199"),
    ("ada.lin [at] example [dot] cn", "ada.lin"),
    ("ada.lin(at)example(dot)com", "example"),
    ("微信：ada_lin_2024", "ada_lin_2024"),
    ("WeChat ID: adalin88", "adalin88"),
    ("ada.lin@example.com +1-415-555-0123.txt", "415-555-0123"),
])
def test_contacts_are_masked_in_every_form(text: str, hidden: str) -> None:
    assert hidden not in mask_contacts(text)


@pytest.mark.parametrize("text", ["2015 – 2017", "2017-2020", "GPA 3.9/4.0", "Python 3.11",
                                  "top 5% of 1200 students", "ISO 9001", "we chat about design"])
def test_dates_and_numbers_that_are_not_contacts_stay(text: str) -> None:
    assert mask_contacts(text) == text


def test_a_local_number_is_masked_but_not_read_as_the_persons_phone() -> None:
    assert find_phones("Room 101-2020") == []
