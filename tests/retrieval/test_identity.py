"""Candidates, not just chunks: one person across documents and scripts, namesakes kept apart,
nameless documents labelled, user fixes surviving re-ingest, cited profiles and summaries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from ingest.pipeline import source_of
from candidates.papers import author_position
from candidates import identity
from bot.assistant import Assistant
from retrieval.types import DocumentRecord, IdentityOverride
from tests import fixtures as fx
from tests.conftest import ingest


@pytest.fixture
def people(tmp_path: Path) -> dict[str, Path]:
    return fx.write_identity_corpus(tmp_path / "people")


@pytest.fixture
def assistant(make_assistant, people: dict[str, Path]) -> Assistant:
    a = make_assistant()
    report = ingest(a, people["zihan_resume"].parent)
    assert not report.failed
    return a


def _by_name(a: Assistant, name: str) -> list:
    return [c for c in a.candidates() if c.name == name]


def _text(a: Assistant, source: str) -> str:
    return a.document_text(source) or ""


def test_a_chinese_resume_and_an_english_publication_list_are_one_candidate(
        assistant: Assistant, people: dict[str, Path]) -> None:
    [zihan] = _by_name(assistant, "周子涵")
    assert sorted(zihan.sources) == sorted([source_of(people["zihan_resume"]),
                                            source_of(people["zihan_publications"])])
    assert "Zihan Zhou" in zihan.aliases and "Zhou Zihan" in zihan.aliases
    for query in ("Zihan Zhou", "zhou zihan", "周子涵", "Zihan Zhuo"):  # the last one a typo
        assert [c.id for c in assistant.find(query)] == [zihan.id], query


def test_namesakes_without_shared_contacts_stay_apart_and_a_summary_lists_the_choices(
        assistant: Assistant) -> None:
    wei = _by_name(assistant, "Wei Chen")
    assert len(wei) == 2 and len({c.id for c in wei}) == 2
    summary = assistant.summary("Wei Chen")
    assert summary.candidate is None
    assert {c.id for c in summary.ambiguous} == {c.id for c in wei}
    heads = " ".join(c.headline or "" for c in summary.ambiguous)
    assert "Head Chef" in heads and "Machine Learning Engineer" in heads
    answer = assistant.ask("Who has trained speech recognition models?")
    assert [h.headline for h in answer.candidates][:1] == [
        "Machine Learning Engineer, Northwind AI (2020 – present)"]


def test_a_nameless_resume_is_labelled_by_its_file_and_says_so(assistant: Assistant) -> None:
    [nameless] = [c for c in assistant.candidates() if not c.name_found]
    assert nameless.name == "resume_2024_final"
    record = assistant.store.find_source(nameless.sources[0])
    assert any("no candidate name found" in w for w in record.warnings)


def test_rename_and_merge_survive_re_ingest_of_a_changed_file(
        assistant: Assistant, people: dict[str, Path]) -> None:
    [nameless] = [c for c in assistant.candidates() if not c.name_found]
    identity.rename(assistant.store, nameless.sources, "陆一鸣")
    chef, ml = sorted(_by_name(assistant, "Wei Chen"), key=lambda c: c.headline or "")
    identity.merge(assistant.store, ml.sources, chef.sources)  # a user says: same person
    path = people["nameless"]
    path.write_text(path.read_text(encoding="utf-8") + "\n技能\nANSYS、Midas Civil\n", encoding="utf-8")
    report = ingest(assistant, path.parent)
    assert report.count("updated") == 1
    [renamed] = _by_name(assistant, "陆一鸣")
    assert renamed.name_found and renamed.sources == [source_of(path)]
    [wei] = _by_name(assistant, "Wei Chen")
    assert len(wei.sources) == 2
    assert "Ming Li" in {c.name for c in assistant.candidates()}


def test_identical_documents_are_detected_as_duplicates(make_assistant, tmp_path: Path,
                                                          people: dict[str, Path]) -> None:
    a = make_assistant()
    copy = tmp_path / "copy" / "same_resume.txt"
    copy.parent.mkdir()
    shutil.copy(people["wei_chen_ml"], copy)
    report = ingest(a, people["wei_chen_ml"], copy)
    assert [f.status for f in report.files] == ["added", "duplicate"]
    assert len(_by_name(a, "Wei Chen")) == 1


def test_every_summary_line_cites_a_verbatim_passage(assistant: Assistant) -> None:
    summary = assistant.summary("Zihan Zhou")
    assert summary.candidate is not None and summary.candidate.name == "周子涵"
    fields = {line.field for line in summary.lines}
    assert {"headline", "education", "experience", "skills", "publications", "contact"} <= fields
    for line in summary.lines:
        c = line.citation
        assert _text(assistant, c.source)[c.start:c.end] == c.quote, line
    education = [line for line in summary.lines if line.field == "education"]
    assert education[0].text == "PhD, 计算机科学, 香港大学, 2021–present"  # newest first, from the entry
    assert "博士" in education[0].citation.quote


def test_publication_entries_without_the_name_are_flagged(assistant: Assistant) -> None:
    summary = assistant.summary("周子涵")
    notes = {line.text: line.note for line in summary.lines if line.field == "publications"}
    assert notes["Scheduling Embedding Lookups on Heterogeneous Clusters"] == \
        "the visible author list does not show Zihan Zhou"
    assert notes["Memory-Efficient Pipeline Parallelism for Recommendation Models"] is None
    answer = assistant.ask("Who has worked on embedding lookups on heterogeneous clusters?")
    cited = [c for h in answer.candidates for c in h.citations if "Heterogeneous" in c.quote]
    assert cited and cited[0].note == "the visible author list does not show Zihan Zhou"


def test_a_page_mixing_up_namesakes_is_flagged_in_profile_and_answers(assistant: Assistant) -> None:
    summary = assistant.summary("Ming Li")
    assert summary.flags and "different people" in summary.flags[0]
    answer = assistant.ask("Who has studied dust attenuation in galaxies?")
    assert answer.candidates[0].name == "Ming Li"
    assert answer.candidates[0].flags == summary.flags


@pytest.mark.parametrize("question", ["who has worked at ByteDance?", "谁在字节跳动实习过？",
                                      "who studied at the University of Hong Kong?",
                                      "Who is doing a PhD?"])
def test_questions_about_profile_facts_find_the_person_in_either_language(
        assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert [h.name for h in answer.candidates][:1] == ["周子涵"], question


@pytest.mark.parametrize("question", ["anyone ex-ByteDance?", "有字节跳动背景的有谁？", "HKU alumni?"])
def test_a_question_that_only_names_an_organisation_finds_its_people(
        assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert [h.name for h in answer.candidates][:1] == ["周子涵"], question


def test_a_question_about_one_named_person_is_asked_of_their_documents(assistant: Assistant) -> None:
    asked = assistant.respond("does Zihan Zhou know distributed training?")
    assert asked.kind == "answer" and [h.name for h in asked.answer.candidates] == ["周子涵"]
    assert asked.answer.question == "does Zihan Zhou know distributed training?"
    worked = assistant.respond("has Zihan Zhou worked at ByteDance?")
    assert [h.name for h in worked.answer.candidates] == ["周子涵"]
    never = assistant.respond("周子涵做过区块链吗？")
    assert never.answer.no_match and "周子涵's documents" in never.answer.notice
    assert assistant.respond("before my call with Zihan Zhou at 3, give me the highlights").kind == "summary"


def test_a_condition_or_a_field_asked_of_one_named_person_is_answered_not_carded(
        assistant: Assistant) -> None:
    """"does X have a PhD?" is answered from X's entries, yes with the entry or no; "X
    distributed training?" names a field, asked of X's documents: neither gets the card."""
    phd = assistant.respond("does Zihan Zhou have a PhD?")
    assert phd.kind == "answer" and [h.name for h in phd.answer.candidates] == ["周子涵"]
    assert "博士" in phd.answer.candidates[0].citations[0].quote
    mba = assistant.respond("does Zihan Zhou have an MBA?")
    assert mba.kind == "answer" and mba.answer.no_match and "周子涵's documents" in mba.answer.notice
    field = assistant.respond("Zihan Zhou distributed training?")
    assert field.kind == "answer" and [h.name for h in field.answer.candidates] == ["周子涵"]
    assert assistant.respond("Zihan Zhou?").kind == "summary"
    assert assistant.respond("what's Zihan Zhou's background?").kind == "summary"
    typed = assistant.respond("what's zihan zhou's background?")  # typed in lower case
    assert typed.kind == "summary" and typed.summary.candidate.name == "周子涵"


def test_records_keep_the_organisations_of_the_entries(assistant: Assistant,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    [zihan] = _by_name(assistant, "周子涵")
    records = [assistant.store.find_source(s) for s in zihan.sources]
    assert any(r.employers and any("字节跳动" in e for e in r.employers) for r in records)
    monkeypatch.setattr(assistant.store, "profiles", lambda sources: pytest.fail("profiles read"))
    assert assistant.organisations().kinds("ByteDance") == {"employer"}


def test_author_position_reads_full_names_initials_and_pinyin() -> None:
    assert author_position("Ravi Patel, Zihan Zhou, Tom Becker", "Zihan Zhou") == 2
    assert author_position("Z. Zhou, R. Patel", "Zihan Zhou") == 1
    assert author_position("Ravi Patel, Zhou Zihan", "周子涵") == 2
    assert author_position("Anna Berg, Jonas Weber et al.", "Zihan Zhou") is None


def test_assign_joins_only_namesakes_sharing_a_contact_and_applies_overrides() -> None:
    def record(source: str, name: str | None, contacts: list[str]) -> DocumentRecord:
        return DocumentRecord(document_id=source, source=source, candidate_id="?",
                              candidate_name=name or source, name_found=name is not None,
                              passages=1, detected_name=name, contacts=contacts)

    records = [record("a", "赵天辰", ["email:z@example.com"]),
               record("b", "Tianchen Zhao", ["email:z@example.com", "link:x.org"]),
               record("c", "Tianchen Zhao", ["email:other@example.com"]),
               record("d", None, [])]
    got = identity.assign(records, [])
    assert got["a"].candidate_id == got["b"].candidate_id != got["c"].candidate_id
    assert got["a"].name == "赵天辰" and not got["d"].name_found
    fixed = identity.assign(records, [IdentityOverride(source="d", same_as="c", at=1.0),
                                      IdentityOverride(source="c", name="T. Zhao (Berlin)", at=2.0)])
    assert fixed["c"].candidate_id == fixed["d"].candidate_id
    assert fixed["d"].name == "T. Zhao (Berlin)" and fixed["d"].name_found


def test_cli_rename_merge_summary_json_and_candidates(tmp_path: Path, people: dict[str, Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECRUIT_DATA_DIR", str(tmp_path / "cli-data"))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(people["zihan_resume"].parent)]).exit_code == 0
    ambiguous = runner.invoke(app, ["summary", "Wei Chen", "--json"])
    assert ambiguous.exit_code == 1
    assert len(json.loads(ambiguous.stdout)["ambiguous"]) == 2
    refused = runner.invoke(app, ["merge", "Wei Chen", "Ming Li"])
    assert refused.exit_code == 1 and "several candidates" in refused.stderr
    nameless = runner.invoke(app, ["rename", "resume_2024_final", "陆一鸣"])
    assert nameless.exit_code == 0, nameless.output
    card = json.loads(runner.invoke(app, ["summary", "Zihan Zhou", "--json"]).stdout)
    assert set(card["candidate"]) >= {"id", "name", "aliases", "sources"}
    assert card["candidate"]["name"] == "周子涵" and card["ambiguous"] == []
    for line in card["lines"]:
        assert set(line) >= {"field", "text", "citation"}
        assert set(line["citation"]) >= {"quote", "source", "page", "section", "start", "end"}
    listing = runner.invoke(app, ["candidates"])
    assert "陆一鸣" in listing.stdout and "香港大学" in listing.stdout


def test_a_partial_name_lists_the_choices_and_a_near_miss_suggests(assistant: Assistant) -> None:
    from rich.console import Console

    from bot.terminal import print_summary

    wei = {c.id for c in _by_name(assistant, "Wei Chen")}
    partial = assistant.summary("Chen")
    assert partial.candidate is None and {c.id for c in partial.ambiguous} == wei
    [zihan] = _by_name(assistant, "周子涵")
    assert assistant.summary("Zihan").candidate.id == zihan.id  # only one person is called so
    near = assistant.summary("Zhouzi")
    assert near.candidate is None and near.ambiguous == []
    assert [c.id for c in near.suggestions] == [zihan.id]
    console = Console(record=True, width=200)
    print_summary(console, near, "Zhouzi")
    shown = console.export_text()
    assert "Did you mean" in shown and zihan.id in shown
