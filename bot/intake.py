"""Resume intake from Slack: files.info → download with the bot token → ingest_file.

Every refusal or failure becomes a failed `FileOutcome` whose message a user can act on. The bot
token is only ever sent to Slack's own file hosts (or the configured Slack API host), and
redirects are not followed, so it cannot leak to a third party.
"""

from __future__ import annotations

import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ingest.pipeline import ingest_file
from ingest.readers import PARSERS
from retrieval.settings import Settings
from retrieval.types import FileOutcome

if TYPE_CHECKING:
    from bot.protocol import Responder

# One upload parsed and embedded at a time in the bot (memory stays that of one file). Writers
# in other processes (a `recruit ingest` beside the bot) are ordered by the store's write lock at
# each commit, where a content stored meanwhile is refused and reported as a duplicate.
_ingest_lock = threading.Lock()

FORMATS = "PDF, DOCX, plain text, Markdown or HTML"


def intake_files(files: list[dict[str, Any]], *, client: WebClient, settings: Settings,
                 assistant: Responder) -> list[FileOutcome]:
    """Ingest every file of a Slack message; the search index is refreshed once at the end."""
    outcomes = [intake_file(str(f.get("id", "")), client=client, settings=settings,
                            assistant=assistant) for f in files if f.get("id")]
    if any(o.status in ("added", "updated") for o in outcomes):
        assistant.refresh(force=True)  # rebuild the keyword index so new resumes answer at once
    return outcomes


def intake_file(file_id: str, *, client: WebClient, settings: Settings,
                assistant: Responder) -> FileOutcome:
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as e:
        return _failed(f"slack:{file_id}", "Slack would not give me this file "
                       f"({e.response.get('error', 'error')}); is the files:read scope granted?")
    name = Path(str(info.get("name") or info.get("title") or file_id)).name or file_id
    source = f"slack:{file_id}/{name}"
    suffix = Path(name).suffix.lower()
    if suffix not in PARSERS:
        shown = suffix or "no extension"
        return _failed(source, f"unsupported file type ({shown}); send {FORMATS} files")
    limit = int(settings.max_file_mb * 1_000_000)
    size = int(info.get("size") or 0)
    if size > limit:
        return _failed(source, f"file is {size / 1_000_000:.1f} MB; the limit is "
                       f"{settings.max_file_mb:g} MB")
    url = info.get("url_private_download") or info.get("url_private")
    if not url:
        return _failed(source, "Slack gave no download link for this file")
    try:
        data = download(str(url), token=client.token or "", api_url=settings.slack_api_url,
                        limit=limit, html_ok=suffix in (".html", ".htm"))
    except DownloadError as e:
        return _failed(source, str(e))
    with tempfile.TemporaryDirectory(prefix="recruit-intake-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        with _ingest_lock:
            return ingest_file(path, source, settings, assistant.store, assistant.embeddings)


class DownloadError(Exception):
    """A download problem, described for the user (never containing the token)."""


def allowed_host(url: str, api_url: str) -> bool:
    """Slack's own hosts over HTTPS, or exactly the configured Slack API host."""
    target, api = urlsplit(url), urlsplit(api_url)
    host = (target.hostname or "").lower()
    if target.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    return (target.scheme, host, target.port) == (api.scheme, (api.hostname or "").lower(), api.port)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None  # a redirect would carry the Authorization header elsewhere


def download(url: str, *, token: str, api_url: str, limit: int, html_ok: bool = False,
             timeout: float = 60.0) -> bytes:
    if not allowed_host(url, api_url):
        raise DownloadError("the file's download link is not on a Slack host; not downloaded")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            data = _read_at_most(response, limit + 1)
    except urllib.error.HTTPError as e:
        if 300 <= e.code < 400:
            raise DownloadError("Slack redirected the download to a login page; is the "
                                "files:read scope granted?") from None
        raise DownloadError(f"download failed (HTTP {e.code})") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e.__class__.__name__
        raise DownloadError(f"download failed ({reason})") from None
    if len(data) > limit:
        raise DownloadError(f"file is over the {limit / 1_000_000:g} MB limit")
    if kind == "text/html" and not html_ok:
        raise DownloadError("Slack returned a web page instead of the file; is the files:read "
                            "scope granted?")
    return data


def _read_at_most(response, limit: int) -> bytes:  # noqa: ANN001
    chunks, total = [], 0
    while total < limit:
        chunk = response.read(min(1 << 16, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _failed(source: str, message: str) -> FileOutcome:
    return FileOutcome(source=source, status="failed", message=message)
