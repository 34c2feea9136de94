"""Contact details in resume text: find them (for profiles and identity) and mask them (for
replies where the configuration does not allow showing them)."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d() \t.\-]{5,}\d(?!\w)")
_PHONE_LABEL = re.compile(r"(?:phone|tel|mobile|cell|电话|手机|电话号码|📞|☎)\s*[:：]?\s*$", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>()\"'，。、；）]+|(?<![@\w.])(?:www\.)?[a-z0-9][\w-]*(?:\.[\w-]+)*"
                  r"\.(?:com|org|net|io|info|me|cn|edu|ai|dev|app|page|site|xyz)(?:/[^\s<>()\"'，。、；）]*)?",
                  re.IGNORECASE)


# "name [at] example [dot] cn", "name(at)example(dot)com": an address written to dodge scrapers.
_SPELLED_EMAIL = re.compile(r"[\w.+%-]+\s*[\[(（{<]\s*(?:at|@)\s*[\])）}>]\s*[\w-]+"
                            r"(?:\s*[\[(（{<]\s*(?:dot|\.)\s*[\])）}>]\s*[\w-]+)+", re.IGNORECASE)
# A WeChat id after its label: 6-20 letters, digits, "_" or "-", starting with a letter.
_WECHAT = re.compile(r"(?P<label>(?:wechat|weixin|微信号?|vx|wx)\s*(?:id|号)?\s*[:：]?\s*)"
                     r"(?P<id>[A-Za-z][-_A-Za-z0-9]{5,19})\b", re.IGNORECASE)
_LOCAL_NUMBER = re.compile(r"\d{3}[-.]\d{4}")  # "555-0199": a number without its area code


def _looks_like_years(raw: str) -> bool:
    groups = re.findall(r"\d+", raw)
    return all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)


def _is_phone(text: str, match: re.Match[str]) -> bool:
    raw = match.group(0)
    digits = sum(ch.isdigit() for ch in raw)
    if digits > 15:
        return False
    labelled = bool(_PHONE_LABEL.search(text[max(0, match.start() - 12):match.start()]))
    return (raw.startswith("+") and digits >= 7 or labelled and digits >= 6
            or digits >= 9 and not _looks_like_years(raw))


def find_emails(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _EMAIL.finditer(text)]


def find_phones(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PHONE.finditer(text) if _is_phone(text, m)]


def find_links(text: str) -> list[tuple[int, int]]:
    emails = find_emails(text)
    spans = []
    for m in _URL.finditer(text):
        if any(s <= m.start() < e for s, e in emails):
            continue  # the domain of an e-mail address
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)":
            end -= 1
        spans.append((m.start(), end))
    return spans


def contact_key(kind: str, value: str) -> str:
    """A comparable form: e-mails lower-case, phones by their last 10 digits, links without
    scheme, 'www.' and trailing slashes."""
    if kind == "email":
        return "email:" + value.strip().lower()
    if kind == "phone":
        return "phone:" + re.sub(r"\D", "", value)[-10:]
    link = re.sub(r"^https?://", "", value.strip().lower())
    link = re.sub(r"^www\.", "", link).rstrip("/")
    return "link:" + link


def mask_contacts(text: str) -> str:
    """Replace e-mail addresses (also spelled out: "name [at] example [dot] cn"), phone numbers
    (also a local "555-0199") and WeChat ids; years and date ranges are left alone."""
    text = _EMAIL.sub("[email hidden]", text)
    text = _SPELLED_EMAIL.sub("[email hidden]", text)
    text = _WECHAT.sub(lambda m: m.group("label") + "[id hidden]", text)
    return _PHONE.sub(lambda m: "[phone hidden]" if _is_phone(text, m) or _is_local_number(m)
                      else m.group(0), text)


def _is_local_number(match: re.Match[str]) -> bool:
    """When masking, "555-0199" counts: hiding a room number is cheaper than showing a phone."""
    return bool(_LOCAL_NUMBER.fullmatch(match.group(0).strip()))


# A document's extension, kept as it is when its name is masked ("a@b.com.pdf": the address is
# hidden, ".pdf" stays); the formats ingest reads, and their common neighbours.
_DOCUMENT_EXTENSION = re.compile(r"\.(?:pdf|docx?|odt|rtf|txt|md|markdown|html?)$", re.IGNORECASE)


def mask_name(name: str) -> str:
    """A file name, or a candidate labelled by one, with contact details masked as in text
    ("john.doe@example.com +1-415-555-0123.txt" → "[email hidden] [phone hidden].txt"). An
    underscore counts as a space ("cv_4155550123.pdf"), but only where that uncovers something
    to hide: a name with nothing to hide comes back as it was."""
    extension = _DOCUMENT_EXTENSION.search(name)
    stem, suffix = (name[:extension.start()], extension.group(0)) if extension else (name, "")
    first = mask_contacts(stem)
    spaced = first.replace("_", " ")
    second = mask_contacts(spaced)
    return (first if second == spaced else second) + suffix
