"""Block Kit rendering: escaping, masking and Slack's limits, as pure functions."""

from __future__ import annotations

import json

from bot import blocks as bk
from retrieval.types import (Answer, CandidateHit, CandidateInfo, Citation, FileOutcome, Summary,
                             SummaryLine)
from tests.bot.fake_slack import block_problems, buttons_of, texts_of


def cite(quote: str, n: int = 0, source: str = "/docs/jane_example_resume.pdf") -> Citation:
    return Citation(passage_id=f"d:{n}", quote=quote, source=source, page=2, section="Skills",
                    start=0, end=len(quote))


def hit(name: str, *quotes: str, i: int = 0) -> CandidateHit:
    return CandidateHit(id=f"id-{i}", name=name, sources=["/docs/jane_example_resume.pdf"],
                        score=1.0, citations=[cite(q, n) for n, q in enumerate(quotes)])


def test_escape_defuses_slack_markup() -> None:
    assert bk.escape("<!channel> <@U123> <https://evil|click> & co") == \
        "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|click&gt; &amp; co"


def test_mask_contacts_hides_phones_and_emails_but_not_dates() -> None:
    masked = bk.mask_contacts("jane@example.com | +1 555 0100 | 电话：139-0000-0000 | 2015 – 2017 "
                              "| 2017-2020 | 99.8% | (555) 123-4567")
    assert "jane@example.com" not in masked and "+1 555 0100" not in masked
    assert "139-0000-0000" not in masked and "123-4567" not in masked
    assert "2015 – 2017" in masked and "2017-2020" in masked and "99.8%" in masked


def test_clip_never_cuts_inside_an_entity() -> None:
    text = bk.escape("a" * 10 + "&<>" * 10)
    for limit in range(5, 40):
        cut = bk.clip(text, limit)
        assert len(cut) <= limit
        body = cut.rstrip("…")
        assert body.count("&") == body.count(";")


def test_answer_has_numbered_citations_buttons_and_safe_text() -> None:
    answer = Answer(question="who knows <React>?", no_match=False, candidates=[
        hit("Jane <Q> Example", "React & TypeScript <!here>", "call +1 555 0100")])
    message = bk.render_answer(answer, "k1", mask=True)
    text = "\n".join(texts_of(message.blocks))
    assert "*[1]*" in text and "*[2]*" in text and "jane_example_resume.pdf · p. 2 · Skills" in text
    assert "&lt;!here&gt;" in text and "<!here>" not in text and "Jane &lt;Q&gt; Example" in text
    assert "+1 555 0100" not in text and "[phone hidden]" in text
    assert "who knows &lt;React&gt;?" in text
    labels = [b["text"]["text"] for b in buttons_of(message.blocks)]
    assert labels.count("Share snippet") == 2 and "Summarize" in labels and "👍" in labels
    assert "Share with channel" not in labels
    assert not block_problems(message.blocks)
    unmasked = bk.render_answer(answer, "k1", mask=False)
    assert "+1 555 0100" in "\n".join(texts_of(unmasked.blocks))


def test_ephemeral_answer_offers_share_with_channel() -> None:
    answer = Answer(question="q", no_match=False, candidates=[hit("Jane", "React")])
    labels = [b["text"]["text"] for b in buttons_of(bk.render_answer(answer, "k", mask=True,
                                                                     ephemeral=True).blocks)]
    assert "Share with channel" in labels


def test_no_match_still_takes_feedback() -> None:
    message = bk.render_answer(Answer(question="who knows COBOL?", no_match=True), "k", mask=True)
    assert "No one in the documents matches" in "\n".join(texts_of(message.blocks))
    assert [b["text"]["text"] for b in buttons_of(message.blocks)] == ["👍", "👎"]


def test_huge_answer_is_paged_within_every_limit() -> None:
    long = "<b>&amp;</b> " * 600
    hits = [hit(f"Person {i:02d}", long, long, long, i=i) for i in range(40)]
    answer = Answer(question="q " * 3000, no_match=False, candidates=hits, prose="prose & " * 2000)
    seen = set()
    page = 0
    while True:
        message = bk.render_answer(answer, "key", mask=True, page=page, ephemeral=True)
        assert not block_problems(message.blocks), block_problems(message.blocks)
        assert len(message.text) <= bk.MAX_FALLBACK_TEXT
        text = "\n".join(texts_of(message.blocks))
        seen |= {i for i in range(40) if f"*{i + 1}. Person {i:02d}*" in text}
        more = [b for b in buttons_of(message.blocks) if b["action_id"] == bk.SHOW_MORE]
        if not more:
            break
        value = json.loads(more[0]["value"])
        assert value["p"] == page + 1 and value["a"] == "key"
        page += 1
    assert seen == set(range(40)) and page >= 3


def test_button_values_fit_whatever_the_question() -> None:
    value = bk.encode_value({"a": "k", "v": "up", "q": "我" * 5000, "c": ["x" * 50] * 100})
    assert len(value) <= bk.MAX_BUTTON_VALUE and json.loads(value)["a"] == "k"
    snippet = bk.encode_value({"a": "k", "r": 1, "n": 2, "s": "/very/long/" * 400, "b": 0, "e": 5})
    decoded = json.loads(snippet)
    assert len(snippet) <= bk.MAX_BUTTON_VALUE and decoded["r"] == 1 and decoded["n"] == 2
    assert bk.decode_value("not json") == {} and bk.decode_value("[1]") == {}


def test_summary_candidates_intake_and_snippet() -> None:
    person = CandidateInfo(id="jane", name="Jane", name_found=True, sources=["/d/jane.pdf"],
                           document_ids=["d"], sections=["Skills"])
    summary = Summary(candidate=person, lines=[
        SummaryLine(field="headline", text="Jane — jane@example.com <!channel>", citation=cite("x"))])
    text = "\n".join(texts_of(bk.render_summary(summary, "Jane", mask=True).blocks))
    assert "jane@example.com" not in text and "&lt;!channel&gt;" in text
    missing = bk.render_summary(Summary(candidate=None), "<@U1>", mask=True)
    assert "&lt;@U1&gt;" in "\n".join(texts_of(missing.blocks))

    people = [person.model_copy(update={"id": f"p{i}", "name": f"P{i}"}) for i in range(120)]
    first = bk.render_candidates(people)
    assert not block_problems(first.blocks)
    assert any(b["action_id"] == bk.SHOW_MORE for b in buttons_of(first.blocks))

    intake = bk.render_intake([FileOutcome(source="slack:F1/a<b>.pdf", status="failed",
                                           message="not a readable PDF")])
    assert "a&lt;b&gt;.pdf" in "\n".join(texts_of(intake.blocks))

    snippet = bk.render_snippet(user="U0123ABC", name="Jane", quote="mail jane@example.com <!here>",
                                source="/d/jane.pdf", page=1, section_name=None, mask=True)
    text = "\n".join(texts_of(snippet.blocks))
    assert text.startswith("<@U0123ABC> shared a snippet") and "<!here>" not in text
    assert "jane@example.com" not in text
    spoof = bk.render_snippet(user="<!channel>", name="J", quote="q", source="s", page=None,
                              section_name=None, mask=True)
    assert "<!channel>" not in "\n".join(texts_of(spoof.blocks))


def test_a_long_list_answer_shows_ten_people_a_page_with_show_more() -> None:
    people = [hit(f"Person {i}", f"Acme Corp, Engineer, 201{i % 10}", i=i) for i in range(14)]
    answer = Answer(question="Who has worked at Acme?", no_match=False, candidates=people)
    first = bk.render_answer(answer, "k1", mask=True)
    names = [t for t in texts_of(first.blocks) if t.startswith("*") and ". Person" in t]
    assert len(names) == 10 and "*1. Person 0*" in names[0]
    more = [b for b in buttons_of(first.blocks) if b["action_id"].startswith(bk.SHOW_MORE)]
    assert more and "2/2" in more[0]["text"]["text"]
    second = bk.render_answer(answer, "k1", mask=True, page=1)
    assert sum(". Person" in t for t in texts_of(second.blocks)) == 4
    assert not block_problems(first.blocks) and not block_problems(second.blocks)


def test_a_name_nobody_has_offers_the_near_misses() -> None:
    near = CandidateInfo(id="jane-q-example", name="Jane Q. Example", name_found=True,
                         sources=["/docs/jane_example_resume.pdf"], document_ids=["d"],
                         headline="Frontend engineer")
    message = bk.render_summary(Summary(candidate=None, suggestions=[near]), "Jane Exampel", mask=True)
    text = " ".join(texts_of(message.blocks))
    assert "No candidate named “Jane Exampel”" in text and "Did you mean" in text
    assert "Jane Q. Example" in text
    assert [b["text"]["text"] for b in buttons_of(message.blocks)] == ["Summarize"]
