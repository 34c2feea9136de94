"""`make bench`: ingest throughput, start-up, `ask` latency and quality at several corpus sizes,
side by side with the stock langchain recipe on the same corpus and labelled questions.

    python -m bench.run                          # sizes 100 and 1000
    python -m bench.run --sizes 100,1000,10000 --pdf 50 --repeat 3

Each measurement runs in its own process (so each peak RSS is its own): `ingest` (text
resumes), `ingest-pdf` (the same resumes rendered to PDF), `query` (a fresh process: start-up,
keyword index load, incremental refresh, `ask` latency and quality) and `langchain` (the recipe
from the langchain docs: langchain-chroma `Chroma` + `BM25Retriever` + `EnsembleRetriever`,
default settings, with our embedder). Results go to bench/results/ as JSON and are printed as a
markdown table. Needs the `bench` extra (langchain-chroma, langchain-community, rank_bm25).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import Corpus, Question, generate

RESULTS = Path(__file__).parent / "results"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def percentiles(values: list[float]) -> dict[str, float]:
    import numpy as np

    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0}
    a = np.asarray(values, dtype=float)
    return {"p50": round(float(np.percentile(a, 50)), 2), "p95": round(float(np.percentile(a, 95)), 2),
            "p99": round(float(np.percentile(a, 99)), 2), "mean": round(float(a.mean()), 2)}


def score(ranked: list[str], question: Question) -> dict[str, float]:
    """Candidate-level recall@5 and reciprocal rank; `ranked` holds resume stems, best first."""
    relevant = set(question.relevant)
    top = ranked[:5]
    rank = next((i for i, stem in enumerate(ranked, 1) if stem in relevant), None)
    return {"recall_at_5": len(relevant & set(top)) / len(relevant),
            "reciprocal_rank": 1.0 / rank if rank else 0.0}


def quality(per_question: list[dict]) -> dict[str, object]:
    who = [q for q in per_question if q["kind"] == "who_has"]
    neg = [q for q in per_question if q["kind"] == "negative"]
    mean = lambda xs: round(sum(xs) / len(xs), 3) if xs else 0.0  # noqa: E731
    return {"questions": len(who), "recall_at_5": mean([q["recall_at_5"] for q in who]),
            "mrr": mean([q["reciprocal_rank"] for q in who]),
            "recall_at_5_en": mean([q["recall_at_5"] for q in who if q["language"] == "en"]),
            "recall_at_5_zh": mean([q["recall_at_5"] for q in who if q["language"] == "zh"]),
            "negatives_no_match": f"{sum(q['no_match'] for q in neg)}/{len(neg)}"}


# ---------------------------------------------------------------------------------------------
# Stage: ingest (text or PDF), with the time split into parse, chunk, embed, store


class Phases:
    """Accumulated seconds per ingest phase, by wrapping the pipeline's own functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner: object, attr: str, phase: str) -> None:
        inner = getattr(owner, attr, None)
        if inner is None:
            return

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - started

        setattr(owner, attr, timed)


class CachedEmbeddings:
    """The embedder behind a per-text cache (only with --embed-cache)."""

    def __init__(self, inner):
        self.inner = inner
        self.cache: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            self.cache.update(zip(missing, self.inner.embed_documents(missing)))
        return [self.cache[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def stage_ingest(args: argparse.Namespace) -> dict:
    import ingest.pipeline as pipeline
    from bot.assistant import Assistant
    from bot.process import tune_for_questions
    from retrieval.memory import return_freed_memory
    from retrieval.settings import Settings

    docs = Path(args.docs)
    settings = Settings(_env_file=None, data_dir=Path(args.data))
    started = time.perf_counter()
    assistant = tune_for_questions(Assistant(settings))
    if args.embed_cache:
        assistant.embeddings = CachedEmbeddings(assistant.embeddings)
    assistant.embeddings.embed_query("load")
    load_seconds = time.perf_counter() - started
    phases = Phases()
    phases.wrap(pipeline, "parse_document", "parse")
    for name in ("build_passages", "build_units", "extract_profile"):
        phases.wrap(pipeline, name, "chunk")
    phases.wrap(assistant.embeddings, "embed_documents", "embed")
    phases.wrap(assistant.store, "write_documents", "store")  # write_document calls it too
    if hasattr(pipeline, "identity"):
        phases.wrap(pipeline.identity, "reconcile", "identity")
    files = sorted(p for p in docs.iterdir() if p.is_file())
    started = time.perf_counter()
    report = pipeline.ingest_paths(files, settings, assistant.store, assistant.embeddings)
    seconds = time.perf_counter() - started
    failed = [f.model_dump() for f in report.files if f.status == "failed"][:5]
    phase = {k: round(v, 2) for k, v in phases.seconds.items()}
    phase["other"] = round(seconds - sum(phases.seconds.values()), 2)
    rss_after_ingest = peak_rss_mb()
    started = time.perf_counter()
    return_freed_memory()  # what `recruit ingest` does at its end, then build the keyword index
    assistant.refresh(force=True)
    index_seconds = time.perf_counter() - started
    chunks = report.passages_written
    return {"documents": len(report.files), "added": report.count("added"), "failed": failed,
            "chunks": chunks, "seconds": round(seconds, 2),
            "docs_per_s": round(len(report.files) / seconds, 2),
            "chunks_per_s": round(chunks / seconds, 1), "phases_s": phase,
            "embedder_load_s": round(load_seconds, 2), "embed_cache": bool(args.embed_cache),
            "keyword_index_build_s": round(index_seconds, 2),
            "peak_rss_mb_before_index": round(rss_after_ingest, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}


# ---------------------------------------------------------------------------------------------
# Stage: query (a fresh process over the store the ingest stage wrote)


def stage_query(args: argparse.Namespace) -> dict:
    from ingest.pipeline import ingest_paths
    from bot.assistant import Assistant
    from bot.process import tune_for_questions
    from retrieval.settings import Settings

    corpus = generate(args.size, args.seed)
    settings = Settings(_env_file=None, data_dir=Path(args.data))
    t0 = time.perf_counter()
    assistant = tune_for_questions(Assistant(settings))
    assistant.embeddings.embed_query("warm up")
    t1 = time.perf_counter()
    saved = _first_ask_caches(settings)
    assistant.refresh(force=True)  # the keyword index, from its disk cache
    t2 = time.perf_counter()
    # a store written before the unit matrix or the lexicon's matches across existed gets them
    # in this refresh, once (about 15 s at 10,000 resumes): the load time then includes them
    startup = {"open_and_load_embedder_s": round(t1 - t0, 2), "keyword_index_load_s": round(t2 - t1, 2),
               "first_ask_caches_were_saved": saved}

    refresh_ms: list[float] = []
    inner_refresh = assistant.refresh

    def timed_refresh(force: bool = False):  # noqa: ANN202 - the current Snapshot
        started = time.perf_counter()
        snapshot = inner_refresh(force=force)
        refresh_ms.append((time.perf_counter() - started) * 1000)
        return snapshot

    assistant.refresh = timed_refresh
    for q in corpus.questions[:5]:
        assistant.ask(q.text)  # warm-up, not counted
    totals: list[float] = []
    first_round: list[float] = []  # each question's first time (nothing of it cached yet)
    phases: dict[str, list[float]] = {k: [] for k in ("refresh", "embed", "dense", "keyword", "fuse", "group")}
    per_question: list[dict] = []
    for round_ in range(args.repeat):
        for q in corpus.questions:
            refresh_ms.clear()
            answer = assistant.ask(q.text)
            t = assistant.last_timings
            totals.append(t.total)
            refreshed = sum(refresh_ms)
            phases["refresh"].append(refreshed)
            phases["embed"].append(t.embed - refreshed)
            for k in ("dense", "keyword", "fuse", "group"):
                phases[k].append(getattr(t, k))
            if round_ == 0:
                first_round.append(t.total)
                ranked = [Path(s).stem for hit in answer.candidates for s in hit.sources]
                per_question.append({"id": q.id, "kind": q.kind, "language": q.language,
                                     "no_match": answer.no_match, "ranked": ranked[:8],
                                     **(score(ranked, q) if q.kind == "who_has" else {})})
    incremental = _incremental(assistant, inner_refresh, args, ingest_paths)
    return {"asks": len(totals), "ask_ms": percentiles(totals),
            "ask_ms_first_round": percentiles(first_round),
            "phase_ms": {k: percentiles(v) for k, v in phases.items()}, "startup": startup,
            "incremental_refresh": incremental, "quality": quality(per_question),
            "per_question": per_question, "peak_rss_mb": round(peak_rss_mb(), 1)}


def _first_ask_caches(settings) -> dict[str, bool]:
    """Whether the store already had the caches a serving process keeps for first-time
    questions (retrieval/unit_matrix.py; the lexicon's best matches across scripts)."""
    from retrieval.keyword import KeywordIndex, cache_path
    from retrieval.unit_matrix import directory

    path = cache_path(settings.data_dir, settings.collection, settings.embedding)
    folder = (KeywordIndex.about(path) or {}).get("folder")  # not loaded: that is the stage's
    return {"unit_matrix": (directory(settings) / "current.json").is_file(),
            "lexicon_across": bool(folder) and (path.with_name(str(folder)) / "lexicon_across.npy").is_file()}


def _incremental(assistant, refresh, args: argparse.Namespace, ingest_paths) -> dict:
    """Time the keyword index catching up with one added and one removed document."""
    extra = generate(args.size + 1, args.seed + 1).resumes[-1]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("zz-extra-" + extra.file)
        path.write_text(extra.text, encoding="utf-8")
        ingest_paths([path], assistant.settings, assistant.store, assistant.embeddings)
        started = time.perf_counter()
        refresh(force=True)
        added = time.perf_counter() - started
        assistant.store.remove(str(path.resolve()))
        started = time.perf_counter()
        refresh(force=True)
        removed = time.perf_counter() - started
    started = time.perf_counter()
    refresh(force=True)
    unchanged = time.perf_counter() - started
    return {"after_add_s": round(added, 3), "after_remove_s": round(removed, 3),
            "unchanged_check_s": round(unchanged, 3)}


# ---------------------------------------------------------------------------------------------
# Stage: the stock langchain recipe


def _ensemble_class():
    try:
        from langchain_classic.retrievers import EnsembleRetriever
    except ImportError:  # langchain < 1.0 kept it in langchain.retrievers
        from langchain.retrievers import EnsembleRetriever
    return EnsembleRetriever


def _have_recipe() -> bool:
    from importlib.util import find_spec

    def found(module: str) -> bool:
        try:
            return find_spec(module) is not None
        except ImportError:
            return False

    return all(map(found, ("langchain_chroma", "langchain_community", "rank_bm25",
                           "langchain_text_splitters"))) and \
        (found("langchain_classic") or found("langchain.retrievers"))


def stage_langchain(args: argparse.Namespace) -> dict:
    import warnings

    warnings.filterwarnings("ignore")
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_community.retrievers import BM25Retriever
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.readers import parse_document
    from retrieval.embeddings import USEEmbeddings

    corpus = generate(args.size, args.seed)
    files = sorted(p for p in Path(args.docs).iterdir() if p.is_file())
    embeddings = USEEmbeddings(threads=2)
    embeddings.embed_query("load")
    t0 = time.perf_counter()
    docs = [Document(page_content=parse_document(p).text, metadata={"source": str(p)}) for p in files]
    t1 = time.perf_counter()
    # The chunking of langchain's RAG tutorial; then the hybrid-search recipe with default settings.
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    t2 = time.perf_counter()
    done = Path(args.data) / "complete"
    if args.reuse and done.exists():  # an index built by an earlier run: measure queries only
        store = Chroma(embedding_function=embeddings, persist_directory=args.data,
                       client_settings=ChromaSettings(anonymized_telemetry=False))
        assert store._collection.count() == len(chunks)
    else:
        store = Chroma.from_documents(chunks, embedding=embeddings, persist_directory=args.data,
                                      client_settings=ChromaSettings(anonymized_telemetry=False))
        done.write_text("ok")
    t3 = time.perf_counter()
    bm25 = BM25Retriever.from_documents(chunks)
    t4 = time.perf_counter()
    Ensemble = _ensemble_class()
    variants = {
        "stock": Ensemble(retrievers=[bm25, store.as_retriever()], weights=[0.5, 0.5]),
        "stock_k20": Ensemble(retrievers=[bm25.model_copy(update={"k": 20}),
                                          store.as_retriever(search_kwargs={"k": 20})],
                              weights=[0.5, 0.5]),
    }
    out = {"ingest": {"documents": len(files), "chunks": len(chunks), "parse_s": round(t1 - t0, 2),
                      "split_s": round(t2 - t1, 2), "embed_and_store_s": round(t3 - t2, 2),
                      "bm25_build_s": round(t4 - t3, 2),
                      "docs_per_s": round(len(files) / (t4 - t0), 2)}}
    for name, retriever in variants.items():
        for q in corpus.questions[:5]:
            retriever.invoke(q.text)  # warm-up
        totals, per_question = [], []
        for round_ in range(args.repeat):
            for q in corpus.questions:
                started = time.perf_counter()
                found = retriever.invoke(q.text)
                totals.append((time.perf_counter() - started) * 1000)
                if round_ == 0:
                    ranked = list(dict.fromkeys(Path(d.metadata["source"]).stem for d in found))
                    per_question.append({"id": q.id, "kind": q.kind, "language": q.language,
                                         "no_match": not found, "ranked": ranked[:8],
                                         **(score(ranked, q) if q.kind == "who_has" else {})})
        out[name] = {"ask_ms": percentiles(totals), "quality": quality(per_question),
                     "per_question": per_question}
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


STAGES = {"ingest": stage_ingest, "query": stage_query, "langchain": stage_langchain}


# ---------------------------------------------------------------------------------------------
# Orchestration


def run_stage(stage: str, size: int, docs: Path, data: Path, args: argparse.Namespace) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result = Path(f.name)
    cmd = [sys.executable, "-m", "bench.run", "--stage", stage, "--size", str(size), "--docs", str(docs),
           "--data", str(data), "--result", str(result), "--seed", str(args.seed),
           "--repeat", str(args.repeat)] + \
        (["--embed-cache"] if args.embed_cache else []) + (["--reuse"] if args.reuse else [])
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECRUIT_")}
    started = time.perf_counter()
    print(f"  {stage} ({size} resumes) ...", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, env=env, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise SystemExit(f"stage {stage} at {size} failed (exit {done.returncode})")
    data_out = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    data_out["wall_s"] = round(time.perf_counter() - started, 1)
    return data_out


def bench_size(size: int, args: argparse.Namespace, work: Path) -> dict:
    """Run the chosen stages at one size; stages not run this time are taken from an earlier
    run in the same --workdir (so a long ingest can be done once and queried later)."""
    corpus: Corpus = generate(size, args.seed)
    root = work / str(size)
    stages = set(args.stages.split(","))
    if "ingest" in stages:
        shutil.rmtree(root, ignore_errors=True)
    if not (root / "docs").is_dir():
        corpus.write(root / "docs")
    pdf_count = min(args.pdf, size)

    def stage(name: str, key: str, count: int, docs: Path, data: Path) -> None:
        saved = root / f"{key}.json"
        if ("pdf" if key == "ingest_pdf" else name) in stages:
            saved.write_text(json.dumps(run_stage(name, count, docs, data, args)), encoding="utf-8")
        if saved.exists():
            result[key] = json.loads(saved.read_text(encoding="utf-8"))

    result: dict = {"size": size, "seed": args.seed, "questions": len(corpus.questions),
                    "repeat": args.repeat}
    stage("ingest", "ingest_text", size, root / "docs", root / "data")
    if pdf_count and "pdf" in stages:
        shutil.rmtree(root / "pdf", ignore_errors=True)
        shutil.rmtree(root / "data-pdf", ignore_errors=True)
        Corpus(args.seed, corpus.resumes[:pdf_count]).write(root / "pdf", pdf=True)
    if pdf_count:  # --pdf 0: no PDF corpus to ingest
        stage("ingest", "ingest_pdf", pdf_count, root / "pdf", root / "data-pdf")
    stage("query", "query", size, root / "docs", root / "data")
    if "langchain" in stages and not _have_recipe():
        print("  langchain: skipped (pip install -e '.[bench]' for langchain-chroma, "
              "langchain-community, rank_bm25)", file=sys.stderr)
        stages.discard("langchain")
    if "langchain" in stages and not args.reuse:
        shutil.rmtree(root / "data-langchain", ignore_errors=True)
    stage("langchain", "langchain", size, root / "docs", root / "data-langchain")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return result


def markdown(results: list[dict]) -> str:
    rows = ["| resumes | ingest text docs/s (chunks/s) | ingest PDF docs/s | parse/chunk/embed/store/other s "
            "| index build / load s | ask p50/p95/p99 ms | phases p50 ms refresh/embed/dense/kw/fuse/group "
            "| peak RSS ingest/query MB | recall@5 / MRR ours | recall@5 / MRR stock (k=20) "
            "| stock p50/p95 ms | negatives no-match ours/stock |",
            "|" + " --- |" * 12]
    for r in results:
        it, q = r["ingest_text"], r.get("query")
        pdf = r.get("ingest_pdf", {})
        ph = it["phases_s"]
        split = "/".join(str(ph.get(k, 0)) for k in ("parse", "chunk", "embed", "store", "other"))
        if q is None:  # --stages without query: the ingest figures only
            rows.append(f"| {r['size']} | {it['docs_per_s']} ({it['chunks_per_s']}) "
                        f"| {pdf.get('docs_per_s', '–')} | {split} | {it['keyword_index_build_s']} / – "
                        f"| – | – | {it['peak_rss_mb']:.0f} / – | – | – | – | – |")
            continue
        qm, pm = q["ask_ms"], q["phase_ms"]
        phases = "/".join(f"{pm[k]['p50']:.1f}" for k in ("refresh", "embed", "dense", "keyword", "fuse", "group"))
        lc = r.get("langchain")
        marked = it.get("embed_cache")
        it = dict(it, docs_per_s=f"{it['docs_per_s']}*" if marked else it["docs_per_s"])
        ours = q["quality"]
        stock = f"{lc['stock']['quality']['recall_at_5']:.3f} / {lc['stock']['quality']['mrr']:.3f} " \
                f"({lc['stock_k20']['quality']['recall_at_5']:.3f} / {lc['stock_k20']['quality']['mrr']:.3f})" \
            if lc else "–"
        stock_ms = f"{lc['stock']['ask_ms']['p50']:.1f} / {lc['stock']['ask_ms']['p95']:.1f}" if lc else "–"
        negs = f"{ours['negatives_no_match']} / {lc['stock']['quality']['negatives_no_match']}" if lc \
            else ours["negatives_no_match"]
        rows.append(
            f"| {r['size']} | {it['docs_per_s']} ({it['chunks_per_s']}) | {pdf.get('docs_per_s', '–')} "
            f"| {split} | {it['keyword_index_build_s']} / {q['startup']['keyword_index_load_s']} "
            f"| {qm['p50']:.1f} / {qm['p95']:.1f} / {qm['p99']:.1f} | {phases} "
            f"| {it['peak_rss_mb']:.0f} / {q['peak_rss_mb']:.0f} "
            f"| {ours['recall_at_5']:.3f} / {ours['mrr']:.3f} | {stock} | {stock_ms} | {negs} |")
    if any(r["ingest_text"].get("embed_cache") for r in results):
        rows.append("\n\\* built with --embed-cache (each distinct line embedded once): not the "
                    "real end-to-end ingest.")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes")
    parser.add_argument("--pdf", type=int, default=40, help="resumes also ingested as PDF, per size")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the questions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora and stores go")
    parser.add_argument("--keep", action="store_true", help="keep corpora and stores")
    parser.add_argument("--stages", default="ingest,pdf,query,langchain",
                        help="stages to run; the others are read from an earlier run in --workdir")
    parser.add_argument("--embed-cache", action="store_true",
                        help="ingest: embed each distinct text once (repeated lines are common in the "
                             "generated corpus); ingest throughput is then not end to end")
    parser.add_argument("--reuse", action="store_true",
                        help="langchain: reuse the recipe's Chroma index from an earlier run in "
                             "--workdir (its ingest figures are then those of the earlier run)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    # internal: one stage in this process
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--docs", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--table", action="store_true",
                        help="print the table of the results already in --out, and stop")
    args = parser.parse_args(argv)
    if args.table:
        saved = sorted(args.out.glob("size-*.json"), key=lambda p: int(p.stem.split("-")[1]))
        print(markdown([json.loads(p.read_text(encoding="utf-8")) for p in saved]))
        return
    if args.stage:
        out = STAGES[args.stage](args)
        Path(args.result).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="recruit-bench-"))
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        print(f"benchmark at {size} resumes", file=sys.stderr, flush=True)
        result = bench_size(size, args, work)
        result["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
        (args.out / f"size-{size}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
        results.append(result)
    table = markdown(results)
    (args.out / "summary.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    if not args.workdir and not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
