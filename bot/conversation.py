"""Reading what users write to the bot: the question in a message, and what a thread follow-up
refers to ("the second one", "their publications", "only those with a PhD"). Pure functions."""

from __future__ import annotations

import re

from bot.state import ThreadContext

_BOT_MENTION = "<@{id}>"
_SLACK_LINK = re.compile(r"<(?:mailto:|https?://)?([^<>|]+)\|([^<>]+)>")


def question_of(text: str, bot_user_id: str | None) -> str:
    """The user's words: the bot's mention removed, Slack's escaping and links undone."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    text = _SLACK_LINK.sub(r"\2", text)
    text = re.sub(r"<(?:mailto:|https?://)?([^<>|@!#]+)>", r"\1", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7,
             "eighth": 8, "8th": 8, "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "last": -1}
_ORD = "|".join(_ORDINALS)
_NOUN = r"(?:one|candidate|person|profile|resume|cv)"
_ORDINAL = re.compile(rf"\bthe\s+({_ORD})\b(?:\s+{_NOUN})?|\b({_ORD})\s+{_NOUN}\b|"
                      r"(?:#|\bnumber\s*|\bno\.\s*|\bcandidate\s+)(\d{1,2})\b", re.IGNORECASE)
_MORE = re.compile(r"\b(tell me (?:more|about)|more about|more on|summar\w*|details?|profile|"
                   r"who is|background)\b", re.IGNORECASE)
_CHATTER = re.compile(r"^(thanks?( you)?|thx|ok(ay)?|great|cool|nice|got it|lol|\W*)[.!\s]*$",
                      re.IGNORECASE)
_REFERS_BACK = re.compile(r"\b(their|them|those|these|of them|among them)\b", re.IGNORECASE)


_FILLER = re.compile(r"\b(?:what|how)\s+about\b|\b(?:tell me|show me|and|so|only|just|also|their|"
                     r"them|they|those|these|ones?|of|among|which|who|whom|whose|any)\b",
                     re.IGNORECASE)


def follow_up_query(question: str) -> str:
    """A follow-up's own content: "only those with a PhD" → "with a PhD" (the thread supplies
    who "those" are, through `ask(..., only=...)`)."""
    cleaned = " ".join(_FILLER.sub(" ", question).split()).strip(" ,;:-")
    return cleaned if re.search(r"\w", cleaned) else question


def pick_candidate(question: str, ctx: ThreadContext) -> int | None:
    """Which candidate of the thread a follow-up names ("the second one", "#2", a name)."""
    m = _ORDINAL.search(question)
    if m:
        word = m.group(1) or m.group(2)
        n = _ORDINALS[word.lower()] if word else int(m.group(3))
        index = len(ctx.names) - 1 if n == -1 else n - 1
        return index if 0 <= index < len(ctx.names) else None
    lowered = question.lower()
    for i, name in enumerate(ctx.names):
        parts = [name.lower()] + [p for p in re.split(r"[\s.]+", name.lower()) if len(p) >= 3]
        if any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", lowered) or
               (not p.isascii() and p in lowered) for p in parts):
            return i
    return None


def is_dm(channel: str | None, channel_type: str | None = None) -> bool:
    return channel_type == "im" or (channel or "").startswith("D")


def mentions(text: str, bot_user_id: str | None) -> bool:
    return bool(bot_user_id) and _BOT_MENTION.format(id=bot_user_id) in text


def is_chatter(question: str) -> bool:
    """"thanks!", "ok": not a question, even in a thread the bot answers in."""
    return bool(_CHATTER.match(question))


def refers_back(question: str) -> bool:
    """Does a DM message point at the previous answer ("their", "the second one")?"""
    return bool(_REFERS_BACK.search(question) or _ORDINAL.search(question))


def wants_summary(question: str) -> bool:
    """"tell me more about the second one", or just "the second one?"."""
    return bool(_MORE.search(question)) or len(re.findall(r"\w+", question)) <= 6


def is_job_prompt(question: str) -> bool:
    """The "Paste a job description" suggestion itself, sent as is: not yet a job description."""
    from bot.prompts import JOB_PROMPT

    return question.strip().rstrip(".!").lower() == JOB_PROMPT.lower()
