"""The App Home tab and the bot's modals (feedback reasons, resume upload) as Block Kit views:
pure functions, no I/O. Text from documents or users is escaped as in `bot.blocks`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from bot.blocks import Block, actions, button, clip, context, escape, mention, one_line, section
from bot.state import Intake
from candidates.contacts import mask_name
from retrieval.types import CandidateInfo

FEEDBACK_VIEW = "feedback_reasons"  # callback_id of the 👎 modal
UPLOAD_VIEW = "upload_resumes"  # callback_id of the upload modal
UPLOAD = "upload_resumes"  # action_id of the App Home button
MAX_OPTIONS = 100  # a static select holds at most 100 options
MAX_OPTION_TEXT = 75
MAX_METADATA = 3000  # a view's private_metadata
UPLOAD_TYPES = ["pdf", "docx", "txt", "md", "html"]

REASONS = {  # value -> label of the 👎 modal's checkboxes
    "wrong_person": "Wrong person: someone listed does not match",
    "missed_someone": "Missed someone who matches",
    "bad_quote": "Bad quote: it does not say what the answer claims",
}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(clip(one_line(text), MAX_OPTION_TEXT) or value[:MAX_OPTION_TEXT]),
            "value": value[:150]}


def person_options(people: list[CandidateInfo]) -> list[dict[str, Any]]:
    """Names to pick from, contacts masked (a modal does not know where it was opened; a name
    labelled by a file name may carry an e-mail address)."""
    return [option(mask_name(p.name), p.id) for p in people[:MAX_OPTIONS]]


def metadata(value: dict[str, Any]) -> str:
    """JSON within the 3,000 characters of private_metadata: the question and ids shortened."""
    value = dict(value)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    while len(text) > MAX_METADATA and value.get("c"):
        value["c"] = value["c"][:-1]
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_METADATA:
        value["q"] = str(value.get("q", ""))[:500]
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text


def _people_picker(block_id: str, label: str, placeholder: str,
                   people: list[CandidateInfo]) -> Block:
    """An optional multi-select of candidates in a modal."""
    return {"type": "input", "block_id": block_id, "optional": True, "label": plain(label),
            "element": {"type": "multi_static_select", "action_id": block_id,
                        "placeholder": plain(placeholder), "options": person_options(people)}}


def feedback_modal(*, meta: dict[str, Any], question: str, shown: list[CandidateInfo],
                   others: list[CandidateInfo]) -> dict[str, Any]:
    """👎: what was wrong (checkboxes), who was wrong, who was missed, and free text."""
    blocks: list[Block] = [section(f"*Q:* {escape(one_line(question))}")]
    blocks.append({"type": "input", "block_id": "reasons", "optional": True,
                   "label": plain("What was wrong?"),
                   "element": {"type": "checkboxes", "action_id": "reasons",
                               "options": [option(label, value) for value, label in REASONS.items()]}})
    if shown:
        blocks.append(_people_picker("wrong", "Who should not be there?", "Candidates in the answer",
                                     shown))
    if others:
        blocks.append(_people_picker("missed", "Who was missed?", "Pick candidates", others))
    blocks.append({"type": "input", "block_id": "note", "optional": True,
                   "label": plain("Anything else?"),
                   "element": {"type": "plain_text_input", "action_id": "note", "multiline": True,
                               "max_length": 1000}})
    blocks.append(context("Saved without resume text; contact details you type are masked."))
    return {"type": "modal", "callback_id": FEEDBACK_VIEW, "title": plain("What went wrong?"),
            "submit": plain("Send"), "close": plain("Cancel"), "private_metadata": metadata(meta),
            "blocks": blocks}


def upload_modal() -> dict[str, Any]:
    return {"type": "modal", "callback_id": UPLOAD_VIEW, "title": plain("Upload resumes"),
            "submit": plain("Store them"), "close": plain("Cancel"),
            "blocks": [{"type": "input", "block_id": "files", "label": plain("Resumes"),
                        "element": {"type": "file_input", "action_id": "files",
                                    "filetypes": UPLOAD_TYPES, "max_files": 10}},
                       context("PDF, DOCX, text, Markdown or HTML; I reply in our DM with "
                               "what I stored.")]}


def _who_may_ask(users: list[str]) -> str:
    if not users:
        return "everyone in the workspace"
    shown = ", ".join(mention(u) for u in users[:10])
    return shown + (f" and {len(users) - 10} more" if len(users) > 10 else "")


def _channels(channels: list[str], empty: str) -> str:
    return ", ".join(f"<#{c}>" for c in channels[:10]) if channels else empty


CONTACTS = {"dm": "only in DMs to people who may ask; masked everywhere else",
            "never": "never (always masked)", "always": "everywhere"}


def _intake_line(i: Intake) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(i.at))
    name = escape(Path(i.name).name)
    if i.status == "failed":
        return f"❌ {when} *{name}*: {escape(one_line(i.message or 'could not be read'))}"
    who = f" → {escape(i.candidate)}" if i.candidate else ""
    return f"✅ {when} *{name}*{who} ({escape(i.status)})"


def render_home(*, documents: int, candidates: int, intakes: list[Intake], settings: Any,
                refused: str | None = None) -> dict[str, Any]:
    """The App Home tab: the store at a glance, recent uploads and their failures, an upload
    button, and the settings that decide who sees what."""
    if refused:
        return {"type": "home", "blocks": [section(refused)]}
    blocks: list[Block] = [
        {"type": "header", "text": plain("Recruiting assistant")},
        section(f"*{documents:,}* document{'s' if documents != 1 else ''} · *{candidates:,}* "
                f"candidate{'s' if candidates != 1 else ''} in the store"),
        actions([button("Upload resumes", UPLOAD, {"k": "upload"}, style="primary")]),
        {"type": "divider"},
        section("*Last uploads*"),
    ]
    if intakes:
        blocks += [section("\n".join(_intake_line(i) for i in intakes[:10]))]
        failed = [i for i in intakes if i.status == "failed"]
        if failed:
            blocks.append(context(f"{len(failed)} of the last {len(intakes)} uploads failed."))
    else:
        blocks.append(context("No uploads through Slack yet (files ingested with `recruit ingest` "
                              "count above, not here)."))
    blocks += [
        {"type": "divider"},
        section("*Settings*\n"
                f"• Who may ask: {_who_may_ask(list(settings.allowed_users))}\n"
                f"• Where I answer: {_channels(list(settings.allowed_channels), 'every channel I am in')}"
                " and DMs\n"
                f"• Resumes are taken from: DMs and {_channels(list(settings.intake_channels), 'no channel')}\n"
                f"• Contact details shown: {CONTACTS.get(settings.show_contacts, settings.show_contacts)}"),
        context("Set with RECRUIT_ALLOWED_USERS, RECRUIT_ALLOWED_CHANNELS, RECRUIT_INTAKE_CHANNELS "
                "and RECRUIT_SHOW_CONTACTS."),
    ]
    return {"type": "home", "blocks": blocks}


def selected(values: dict, block: str, action: str) -> list[str]:
    """The values picked in a submitted view's checkboxes or multi-select."""
    state = (values.get(block) or {}).get(action) or {}
    return [str(o.get("value")) for o in state.get("selected_options") or [] if o.get("value")]


def typed(values: dict, block: str, action: str) -> str:
    return str(((values.get(block) or {}).get(action) or {}).get("value") or "")


def uploaded(values: dict, block: str = "files", action: str = "files") -> list[dict]:
    return [f for f in ((values.get(block) or {}).get(action) or {}).get("files") or []
            if isinstance(f, dict) and f.get("id")]
