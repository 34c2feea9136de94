"""Cold start of the command line: `recruit ask` and `recruit summary` as a recruiter runs them,
each a new process, on a store of the given documents.

    python -m bench.cold                         # examples/resumes, 7 runs each
    python -m bench.cold --docs ../shared/eval/public/docs --repeat 9
    python -m bench.cold --baseline /tmp/old     # also an earlier checkout, runs interleaved

The store and the caches (the read snapshot, the embedder's fast state, the keyword index) are
written by a first ingest and one untimed question, as after `recruit ingest`; then each
command runs `--repeat` times. The processes use compiled bytecode, as an installed package
does (a PYTHONDONTWRITEBYTECODE in the environment is dropped; the .pyc files go to a temporary
directory). Medians of wall time and of CPU time (user + system of the process) are reported
with the load average: on a shared machine the wall time follows the load, the CPU time much
less. With `--baseline DIR` (an earlier checkout, e.g. `git archive`), the same commands run
from that tree on a store it ingested itself, alternating with the current tree's runs so both
see the same load. Results go to bench/results/cold.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
QUESTION = "Who has worked on quantization?"


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """One new process: (wall s, CPU s, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, encoding="utf-8")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done


def prepare(command: list[str], docs: str, data: str, question: str,
            env: dict[str, str]) -> tuple[str, int]:
    """Ingest into `data` and ask once (the caches a first question writes); the name of the
    first named person, for `summary`."""
    env = env | {"RECRUIT_DATA_DIR": data}
    _, _, done = run(command + ["ingest", docs], env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"ingest failed: {done.stderr}")
    people = json.loads(run(command + ["candidates", "--json"], env)[2].stdout)
    run(command + ["ask", question], env)
    return next(p["name"] for p in people if p["name_found"]), len(people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="examples/resumes", help="Directory of resumes.")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--baseline", help="An earlier checkout to measure beside this one.")
    args = parser.parse_args()
    docs = str(Path(args.docs).absolute())
    trees = {"current": Path(__file__).absolute().parent.parent}
    if args.baseline:
        trees["baseline"] = Path(args.baseline).absolute()
    with tempfile.TemporaryDirectory(prefix="recruit-cold-") as tmp:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("RECRUIT_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(NO_COLOR="1", PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"))
        result: dict = {"docs": args.docs, "question": args.question}
        commands = {}
        for label, tree in trees.items():
            command = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); "
                       "from bot.cli import main; sys.argv[0] = 'recruit'; main()"]
            data = str(Path(tmp) / label)
            name, count = prepare(command, docs, data, args.question, env)
            result["documents"] = count
            commands[label] = (command, env | {"RECRUIT_DATA_DIR": data}, name)
        for what in ("ask", "summary", "help"):
            walls: dict[str, list] = {label: [] for label in trees}
            cpus: dict[str, list] = {label: [] for label in trees}
            for _ in range(args.repeat):
                for label, (command, run_env, name) in commands.items():
                    extra = {"ask": [args.question], "summary": [name], "help": []}[what]
                    flag = ["--help"] if what == "help" else [what]
                    wall, cpu, done = run(command + flag + extra, run_env)
                    if done.returncode not in (0, 1):
                        raise SystemExit(f"{what} failed: {done.stderr}")
                    walls[label].append(wall)
                    cpus[label].append(cpu)
            for label in trees:
                result.setdefault(label, {})[what] = {
                    "wall_median_s": round(statistics.median(walls[label]), 2),
                    "wall_min_s": round(min(walls[label]), 2),
                    "cpu_median_s": round(statistics.median(cpus[label]), 2),
                    "runs": args.repeat, "load_average": round(os.getloadavg()[0], 1)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cold.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("| tree | command | wall median s (min) | CPU median s | load |\n| --- | --- | --- | --- | --- |")
    for label in trees:
        for command in ("ask", "summary", "help"):
            r = result[label][command]
            print(f"| {label} | recruit {command} | {r['wall_median_s']} ({r['wall_min_s']}) | "
                  f"{r['cpu_median_s']} | {r['load_average']} |")


if __name__ == "__main__":
    main()
