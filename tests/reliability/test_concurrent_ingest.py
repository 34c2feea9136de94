"""Several writers on one store (issue: two ingests on a fresh data directory, one died with
"table collections already exists"; ingests of overlapping directories stored the same content
twice, for good; a crash between two writes left units the sweep never removed).

The multi-process tests run real `recruit ingest` processes over fictional resumes the test
writes (bench.corpus), started together after their imports so that they meet at the store.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from chromadb.api.client import SharedSystemClient
from langchain_core.embeddings import DeterministicFakeEmbedding

import bot.intake as intake
from bench.corpus import generate
from ingest.pipeline import ingest_file, ingest_paths, source_of
from retrieval.errors import StoreError
from retrieval.store import Store
from tests.conftest import make_settings

# Imports first; then each process says it is ready and waits until all are: they meet at the
# store within milliseconds of each other, however long the imports took on a busy machine.
STARTER = """
import os, sys, time
import chromadb, bot.cli, bot.assistant, ingest.pipeline
barrier, count = sys.argv[1], int(sys.argv[2])
open(os.path.join(barrier, str(os.getpid())), "w").close()
deadline = time.time() + 120
while len(os.listdir(barrier)) < count and time.time() < deadline:
    time.sleep(0.002)
sys.argv = ["recruit", *sys.argv[3:]]
bot.cli.main()
"""


def fake_embeddings() -> DeterministicFakeEmbedding:
    return DeterministicFakeEmbedding(size=64)  # what RECRUIT_EMBEDDING=fake gives the processes


def run_together(jobs: list[list[Path]], data_dir: Path) -> list[tuple[int, dict | None, str]]:
    """`recruit ingest --json` once per job, all started at the same instant on `data_dir`;
    each process's exit status, report and standard error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECRUIT_")}
    env.update(RECRUIT_DATA_DIR=str(data_dir), RECRUIT_EMBEDDING="fake", NO_COLOR="1")
    barrier = data_dir.parent / f"{data_dir.name}-ready"
    barrier.mkdir()
    processes = [subprocess.Popen([sys.executable, "-c", STARTER, str(barrier), str(len(jobs)),
                                   "ingest", "--json", *map(str, paths)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for paths in jobs]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        try:
            report = json.loads(out)
        except json.JSONDecodeError:
            report = None
        results.append((process.returncode, report, err))
    return results


def statuses(report: dict | None) -> Counter:
    return Counter(f["status"] for f in report["files"]) if report else Counter()


def open_store(data_dir: Path) -> Store:
    SharedSystemClient.clear_system_cache()  # read afresh what the processes wrote
    return Store(make_settings(data_dir))


def stored_twice(store: Store) -> list[list[str]]:
    """The sources of every content held by more than one registry record."""
    sources: dict[str, list[str]] = {}
    for record in store.documents():
        sources.setdefault(record.document_id, []).append(record.source)
    return [s for s in sources.values() if len(s) > 1]


def assert_whole(store: Store) -> None:
    """Every stored passage and unit belongs to a live document, and every live one is whole."""
    records = store.documents()
    live = {r.document_id for r in records}
    passages = store._passages.get(include=["metadatas"])["metadatas"]
    units = store._units.get(include=["metadatas"])["metadatas"]
    assert {m["document_id"] for m in passages} == live
    assert {m["document_id"] for m in units} == live
    assert len(passages) == sum(r.passages for r in records)


# ---------------------------------------------------------------------------------------------
# Real processes


@dataclass
class Crowd:
    """Four `recruit ingest` processes started together on a new data directory: two over the
    same resumes under different names (and the very same files besides), two over resumes of
    their own."""

    data: Path
    one: list[Path]
    copies: list[Path]
    shared: list[Path]
    jobs: list[list[Path]]
    results: list[tuple[int, dict | None, str]]

    def reports(self, *which: int) -> list[dict]:
        return [self.results[i][1] for i in which if self.results[i][1] is not None]


@pytest.fixture(scope="module")
def crowd(tmp_path_factory: pytest.TempPathFactory) -> Crowd:
    root = tmp_path_factory.mktemp("crowd")
    one = generate(12, seed=11).write(root / "one")
    (root / "two").mkdir()
    copies = [Path(shutil.copy(p, root / "two" / f"copy-{p.name}")) for p in one]
    shared = generate(2, seed=12).write(root / "shared")  # the same files in both runs
    own = generate(4, seed=13).write(root / "own")
    jobs = [[root / "one", root / "shared"], [root / "two", root / "shared"], own[:2], own[2:]]
    results = run_together(jobs, root / "data")
    print(f"\n{len(jobs)} processes started together on a new data dir: "
          f"{len(one)} resumes, the same {len(copies)} under other names, {len(shared)} files "
          f"given to both, and {len(own)} others; exit {[code for code, _, _ in results]}, "
          f"outcomes {[dict(statuses(report)) for _, report, _ in results]}")
    return Crowd(root / "data", one, copies, shared, jobs, results)


@pytest.mark.slow
def test_ingests_opening_a_new_data_dir_together_all_finish(crowd: Crowd) -> None:
    for code, report, err in crowd.results:
        assert "already exists" not in err and "database is locked" not in err, err[-800:]
        assert code == 0 and report is not None, err[-800:]
        assert not report["files"] or "failed" not in statuses(report)
    for (_, report, _), job in zip(crowd.results[2:], crowd.jobs[2:]):
        assert statuses(report) == {"added": len(job)}
    store = open_store(crowd.data)
    own = {source_of(p) for job in crowd.jobs[2:] for p in job}
    assert own <= {r.source for r in store.documents()}
    assert_whole(store)


@pytest.mark.slow
def test_ingests_of_overlapping_directories_store_each_content_once(crowd: Crowd) -> None:
    store = open_store(crowd.data)
    pairs = stored_twice(store)
    print(f"contents stored twice: {len(pairs)}")
    assert pairs == []
    assert_whole(store)
    files = [f for report in crowd.reports(0, 1) for f in report["files"]]
    assert len(crowd.reports(0, 1)) == 2
    outcomes = {f["source"]: f for f in files}
    for path, copy in zip(crowd.one, crowd.copies):  # each content added once, the other file
        mine, theirs = outcomes[source_of(path)], outcomes[source_of(copy)]  # named its twin
        assert sorted((mine["status"], theirs["status"])) == ["added", "duplicate"]
        dup, kept = (theirs, mine) if theirs["status"] == "duplicate" else (mine, theirs)
        assert dup["message"] == f"identical to {kept['source']}; not stored twice"
    both = [f["status"] for f in files if f["source"] in {source_of(p) for p in crowd.shared}]
    assert sorted(both) == ["added"] * len(crowd.shared) + ["unchanged"] * len(crowd.shared)


# ---------------------------------------------------------------------------------------------
# A race made certain: the other writer commits while this one embeds


class RivalDuringEmbedding(DeterministicFakeEmbedding):
    """Embeds like the fake backend; the first time, another writer runs first (as if another
    process committed between this ingest's early look and its commit)."""

    rival: object = None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        rival, self.rival = self.rival, None
        if rival is not None:
            rival()
        return super().embed_documents(texts)


def rival_ingest(settings, path: Path):  # noqa: ANN001, ANN201
    def run() -> None:
        report = ingest_paths([path], settings, Store(settings), fake_embeddings())
        assert [f.status for f in report.files] == ["added"]
    return run


def test_a_commit_that_lost_the_race_reports_the_stored_twin(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    [mine] = generate(1, seed=31).write(tmp_path / "mine")
    theirs = tmp_path / "theirs" / "same-content.md"
    theirs.parent.mkdir()
    shutil.copy(mine, theirs)
    store = Store(settings)
    embeddings = RivalDuringEmbedding(size=64)
    embeddings.rival = rival_ingest(settings, theirs)

    [outcome] = ingest_paths([mine], settings, store, embeddings).files

    print(f"{mine.name} ingested while another writer stored {theirs.name}: {outcome.status}, "
          f"{outcome.message!r}")
    assert outcome.status == "duplicate"
    assert outcome.message == f"identical to {source_of(theirs)}; not stored twice"
    assert [r.source for r in store.documents()] == [source_of(theirs)]
    assert stored_twice(store) == []
    assert_whole(store)


def test_a_changed_file_that_lost_the_race_drops_its_old_version(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    first, second = generate(2, seed=32).write(tmp_path / "mine")
    store = Store(settings)
    ingest_paths([first], settings, store, fake_embeddings())
    theirs = tmp_path / "theirs" / "same-content.md"
    theirs.parent.mkdir()
    shutil.copy(second, theirs)
    first.write_bytes(second.read_bytes())  # the file now holds what the other writer stores
    embeddings = RivalDuringEmbedding(size=64)
    embeddings.rival = rival_ingest(settings, theirs)

    [outcome] = ingest_paths([first], settings, store, embeddings).files

    print(f"a changed file whose new content another writer stored first: {outcome.message!r}")
    assert outcome.status == "duplicate"
    assert outcome.message == (f"identical to {source_of(theirs)}; not stored twice; "
                               "its previous version was removed")
    assert [r.source for r in store.documents()] == [source_of(theirs)]
    assert_whole(store)


def test_slack_intake_that_lost_the_race_reports_the_stored_twin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path / "data")
    [path] = generate(1, seed=33).write(tmp_path / "theirs")
    monkeypatch.setattr(intake, "download", lambda *a, **k: path.read_bytes())
    client = SimpleNamespace(token="xoxb-test", files_info=lambda file: {"file": {
        "name": "resume.md", "size": path.stat().st_size,
        "url_private_download": "https://files.slack.com/F1/resume.md"}})
    embeddings = RivalDuringEmbedding(size=64)
    embeddings.rival = rival_ingest(settings, path)
    assistant = SimpleNamespace(store=Store(settings), embeddings=embeddings)

    outcome = intake.intake_file("F1", client=client, settings=settings, assistant=assistant)

    print(f"a Slack upload whose content a `recruit ingest` stored meanwhile: {outcome.message!r}")
    assert outcome.status == "duplicate"
    assert outcome.message == f"identical to {source_of(path)}; not stored twice"
    assert [r.source for r in assistant.store.documents()] == [source_of(path)]
    assert_whole(assistant.store)


def test_the_same_content_twice_in_one_batch_is_stored_once(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    [path] = generate(1, seed=34).write(tmp_path / "a")
    copy = tmp_path / "b" / "copy.md"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    store = Store(settings)
    report = ingest_paths([path, copy], settings, store, fake_embeddings(), batch_files=(8,))
    assert [f.status for f in report.files] == ["added", "duplicate"]
    assert stored_twice(store) == []


# ---------------------------------------------------------------------------------------------
# The lock itself, and catching up on another writer


@contextmanager
def lock_held_by_another_process(settings) -> Iterator[subprocess.Popen]:  # noqa: ANN001
    """A process that takes the store's write lock (writing its pid, as a writer does) and
    keeps it until the block ends."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, f'{os.getpid()}'.encode())\n"
        "print('held', flush=True); time.sleep(60)\n"), str(settings.data_dir / "write.lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_that_cannot_get_the_lock_is_refused_with_the_way_out(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", store_lock_wait_s=0.5)
    paths = generate(3, seed=35).write(tmp_path / "r")
    store = Store(settings)
    with lock_held_by_another_process(settings) as holder:
        started = time.perf_counter()
        outcomes = ingest_paths(paths, settings, store, fake_embeddings(), batch_files=(1,)).files
        waited = time.perf_counter() - started
    print(f"another process held the lock; {len(paths)} files, the ingest gave up after "
          f"{waited:.1f} s: {outcomes[0].message!r}")
    assert [o.status for o in outcomes] == ["failed"] * len(paths)
    assert all(o.message == outcomes[0].message for o in outcomes)
    assert "RECRUIT_CHROMA_HOST" in outcomes[0].message
    assert f"process {holder.pid}" in outcomes[0].message
    assert waited < 2 * settings.store_lock_wait_s + 2  # one wait, not one per file
    assert store.documents() == []
    outcomes = ingest_paths(paths, settings, store, fake_embeddings()).files  # holder gone
    assert [o.status for o in outcomes] == ["added"] * len(paths)
    # Opening an existing store does not wait for a writer: a reader (a cold `recruit ask`)
    # is not held up by another process's commit.
    with lock_held_by_another_process(settings):
        SharedSystemClient.clear_system_cache()
        started = time.monotonic()
        reader = Store(settings)
        assert len(reader.documents()) == len(paths)
        assert time.monotonic() - started < settings.store_lock_wait_s


def test_a_writer_catches_up_on_another_writers_commit_before_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path / "data")
    first, second = generate(2, seed=36).write(tmp_path / "r")
    mine, other = Store(settings), Store(settings)
    reopened = []
    monkeypatch.setattr(mine, "reopen", lambda: reopened.append(True))
    ingest_paths([first], settings, other, fake_embeddings())  # a change mine did not write
    assert reopened == []
    ingest_paths([second], settings, mine, fake_embeddings())
    print(f"writes after another writer's commit: reopened {len(reopened)} time(s) first")
    assert reopened  # it wrote on the current state, not on what it had loaded


# ---------------------------------------------------------------------------------------------
# A crash between the two writes of a batch


class SimulatedCrash(Exception):
    pass


def test_a_crash_between_the_passage_and_unit_writes_is_swept(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path / "data")
    [path] = generate(1, seed=37).write(tmp_path / "r")
    store = Store(settings)
    written: list[str] = []
    real_upsert = Store._upsert

    def crash_at_the_second_write(self, collection, *args, **kwargs):  # noqa: ANN001
        if written and collection.name not in written:
            raise SimulatedCrash(f"killed before writing {collection.name}")
        written.append(collection.name)
        return real_upsert(self, collection, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_upsert", crash_at_the_second_write)
        [outcome] = ingest_paths([path], settings, store, fake_embeddings()).files
    left = {name: len(getattr(store, attr).get(include=[])["ids"])
            for name, attr in (("passages", "_passages"), ("units", "_units"))}
    swept = store.sweep_orphans(grace_s=0)
    after = {name: len(getattr(store, attr).get(include=[])["ids"])
             for name, attr in (("passages", "_passages"), ("units", "_units"))}
    print(f"crash after writing {written}: {outcome.status}; left {left}; swept {swept} "
          f"document(s); after the sweep {after}")
    assert outcome.status == "failed" and store.documents() == []
    assert swept == 1 and after == {"passages": 0, "units": 0}


def test_ingest_file_still_stores_and_reports_normally(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    [path] = generate(1, seed=38).write(tmp_path / "r")
    store = Store(settings)
    first = ingest_file(path, source_of(path), settings, store, fake_embeddings())
    again = ingest_file(path, source_of(path), settings, store, fake_embeddings())
    assert (first.status, again.status) == ("added", "unchanged")
