"""Contact details in FILE NAMES are masked wherever a channel shows a source (issue: a resume
stored as "john.doe@example.com +1-415-555-0123.txt" showed both in the channel, and so did
"555-0199", WeChat ids and "name [at] example [dot] cn").

A candidate whose document names nobody is labelled by its file name, so the same goes for the
name shown for that candidate. Every message is rendered with a hostile file name and masking on;
every visible string (texts, button labels, the notification text) is searched for the contact
details. Button values are not shown (they carry ids back to the bot) and are not searched."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console

from bot import blocks as bk
from bot import terminal, views
from bot.match import Comparison
from candidates.contacts import mask_name
from retrieval.types import (Answer, CandidateHit, CandidateInfo, Citation, Coverage, FileOutcome,
                             MatchAnswer, MatchHit, Requirement, Summary, SummaryLine)

# Fictional contact details, each in one of the forms the issue lists.
SECRETS = ["john.doe@example.com", "415-555-0123", "555-0199", "jdoe_1990",
           "jd [at] example [dot] cn"]
FILE = "/uploads/john.doe@example.com +1-415-555-0123 wechat jdoe_1990 555-0199.pdf"
SPELLED = "/uploads/jd [at] example [dot] cn resume.docx"
LABEL = "john.doe@example.com +1-415-555-0123 wechat jdoe_1990 555-0199"  # the file's stem


def cite(source: str = FILE, n: int = 0) -> Citation:
    return Citation(passage_id=f"d:{n}", quote="Built payment systems in Go", source=source,
                    page=1, section="Experience", start=0, end=27)


def hit() -> CandidateHit:
    return CandidateHit(id="c1", name=LABEL, name_found=False, sources=[FILE, SPELLED], score=1.0,
                        citations=[cite(), cite(SPELLED, 1)], headline="Backend engineer")


def info(i: int = 1) -> CandidateInfo:
    return CandidateInfo(id=f"c{i}", name=LABEL, name_found=False, sources=[FILE, SPELLED],
                         document_ids=["d"], sections=["Experience"], headline="Backend engineer")


def summary() -> Summary:
    return Summary(candidate=info(), ambiguous=[info(1), info(2)],
                   lines=[SummaryLine(field="experience", text="Backend engineer",
                                      citation=cite())])


def match_answer() -> MatchAnswer:
    r = Requirement(id="r1", text="5 years of Go", kind="topic", value="go")
    h = MatchHit(**hit().model_dump(), coverage=[Coverage(requirement="r1", verdict="met",
                                                          citation=cite())], musts_met=True)
    return MatchAnswer(question="job", no_match=False,
                       candidates=[h, h.model_copy(update={"id": "c2"})],
                       requirements=[r], title="Backend engineer")


def shown(node: Any) -> list[str]:
    """Every string a person sees in a message or view: all text, no button values or ids."""
    if isinstance(node, dict):
        return [s for k, v in node.items() if k not in ("value", "action_id", "block_id",
                                                          "private_metadata") for s in shown(v)]
    if isinstance(node, list):
        return [s for item in node for s in shown(item)]
    return [node] if isinstance(node, str) else []


def leaks(strings: list[str]) -> list[str]:
    text = bk.escape("\n".join(strings))  # compare in the escaped form the blocks use, too
    raw = "\n".join(strings)
    return [s for s in SECRETS if s in raw or bk.escape(s) in text]


MESSAGES = {
    "answer": lambda m: bk.render_answer(Answer(question="who knows Go?", no_match=False,
                                                candidates=[hit()]), "k", mask=m,
                                         note=f"Among the candidates of this thread: {LABEL}"),
    "shared answer": lambda m: bk.render_answer(Answer(question="q", no_match=False,
                                                       candidates=[hit()]), "k", mask=m,
                                                ephemeral=True, shared_by="U1"),
    "streamed text": lambda m: bk.answer_markdown(Answer(question="q", no_match=False,
                                                         candidates=[hit()]), "k", mask=m),
    "streamed buttons": lambda m: bk.stream_blocks(Answer(question="q", no_match=False,
                                                          candidates=[hit()]), "k", mask=m),
    "snippet": lambda m: bk.render_snippet(user="U1", name=LABEL, quote="Built things",
                                           source=FILE, page=1, section_name="Experience", mask=m),
    "summary card": lambda m: bk.render_summary(summary(), "john", mask=m),
    "choices": lambda m: bk.render_summary(Summary(candidate=None, ambiguous=[info(1), info(2)]),
                                           "john", mask=m),
    "candidates": lambda m: bk.render_candidates([info(1), info(2)], mask=m),
    "intake": lambda m: bk.render_intake([FileOutcome(source=FILE, status="added", passages=3,
                                                      candidate_name=LABEL, name_found=False),
                                          FileOutcome(source=SPELLED, status="duplicate",
                                                      candidate_name=LABEL)], mask=m),
    "shortlist": lambda m: bk.render_match(match_answer(), "k", mask=m),
    "shortlist row": lambda m: bk.render_match_row(match_answer(), 1, mask=m, shared_by="U1"),
    "compare": lambda m: bk.render_comparison(Comparison(cards=[summary(), summary()], missing=[],
                                                         shortlist=match_answer()), mask=m),
}


def payload(message: Any) -> Any:
    return message.payload() if isinstance(message, bk.Message) else message


@pytest.mark.parametrize("kind", list(MESSAGES))
def test_a_channel_message_shows_no_contact_detail_from_a_file_name(kind: str) -> None:
    masked = shown(payload(MESSAGES[kind](True)))
    print(f"{kind}: {len(masked)} strings shown, leaked: {leaks(masked) or 'nothing'}")
    assert leaks(masked) == []
    assert any("hidden" in s for s in masked)  # the name is still there, masked
    assert leaks(shown(payload(MESSAGES[kind](False))))  # allowed: shown as stored


def test_the_feedback_modal_masks_the_names_to_pick_from() -> None:
    view = views.feedback_modal(meta={"f": "x"}, question="who knows Go?", shown=[info(1)],
                                others=[info(2)])
    assert leaks(shown(view)) == []


@pytest.mark.parametrize("printer", ["answer", "summary", "choices", "match", "compare",
                                     "candidates"])
def test_the_terminal_masks_file_names_when_contacts_are_hidden(printer: str) -> None:
    def render(mask: bool) -> str:
        console = Console(record=True, width=400, color_system=None)
        {"answer": lambda: terminal.print_answer(console, Answer(
             question="q", no_match=False, candidates=[hit()]), mask=mask),
         "summary": lambda: terminal.print_summary(console, summary(), "john", mask=mask),
         "choices": lambda: terminal.print_summary(console, Summary(
             candidate=None, ambiguous=[info(1), info(2)]), "john", mask=mask),
         "match": lambda: terminal.print_match(console, match_answer(), mask=mask),
         "compare": lambda: terminal.print_comparison(console, Comparison(
             cards=[summary(), summary()], missing=[], shortlist=match_answer()), mask=mask),
         "candidates": lambda: terminal.print_candidates(console, [info()], mask=mask),
         }[printer]()
        return console.export_text()

    assert leaks([render(True)]) == []
    assert leaks([render(False)])


@pytest.mark.parametrize("name, hidden", [
    ("john.doe@example.com +1-415-555-0123.txt", "[email hidden] [phone hidden].txt"),
    ("cv_4155550123.pdf", "cv [phone hidden].pdf"),  # "_" between words
    ("resume-555-0199.docx", "resume-[phone hidden].docx"),
    ("jd [at] example [dot] cn.pdf", "[email hidden].pdf"),
    ("wechat jdoe_1990.pdf", "wechat [id hidden].pdf"),
])
def test_mask_name_hides_each_form(name: str, hidden: str) -> None:
    assert mask_name(name) == hidden


@pytest.mark.parametrize("name", ["Jane_Q_Example_CV_2024.pdf", "resume 2019-2023.docx",
                                  "cv_20230115_v2.pdf", "李明 简历.pdf", "Jane Q. Example"])
def test_mask_name_leaves_a_name_without_contacts_as_it_was(name: str) -> None:
    assert mask_name(name) == name


def test_a_summary_asked_for_a_file_name_label_is_masked_when_no_one_matches() -> None:
    """An old Summarize button carries a file-name label; when its person is gone, the "no
    candidate named …" reply must not show the contacts in it."""
    from bot.blocks import render_summary
    from retrieval.types import Summary

    query = "john.doe@example.com +1-415-555-0123.txt"
    message = render_summary(Summary(candidate=None), query, mask=True)
    shown = message.text + str(message.blocks)
    assert "john.doe@example.com" not in shown and "555-0123" not in shown
