"""A real Chroma server for tests: `chroma run` from the installed chromadb wheel, on 127.0.0.1
and a free port, waited for through its heartbeat and always terminated."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ChromaServer:
    host: str
    port: int
    path: Path
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def chroma_command() -> list[str]:
    script = Path(sys.executable).parent / "chroma"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from chromadb.cli.cli import app; app()"]


def _heartbeat(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/api/v2/heartbeat", timeout=1) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_chroma(directory: Path, timeout: float = 60.0) -> Iterator[ChromaServer]:
    """Start `chroma run --path directory/data` and yield it once its heartbeat answers."""
    data, log_path = directory / "data", directory / "chroma.log"
    data.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):  # the free port can be taken between choosing and binding it
        port = free_port()
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False", NO_COLOR="1")
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                chroma_command() + ["run", "--path", str(data), "--host", HOST, "--port", str(port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while process.poll() is None and time.monotonic() < deadline and not _heartbeat(port):
                time.sleep(0.1)
            if process.poll() is None and _heartbeat(port):
                yield ChromaServer(HOST, port, data, log_path)
                return
        finally:
            _stop(process)
    raise RuntimeError(f"chroma run did not start; see {log_path}:\n{log_path.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and any children
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
