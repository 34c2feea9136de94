"""Cold start of the command line: `recruit ask` and `recruit summary` as a recruiter runs them,
each a new process, on a store of the given documents.

    python -m bench.cold                         # examples/resumes, 7 runs each
    python -m bench.cold --docs ../shared/eval/public/docs --repeat 9

The store and the caches (the embedder's fast state, the keyword index) are written by a first
ingest and one untimed question, as after `recruit ingest`; then each command runs `--repeat`
times. Medians of wall time and of CPU time (user + system of the process) are reported with
the load average: on a shared machine the wall time follows the load, the CPU time much less.
Results go to bench/results/cold.json.
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


def measure(args: list[str], env: dict[str, str], repeat: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, done = run(args, env)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(args)} failed: {done.stderr}")
        walls.append(wall)
        cpus.append(cpu)
    return {"wall_median_s": round(statistics.median(walls), 2), "wall_min_s": round(min(walls), 2),
            "cpu_median_s": round(statistics.median(cpus), 2), "runs": repeat,
            "load_average": round(os.getloadavg()[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="examples/resumes", help="Directory of resumes.")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--question", default=QUESTION)
    args = parser.parse_args()
    recruit = str(Path(sys.executable).parent / "recruit")
    with tempfile.TemporaryDirectory(prefix="recruit-cold-") as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECRUIT_")}
        env.update(RECRUIT_DATA_DIR=data, NO_COLOR="1")
        _, _, done = run([recruit, "ingest", args.docs], env)
        if done.returncode not in (0, 1):
            raise SystemExit(f"ingest failed: {done.stderr}")
        people = json.loads(run([recruit, "candidates", "--json"], env)[2].stdout)
        name = next(p["name"] for p in people if p["name_found"])
        run([recruit, "ask", args.question], env)  # writes the caches a first question writes
        result = {"docs": args.docs, "documents": len(people), "question": args.question,
                  "ask": measure([recruit, "ask", args.question], env, args.repeat),
                  "summary": measure([recruit, "summary", name], env, args.repeat),
                  "help": measure([recruit, "--help"], env, args.repeat)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cold.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"| command | wall median s (min) | CPU median s | load |\n| --- | --- | --- | --- |")
    for command in ("ask", "summary", "help"):
        r = result[command]
        print(f"| recruit {command} | {r['wall_median_s']} ({r['wall_min_s']}) | "
              f"{r['cpu_median_s']} | {r['load_average']} |")


if __name__ == "__main__":
    main()
