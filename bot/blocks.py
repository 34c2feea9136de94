"""Answers, summaries and candidate lists as Slack Block Kit messages: pure functions, no I/O.

Everything taken from a document or a model is data, never markup: `&`, `<` and `>` are escaped
(so `<!channel>` or `<https://evil|click>` in a resume cannot ping or link), text objects are
`verbatim` (no auto-linking), and contact details are masked unless the caller allows them.
Every message stays inside Slack's limits: at most 50 blocks, 3000 characters per section text,
2000 characters per button value; what does not fit goes on a further page behind "Show more".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from candidates.contacts import mask_contacts, mask_name
from retrieval.types import Answer, CandidateHit, CandidateInfo, Citation, FileOutcome, Summary

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_TEXT = 75
MAX_FALLBACK_TEXT = 3000
MAX_MARKDOWN = 12_000  # chat.startStream / appendStream / stopStream: markdown_text per call
PAGE_CONTENT_BLOCKS = 46  # + a page heading and the footer actions: well under MAX_BLOCKS
PAGE_CANDIDATES = 10  # a list question answers with everyone: ten per page, then "Show more"

# action ids (each is followed by ":<n>" in a message so every element's id is unique)
SHARE_SNIPPET = "share_snippet"
SUMMARIZE = "summarize"
SHARE_ANSWER = "share_answer"
FEEDBACK = "feedback"
SHOW_MORE = "show_more"
MATCH_EDIT = "match_edit"  # drop / flip a requirement and re-rank
MATCH_MORE = "match_more"
MATCH_SHARE = "match_share"  # one candidate's row of a shortlist, posted to the channel
MATCH_COMPARE = "match_compare"
MATCH_PAGE = 5  # candidates per shortlist message; "More" shows the next five

Block = dict[str, Any]


@dataclass
class Message:
    """What one `chat.postMessage` (or response_url post) sends."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


# ---------------------------------------------------------------------------------------------
# Text safety


def escape(text: str) -> str:
    """Slack's three control characters as entities: the text shows as typed, never as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Cut already-escaped text to `limit` characters with "…", never inside an entity."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    amp = cut.rfind("&", max(0, len(cut) - 5))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def split_text(text: str, size: int) -> list[str]:
    """Escaped text in parts of at most `size` characters, cut at whitespace where possible
    and never inside an entity."""
    parts = []
    while len(text) > size:
        cut = text.rfind(" ", size // 2, size)
        if cut == -1:
            cut = text.rfind("\n", size // 2, size)
        if cut == -1:
            cut = size
            amp = text.rfind("&", cut - 5, cut)
            if amp != -1 and ";" not in text[amp:cut]:
                cut = amp
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def mention(user: str) -> str:
    """`<@U123>` for a real Slack user id, the escaped text otherwise."""
    return f"<@{user}>" if re.fullmatch(r"[UWB][A-Z0-9]{2,20}", user or "") else escape(user or "someone")


def safe(text: str, mask: bool) -> str:
    """Document or model text ready for mrkdwn: masked if asked, then escaped."""
    return escape(mask_contacts(text) if mask else text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def label(name: str, mask: bool) -> str:
    """A person's name or a file name, unescaped: contacts masked if asked (a candidate with no
    name found is labelled by a file name, which may be "john.doe@example.com +1-415….pdf")."""
    return mask_name(name) if mask else name


def person(name: str, mask: bool) -> str:
    """A name ready for mrkdwn: masked if asked, then escaped."""
    return escape(label(name, mask))


def file_list(sources: list[str], mask: bool, limit: int = 3) -> str:
    """"a.pdf, b.docx …" (unescaped), each name masked if asked."""
    names = ", ".join(label(Path(s).name, mask) for s in sources[:limit])
    return names + (" …" if len(sources) > limit else "")


def where(source: str, page: int | None, section: str | None, mask: bool) -> str:
    """"file.pdf · p. 2 · Experience" (escaped)."""
    parts = [label(Path(source).name, mask)]
    if page is not None:
        parts.append(f"p. {page}")
    if section:
        parts.append(section)
    return escape(" · ".join(parts))


# ---------------------------------------------------------------------------------------------
# Block builders


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT), "verbatim": True}


def section(text: str, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(label: str, action_id: str, value: dict[str, Any], style: str | None = None) -> Block:
    b: Block = {"type": "button", "text": {"type": "plain_text", "text": label[:MAX_BUTTON_TEXT],
                                           "emoji": True},
                "action_id": action_id, "value": encode_value(value)}
    if style:
        b["style"] = style
    return b


def encode_value(value: dict[str, Any]) -> str:
    """Compact JSON of at most 2000 characters. Too long: the question ("q") and name ("m") are
    shortened, then the optional keys ("x" section, "s" source, "c" candidate ids) dropped."""
    value = dict(value)

    def dump() -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    text = dump()
    for key in ("q", "m"):
        excess = len(text) - MAX_BUTTON_VALUE
        if excess > 0 and isinstance(value.get(key), str):
            value[key] = value[key][:max(0, len(value[key]) - excess - 1)]
            text = dump()
    for key in ("x", "s", "c"):
        if len(text) > MAX_BUTTON_VALUE:
            value.pop(key, None)
            text = dump()
    if len(text) > MAX_BUTTON_VALUE:  # only short scalars left: always fits
        value = {k: v for k, v in value.items() if isinstance(v, (int, float, bool)) or
                 (isinstance(v, str) and len(v) <= 64)}
        text = dump()
    return text


def decode_value(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def actions(elements: list[Block]) -> Block:
    return {"type": "actions", "elements": elements[:25]}


def feedback(key: str, question: str, ids: list[str]) -> Block:
    """Slack's standard 👍/👎 (`feedback_buttons`, only allowed in a `context_actions` block);
    the clicked half's value says which, and what the answer was."""
    def half(emoji: str, vote: str, label: str) -> Block:
        return {"text": {"type": "plain_text", "text": emoji}, "accessibility_label": label,
                "value": encode_value({"a": key, "v": vote, "q": question, "c": ids})}

    return {"type": "context_actions", "elements": [{
        "type": "feedback_buttons", "action_id": FEEDBACK,
        "positive_button": half("👍", "up", "Good answer"),
        "negative_button": half("👎", "down", "Something is wrong")}]}


# ---------------------------------------------------------------------------------------------
# Answers


def quote_text(c: Citation, number: int, mask: bool) -> str:
    head = f"*[{number}]* “"
    warning = f"\n:warning: _{escape(one_line(c.note))}_" if c.note else ""
    tail = f"”\n_{where(c.source, c.page, c.section, mask)}_{warning}"
    body = safe(one_line(c.display_quote()), mask)
    return head + clip(body, MAX_SECTION_TEXT - len(head) - len(tail)) + tail


def snippet_value(key: str, rank: int, number: int, hit: CandidateHit, c: Citation) -> dict:
    return {"a": key, "r": rank, "n": number, "id": hit.id, "m": hit.name, "s": c.source,
            "b": c.start, "e": c.end, "p": c.page, "x": c.section}


def candidate_blocks(hit: CandidateHit, rank: int, key: str, mask: bool) -> list[Block]:
    note = "" if hit.name_found else "  _(no name found in the document)_"
    files = file_list(hit.sources, mask)
    headline = f" — {clip(safe(one_line(hit.headline), mask), 200)}" if hit.headline else ""
    why = f"\n_Why:_ {clip(safe(one_line(hit.reason), mask), 600)} {hit.reason_refs()}" \
        if hit.reason else ""
    head = section(f"*{rank}. {person(hit.name, mask)}*{headline}{note}\n_{escape(files)}_{why}",
                   button("Summarize", f"{SUMMARIZE}:{rank}", {"id": hit.id, "m": hit.name}))
    head["block_id"] = f"cand:{rank}"
    blocks = [head]
    for flag in hit.flags[:2]:
        blocks.append(context(":warning: " + clip(escape(one_line(flag)), 500)))
    for n, c in enumerate(hit.citations, 1):
        blocks.append(section(quote_text(c, n, mask),
                              button("Share snippet", f"{SHARE_SNIPPET}:{rank}:{n}",
                                     snippet_value(key, rank, n, hit, c))))
    return blocks


def answer_content(answer: Answer, key: str, mask: bool, note: str | None = None) -> list[Block]:
    """Every content block of an answer, before it is cut into pages."""
    blocks = [section(f"*Q:* {escape(one_line(answer.question))}")]
    if note:  # it names the thread's candidates
        blocks.append(context(person(note, mask)))
    if answer.notice:
        blocks.append(context(":warning: " + clip(escape(one_line(answer.notice)), 500)))
    if answer.no_match:
        blocks.append(section("No one in the documents matches this question."))
        return blocks
    if answer.prose:
        blocks.extend(section(part) for part in split_text(safe(answer.prose.strip(), mask),
                                                            MAX_SECTION_TEXT - 100))
    count = len(answer.candidates)
    composed = (f" · “why” lines by {escape(one_line(answer.composed_by))}, checked against "
                "the quotes" if answer.composed_by else "")
    blocks.append(context(f"{count} matching candidate{'s' if count != 1 else ''} · "
                          f"quotes are verbatim from the documents{composed}"))
    for rank, hit in enumerate(answer.candidates, 1):
        blocks.extend(candidate_blocks(hit, rank, key, mask))
    return blocks


def paginate(blocks: list[Block], size: int = PAGE_CONTENT_BLOCKS,
             people: int = PAGE_CANDIDATES) -> list[list[Block]]:
    """Cut blocks into pages of at most `size` blocks and `people` candidates, never ending a
    page on a candidate heading."""
    pages: list[list[Block]] = []
    current: list[Block] = []
    heading = lambda b: str(b.get("block_id", "")).startswith("cand:")  # noqa: E731
    for block in blocks:
        if heading(block) and sum(map(heading, current)) >= people:
            pages.append(current)
            current = []
        if len(current) >= size:
            carry = []
            if str(current[-1].get("block_id", "")).startswith("cand:") and len(current) > 1:
                carry = [current.pop()]
            pages.append(current)
            current = carry
        current.append(block)
    if current or not pages:
        pages.append(current)
    return pages


def render_answer(answer: Answer, key: str, *, mask: bool, page: int = 0,
                  ephemeral: bool = False, shared_by: str | None = None,
                  note: str | None = None) -> Message:
    """One page of an answer: citations with Share/Summarize buttons, feedback, Show more."""
    pages = paginate(answer_content(answer, key, mask, note))
    page = max(0, min(page, len(pages) - 1))
    blocks: list[Block] = []
    if shared_by:
        blocks.append(context(f"Shared by {mention(shared_by)}"))
    if page:
        blocks.append(context(f"continued — page {page + 1} of {len(pages)}"))
    blocks.extend(pages[page])
    blocks.extend(answer_footer(answer, key, page, len(pages), ephemeral))
    return Message(text=fallback(label(answer.summary_line(), mask)), blocks=blocks)


def answer_footer(answer: Answer, key: str, page: int, pages: int, ephemeral: bool) -> list[Block]:
    """Share with channel / Show more (when there are), then the feedback buttons."""
    footer = []
    if ephemeral and page == 0:
        footer.append(button("Share with channel", SHARE_ANSWER, {"a": key, "q": answer.question},
                             style="primary"))
    if page + 1 < pages:
        footer.append(button(f"Show more ({page + 2}/{pages})", SHOW_MORE,
                             {"k": "answer", "a": key, "p": page + 1, "q": answer.question}))
    return ([actions(footer)] if footer else []) + \
        [feedback(key, answer.question, [c.id for c in answer.candidates])]


# ---------------------------------------------------------------------------------------------
# Streamed answers: markdown text candidate by candidate, then the buttons as blocks


_MD_SPECIAL = re.compile(r"([\\`*_~\[\]|#])")


def md_escape(text: str) -> str:
    """Document text for a streamed (markdown) message: Slack's control characters as entities
    and markdown's own characters backslash-escaped, so a resume cannot bold, link or ping."""
    return _MD_SPECIAL.sub(r"\\\1", escape(text))


def md_safe(text: str, mask: bool) -> str:
    return md_escape(mask_contacts(text) if mask else text)


def first_page_ranks(answer: Answer, key: str, mask: bool, note: str | None = None) -> list[int]:
    """The ranks of the candidates on the answer's first page (what a stream shows; "Show more"
    posts the later pages as blocks, exactly as `render_answer` cuts them)."""
    pages = paginate(answer_content(answer, key, mask, note))
    return [int(str(b["block_id"]).split(":")[1]) for b in pages[0]
            if str(b.get("block_id", "")).startswith("cand:")]


def stream_header(question: str) -> str:
    return f"**Q:** {md_escape(one_line(question))}\n\n"


def answer_markdown(answer: Answer, key: str, *, mask: bool, note: str | None = None) -> list[str]:
    """The streamed text of an answer's first page: the summary, then one part per candidate,
    each within the 12,000 characters one stream call takes."""
    intro = []
    if note:
        intro.append(f"_{md_escape(label(note, mask))}_")
    if answer.notice:
        intro.append(f"⚠️ _{md_escape(one_line(answer.notice))}_")
    if answer.no_match:
        intro.append("No one in the documents matches this question.")
        return [clip("\n".join(intro) + "\n", MAX_MARKDOWN)]
    if answer.prose:
        intro.append(md_safe(answer.prose.strip(), mask))
    count = len(answer.candidates)
    composed = (f" · “why” lines by {md_escape(one_line(answer.composed_by))}, checked against the "
                "quotes" if answer.composed_by else "")
    intro.append(f"_{count} matching candidate{'s' if count != 1 else ''} · quotes are verbatim "
                 f"from the documents{composed}_")
    parts = [clip("\n\n".join(intro) + "\n\n", MAX_MARKDOWN)]
    for rank in first_page_ranks(answer, key, mask, note):
        parts.append(clip(candidate_markdown(answer.candidates[rank - 1], rank, mask), MAX_MARKDOWN))
    return parts


def candidate_markdown(hit: CandidateHit, rank: int, mask: bool) -> str:
    headline = f" — {clip(md_safe(one_line(hit.headline), mask), 200)}" if hit.headline else ""
    note = "" if hit.name_found else " _(no name found in the document)_"
    files = file_list(hit.sources, mask)
    lines = [f"**{rank}. {md_escape(label(hit.name, mask))}**{headline}{note}",
             f"_{md_escape(files)}_"]
    if hit.reason:
        lines.append(f"_Why:_ {clip(md_safe(one_line(hit.reason), mask), 600)} {hit.reason_refs()}")
    lines += [f"⚠️ {clip(md_escape(one_line(flag)), 500)}" for flag in hit.flags[:2]]
    for n, c in enumerate(hit.citations, 1):
        warning = f" ⚠️ _{md_escape(one_line(c.note))}_" if c.note else ""
        place = md_escape(" · ".join([label(Path(c.source).name, mask)]
                                     + ([f"p. {c.page}"] if c.page else [])
                                     + ([c.section] if c.section else [])))
        quote = clip(md_safe(one_line(c.display_quote()), mask), 1500)
        lines.append(f"> **[{n}]** “{quote}” — _{place}_{warning}")
    return "\n".join(lines) + "\n\n"


def stream_blocks(answer: Answer, key: str, *, mask: bool, note: str | None = None) -> list[Block]:
    """What `chat.stopStream` attaches below the streamed text: per candidate a Summarize button
    and one Share button per quote, then Show more and the feedback buttons."""
    blocks: list[Block] = []
    if not answer.no_match:
        for rank in first_page_ranks(answer, key, mask, note):
            hit = answer.candidates[rank - 1]
            row = [button(f"Summarize {label(hit.name, mask)}"[:MAX_BUTTON_TEXT],
                          f"{SUMMARIZE}:{rank}",
                          {"id": hit.id, "m": hit.name})]
            row += [button(f"Share [{n}]", f"{SHARE_SNIPPET}:{rank}:{n}",
                           snippet_value(key, rank, n, hit, c))
                    for n, c in enumerate(hit.citations[:20], 1)]
            block = actions(row)
            block["block_id"] = f"acts:{rank}"
            blocks.append(block)
    pages = len(paginate(answer_content(answer, key, mask, note)))
    return blocks + answer_footer(answer, key, 0, pages, ephemeral=False)


def fallback(text: str) -> str:
    """The notification/fallback `text` of a message (escaped, short)."""
    return clip(escape(one_line(text)), MAX_FALLBACK_TEXT)


# ---------------------------------------------------------------------------------------------
# Snippets, summaries, people


def render_snippet(*, user: str, name: str, quote: str, source: str, page: int | None,
                   section_name: str | None, mask: bool) -> Message:
    """A cited passage shared into a channel, attributed to who shared it."""
    head = f"{mention(user)} shared a snippet about *{person(name, mask)}*"
    tail = f"\n_{where(source, page, section_name, mask)}_"
    body = "> " + safe(one_line(quote), mask)
    text = head + "\n" + clip(body, MAX_SECTION_TEXT - len(head) - len(tail) - 1) + tail
    return Message(text=fallback(f"Snippet about {label(name, mask)}"), blocks=[section(text)])


def _choice_blocks(people: list[CandidateInfo], mask: bool) -> list[Block]:
    """One line and a Summarize button per candidate, to pick the person meant."""
    blocks = []
    for i, p in enumerate(people[:20], 1):
        about = safe(one_line(p.headline or "no headline"), mask)
        files = file_list(p.sources, mask)
        blocks.append(section(f"*{person(p.name, mask)}* — {clip(about, 300)}\n_{escape(files)}_",
                              button("Summarize", f"{SUMMARIZE}:{i}", {"id": p.id, "m": p.name})))
    return blocks


def render_summary(summary: Summary, query: str, *, mask: bool) -> Message:
    if summary.candidate is None and summary.ambiguous:
        blocks = [section(f"Several candidates match “{person(one_line(query), mask)}”. "
                          "Which one do you mean?")] + _choice_blocks(summary.ambiguous, mask)
        return Message(text=fallback(f"Several candidates match {label(query, mask)}"),
                       blocks=blocks)
    if summary.candidate is None:
        blocks = [section(f"No candidate named “{person(one_line(query), mask)}” in the documents."
                          + (" Did you mean:" if summary.suggestions else ""))]
        blocks += _choice_blocks(summary.suggestions, mask)
        return Message(text=fallback(f"No candidate named {label(query, mask)}"), blocks=blocks)
    who = summary.candidate
    blocks = [section(f"*{person(who.name, mask)}* — summary with sources")]
    if not who.name_found:
        blocks.append(context("No name was found in this candidate's documents; "
                              "labelled by file name."))
    for flag in summary.flags[:2]:
        blocks.append(context(":warning: " + clip(escape(one_line(flag)), 500)))
    if summary.notice:
        blocks.append(context(":warning: " + clip(escape(one_line(summary.notice)), 500)))
    if summary.overview:
        blocks.append(section(f"*overview:* {clip(safe(one_line(summary.overview), mask), 1500)}"
                              f"\n_by {escape(one_line(summary.composed_by or 'an LLM'))}, from: "
                              f"{escape(', '.join(summary.overview_fields()))}_"))
    if summary.ambiguous:
        others = ", ".join(person(c.name, mask) for c in summary.ambiguous[:10] if c.id != who.id)
        blocks.append(context(f"Others also match “{person(one_line(query), mask)}”: {others}."))
    for line in summary.lines:
        if len(blocks) >= MAX_BLOCKS - 1:
            blocks.append(context("(more lines not shown)"))
            break
        c = line.citation
        head = f"*{escape(line.field)}:* "
        warning = f"\n:warning: _{escape(one_line(line.note))}_" if line.note else ""
        tail = f"\n_{where(c.source, c.page, c.section, mask)}_{warning}"
        body = safe(one_line(line.text), mask)
        blocks.append(section(head + clip(body, MAX_SECTION_TEXT - len(head) - len(tail)) + tail))
    if not summary.lines:
        blocks.append(section("Nothing to summarize in this candidate's documents."))
    return Message(text=fallback(f"Summary of {label(who.name, mask)}"), blocks=blocks)


def render_candidates(people: list[CandidateInfo], page: int = 0, *, mask: bool = True) -> Message:
    """Everyone, ten a page; names labelled by a file name are masked unless `mask` is False."""
    if not people:
        return Message(text="No candidates yet.",
                       blocks=[section("No candidates yet: share resumes in an intake channel "
                                       "or send them to me in a DM.")])
    rows = [section(f"*{person(p.name, mask)}*" + ("" if p.name_found else " _(no name found)_")
                    + f"\n_{escape(', '.join(p.sections[:6]) or 'no sections')} · "
                    f"{len(p.sources)} document{'s' if len(p.sources) != 1 else ''}_",
                    button("Summarize", f"{SUMMARIZE}:{i}", {"id": p.id, "m": p.name}))
            for i, p in enumerate(people)]
    pages = paginate(rows)
    page = max(0, min(page, len(pages) - 1))
    blocks = [context(f"{len(people)} candidate{'s' if len(people) != 1 else ''}"
                      + (f" — page {page + 1} of {len(pages)}" if len(pages) > 1 else ""))]
    blocks.extend(pages[page])
    if page + 1 < len(pages):
        blocks.append(actions([button(f"Show more ({page + 2}/{len(pages)})", SHOW_MORE,
                                      {"k": "candidates", "p": page + 1})]))
    return Message(text=f"{len(people)} candidates", blocks=blocks)


def render_intake(outcomes: list[FileOutcome], *, mask: bool = True) -> Message:
    """What was stored from each shared file, or why not; file names and the labels made from
    them masked unless `mask` is False."""
    lines = []
    for o in outcomes:
        name = person(Path(o.source).name, mask)
        if o.status == "failed":
            lines.append(f"❌ *{name}*: {escape(o.message or 'could not be read')}")
        elif o.status == "duplicate":
            lines.append(f"↩️ *{name}*: already stored ({person(o.candidate_name or '?', mask)}); "
                         "not stored twice")
        elif o.status == "unchanged":
            lines.append(f"↩️ *{name}*: already stored, unchanged "
                         f"({person(o.candidate_name or '?', mask)})")
        else:
            who = person(o.candidate_name or "?", mask)
            if not o.name_found:
                who += " _(no name found; labelled by file name)_"
            sections = escape(", ".join(o.sections[:8])) or "none detected"
            warnings = "".join(f"\n:warning: {clip(escape(one_line(w)), 300)}" for w in o.warnings
                               if "no candidate name" not in w)  # e.g. invisible text dropped
            lines.append(f"✅ *{name}* → *{who}*: {o.passages} passage{'s' if o.passages != 1 else ''}"
                         f" stored; sections: {sections}{warnings}")
    blocks = [section(line) for line in lines[:MAX_BLOCKS - 1]]
    if len(lines) > MAX_BLOCKS - 1:
        blocks.append(context(f"…and {len(lines) - MAX_BLOCKS + 1} more files"))
    stored = sum(o.status in ("added", "updated") for o in outcomes)
    return Message(text=f"{stored} of {len(outcomes)} files stored", blocks=blocks)


HELP = ("*Ask me about the candidates in the resumes I have read.*\n"
        "• Mention me: `@recruit who has shipped iOS apps in Swift?` — I answer in a thread\n"
        "• Follow up in that thread: _what about their publications?_, "
        "_tell me more about the second one_, _only those with a PhD_\n"
        "• `/recruit ask QUESTION` — only you see the answer (with a *Share with channel* button)\n"
        "• `/recruit summary NAME` · `/recruit candidates` · `/recruit help`\n"
        "• Send me PDF, DOCX or text resumes in a DM (or share them in an intake channel) "
        "and I will store them.\n"
        "Every answer quotes the documents verbatim, with file, page and section.")


def render_help() -> Message:
    return Message(text="How to use the recruiting assistant", blocks=[section(HELP)])


def render_notice(text: str) -> Message:
    """A short plain message (refusals, errors, progress): the caller's text is trusted markup."""
    return Message(text=text, blocks=[section(text)])


# ---------------------------------------------------------------------------------------------
# Job descriptions: the requirements as read, a compact shortlist, compare


VERDICT_EMOJI = {"met": "✅", "partly": "🟡", "no": "❌"}


def requirement_text(r) -> str:
    need = "must" if r.must else "nice"
    value = f" → {escape(r.value)}" if r.kind != "topic" else ""
    return f"`{r.id}` *{need}* · {r.kind}: {clip(escape(one_line(r.text)), 200)}{value}"


def requirement_blocks(answer, key: str) -> list[Block]:
    """The requirements as read, with buttons to drop one or flip it must ↔ nice (re-ranks)."""
    title = f" for *{escape(answer.title)}*" if answer.title else ""
    lines = [requirement_text(r) for r in answer.requirements]
    lines += [f"~`{r.id}` {clip(escape(one_line(r.text)), 120)}~ _(dropped)_" for r in answer.dropped]
    blocks = [section(clip(f"Requirements read{title}:\n" + "\n".join(lines), MAX_SECTION_TEXT))]
    buttons = []
    for r in answer.requirements[:12]:
        buttons.append(button(f"Drop {r.id}", f"{MATCH_EDIT}:drop:{r.id}",
                              {"a": key, "op": "drop", "r": r.id}))
        buttons.append(button(f"{r.id} → {'nice' if r.must else 'must'}",
                              f"{MATCH_EDIT}:flip:{r.id}", {"a": key, "op": "flip", "r": r.id}))
    if buttons:
        blocks.append(actions(buttons))
    return blocks


def match_row(hit, rank: int, requirements, mask: bool) -> str:
    """"*1. Name* ★ — r1 ✅ r2 🟡 r3 ❌", then the quote of each met or partly requirement."""
    marks = " ".join(f"{r.id} {VERDICT_EMOJI[c.verdict]}" for r in requirements
                     if (c := hit.cell(r.id)) is not None)
    star = " ★" if hit.musts_met else ""
    head = f"*{rank}. {person(hit.name, mask)}*{star}  {marks}"
    quotes = []
    for c in hit.coverage:
        if c.citation is None:
            continue
        note = f" _({escape(one_line(c.note))})_" if c.note else ""
        quotes.append(f"`{c.requirement}` “{clip(safe(one_line(c.citation.display_quote()), mask), 160)}” "
                      f"_{where(c.citation.source, c.citation.page, c.citation.section, mask)}_"
                      f"{note}")
    return clip(head + ("\n" + "\n".join(quotes) if quotes else ""), MAX_SECTION_TEXT)


def render_match(answer, key: str, *, mask: bool, page: int = 0,
                 shared_by: str | None = None) -> Message:
    """A shortlist: the requirements (first page), then five candidates a message, each with
    Summarize and Share; More, and Compare for the top candidates."""
    blocks: list[Block] = []
    if shared_by:
        blocks.append(context(f"Shared by {mention(shared_by)}"))
    if page == 0:
        blocks.extend(requirement_blocks(answer, key))
    if answer.no_match:
        blocks.append(section("No one in the documents meets any of these requirements."))
        return Message(text="No one in the documents meets these requirements.", blocks=blocks)
    start = page * MATCH_PAGE
    shown = answer.candidates[start:start + MATCH_PAGE]
    if page:
        blocks.append(context(f"candidates {start + 1}–{start + len(shown)} of {len(answer.candidates)}"))
    for rank, hit in enumerate(shown, start + 1):
        blocks.append(section(match_row(hit, rank, answer.requirements, mask)))
        blocks.append(actions([
            button("Summarize", f"{SUMMARIZE}:m{rank}", {"id": hit.id, "m": hit.name}),
            button("Share", f"{MATCH_SHARE}:{rank}", {"a": key, "r": rank, "id": hit.id})]))
    footer = []
    if start + MATCH_PAGE < len(answer.candidates):
        footer.append(button("More", MATCH_MORE, {"a": key, "p": page + 1}))
    if len(answer.candidates) >= 2:
        top = [h.id for h in answer.candidates[:3]]
        footer.append(button(f"Compare top {len(top)}", MATCH_COMPARE, {"a": key, "c": top}))
    if footer:
        blocks.append(actions(footer))
    blocks.append(context("★ meets every must-have · ✅ met · 🟡 partly · ❌ not met; "
                          "every quote is verbatim from the resume"))
    return Message(text=fallback(f"{len(answer.candidates)} candidate(s) for "
                                 f"{answer.title or 'this job'}"), blocks=blocks[:MAX_BLOCKS])


def render_match_row(answer, rank: int, *, mask: bool, shared_by: str) -> Message:
    """One candidate of a shortlist, shared with the channel."""
    hit = answer.candidates[rank - 1]
    blocks = [context(f"Shared by {mention(shared_by)} from a shortlist for "
                      f"{escape(answer.title or 'a job')}"),
              section(match_row(hit, rank, answer.requirements, mask))]
    legend = "\n".join(requirement_text(r) for r in answer.requirements)
    blocks.append(context(clip(legend, MAX_SECTION_TEXT)))
    return Message(text=fallback(f"{label(hit.name, mask)}: shortlisted for "
                                 f"{answer.title or 'a job'}"),
                   blocks=blocks)


def render_comparison(comparison, *, mask: bool) -> Message:
    """Two or three candidates side by side: one column each (their card lines), then each
    requirement's verdict per candidate with its quote."""
    blocks: list[Block] = []
    for name in comparison.missing:
        blocks.append(context(f"No candidate named {person(name, mask)} in the documents."))
    cards = [c for c in comparison.cards if c.candidate is not None]
    if len(cards) < 2:
        blocks.append(section("Compare needs two or three candidates I can find."))
        return Message(text="Nothing to compare.", blocks=blocks)
    fields = []
    for card in cards:
        lines = [f"*{person(card.candidate.name, mask)}*"]
        for line in card.lines[:8]:
            lines.append(f"_{escape(line.field)}:_ {clip(safe(one_line(line.text), mask), 140)}")
        fields.append(mrkdwn(clip("\n".join(lines), 2000)))
    blocks.append({"type": "section", "fields": fields[:10]})
    shortlist = comparison.shortlist
    if shortlist is not None:
        by_id = {h.id: h for h in shortlist.candidates}
        for r in shortlist.requirements[:10]:
            cells = []
            for card in cards:
                hit = by_id.get(card.candidate.id)
                cell = hit.cell(r.id) if hit else None
                if cell is None:
                    continue
                quote = f" “{clip(safe(one_line(cell.citation.display_quote()), mask), 120)}”" \
                    if cell.citation else ""
                cells.append(f"{VERDICT_EMOJI[cell.verdict]} "
                             f"{person(card.candidate.name, mask)}{quote}")
            blocks.append(section(clip(requirement_text(r) + "\n" + "\n".join(cells),
                                       MAX_SECTION_TEXT)))
    names = " vs ".join(label(c.candidate.name, mask) for c in cards)
    return Message(text=fallback(f"Comparing {names}"), blocks=blocks[:MAX_BLOCKS])
