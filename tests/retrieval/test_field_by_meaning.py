"""A question that describes the work without naming it ("building apps for phones") is read,
when nobody matches it as worded, as the field of the topic table its meaning is closest to, with
a notice saying so; a field only stands out when clearly closer than every other one, and a
question that names one of a field's terms no one has is never widened to the whole field."""

from __future__ import annotations

from pathlib import Path

from bot.assistant import Assistant
from retrieval.lexicon import field_by_meaning, field_names, fields_named_by
from tests.conftest import ingest
from tests.fixtures import write_mobile_and_backend_people


def test_the_field_that_stands_out_by_meaning_is_read() -> None:
    similarities = [("mobile", 0.61), ("mobile", 0.52), ("frontend", 0.44), ("search", 0.30)]
    assert field_by_meaning(similarities, floor=0.45, margin=0.10) == "mobile"


def test_no_field_when_two_are_about_as_close() -> None:
    similarities = [("mobile", 0.61), ("frontend", 0.56)]
    assert field_by_meaning(similarities, floor=0.45, margin=0.10) is None


def test_no_field_when_none_is_close_enough() -> None:
    similarities = [("mobile", 0.40), ("frontend", 0.10)]
    assert field_by_meaning(similarities, floor=0.45, margin=0.10) is None


def test_every_name_of_every_field_is_offered_with_its_field() -> None:
    names = field_names()
    fields = {field for field, _ in names}
    assert "mobile" in fields and ("mobile", "移动端") in names
    assert all(field in {n for f, n in names if f == field} for field in fields)  # its first name


def test_a_term_names_every_field_that_lists_it() -> None:
    assert "mobile" in fields_named_by("iOS")
    assert {"model compression", "distillation"} <= fields_named_by("知识蒸馏")
    assert fields_named_by("payroll") == frozenset()


def _people(tmp_path: Path) -> Path:
    people = write_mobile_and_backend_people(tmp_path / "people")
    (people / "lea-moreau.md").write_text(
        "# Lea Moreau\n\n## Experience\n\n### ML Engineer, Quillmark (2020 - 2024)\n\n"
        "- Pruned and quantized vision models to INT8 for edge cameras\n\n"
        "## Skills\n\nPyTorch, TensorRT\n", encoding="utf-8")
    return people


def test_work_described_in_plain_words_finds_the_field_with_a_notice(
        make_assistant, tmp_path: Path) -> None:
    assistant: Assistant = make_assistant()
    assert not ingest(assistant, _people(tmp_path)).failed

    answer = assistant.ask("Who has built applications that run on smartphones?")

    assert [hit.name for hit in answer.candidates][:1] == ["Nadia Okoro"]
    assert "Tomas Berg" not in [hit.name for hit in answer.candidates]
    assert answer.notice and "field it describes" in answer.notice


def test_a_term_no_one_has_is_not_widened_to_its_field(make_assistant, tmp_path: Path) -> None:
    assistant: Assistant = make_assistant()
    assert not ingest(assistant, _people(tmp_path)).failed

    answer = assistant.ask("Who has done knowledge distillation?")

    assert "Lea Moreau" not in [hit.name for hit in answer.candidates]
