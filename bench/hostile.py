"""Memory and time of hostile files: what reading each costs, and why it is refused.

    python -m bench.hostile                  # all cases, results to bench/results/hostile.json
    python -m bench.hostile --cases docx-zip-bomb pdf-200-pages

The files are generated (fictional text only): a DOCX zip bomb (a few hundred KB that unpack to
about 200 MB of XML, the issue's 292 KB / 3.3 GB file), a 200-page PDF (the issue's 2.26 GB /
199 s file), and for scale an ordinary one-page resume in each format and the largest files
still accepted (a PDF at the page limit, a DOCX just under the text limit), and two DOCX files of
dense XML under the unpacked-size limit: one just under the XML-size limit (read until the text
limit) and one over it (refused from the zip directory).

Each case runs in a child process of its own, twice: `parse` (the ingest's reading step,
`ingest.readers.parse_document`, where the memory went) and `ingest` (`recruit ingest FILE` into a
fresh data directory, the whole command as a user runs it). A child reports its peak resident
set (`ru_maxrss`), its wall time and the outcome: the refusal reason, or the characters read.
Children run under an address-space cap (`--cap-gb`), so an unguarded file fails with
MemoryError instead of taking the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

RESULTS = Path(__file__).parent / "results"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
LINES = [
    "Rowan Kessler",
    "rowan.kessler@example.com | +1 555 0188 | Tacoma, Washington",
    "Experience",
    "Site Reliability Engineer, Driftwood Systems (2017 - present)",
    "Ran Kubernetes clusters for batch analytics and wrote Helm charts for internal services.",
    "Cut paging alerts by half with SLO-based alerting in Prometheus and Grafana.",
    "Education",
    "B.S. Computer Science, University of Washington (2013 - 2017)",
]


def write_docx(path: Path, unpacked_mb: float = 0.0) -> Path:
    """A DOCX of `LINES`, its body padded with repeated paragraphs to about `unpacked_mb` of XML."""
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in LINES)
    filler = ("<w:p><w:r><w:t>Kubernetes, Helm, Terraform, Prometheus, Grafana, Python, Go</w:t>"
              "</w:r></w:p>") * 1000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write((head + body).encode())
            written, target = 0, int(unpacked_mb * 1_000_000)
            block = filler.encode()
            while written < target:
                part.write(block)
                written += len(block)
            part.write(b"</w:body></w:document>")
    return path


def write_pdf(path: Path, pages: int) -> Path:
    """A PDF of `pages` pages, each a full page of resume-like text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number in range(1, pages + 1):
        y = A4[1] - 56
        while y > 56:
            for line in LINES:
                c.setFont("Helvetica", 10.5)
                c.drawString(56, y, line)
                y -= 14
                if y <= 56:
                    break
        c.drawString(56, 30, f"page {number}")
        c.showPage()
    c.save()
    return path


def _cases() -> dict[str, Callable[[Path], Path]]:
    from ingest.pdf import MAX_PAGES
    from ingest.readers import MAX_XML_MB

    return {
        "docx-ordinary": lambda d: write_docx(d / "ordinary.docx"),
        "docx-zip-bomb": lambda d: write_docx(d / "bomb.docx", unpacked_mb=200),
        "docx-largest-accepted": lambda d: write_docx(d / "largest.docx", unpacked_mb=0.25),  # ~190k characters
        "docx-xml-under-limit": lambda d: write_docx(d / "xml-heavy.docx", unpacked_mb=MAX_XML_MB * 0.95),
        "docx-xml-over-limit": lambda d: write_docx(d / "xml-heavier.docx", unpacked_mb=MAX_XML_MB * 2),
        "pdf-ordinary": lambda d: write_pdf(d / "ordinary.pdf", pages=1),
        "pdf-200-pages": lambda d: write_pdf(d / "long.pdf", pages=200),
        "pdf-largest-accepted": lambda d: write_pdf(d / "largest.pdf", pages=MAX_PAGES),
    }


# ---------------------------------------------------------------------------------------------
# Children


def child_parse(path: Path) -> dict:
    """In this process: read one file as the ingest does."""
    from ingest.readers import parse_document
    from retrieval.errors import DocumentError

    rss_before = _peak_rss_mb(resource.RUSAGE_SELF)
    started = time.perf_counter()
    try:
        document = parse_document(path)
        outcome = {"outcome": "read", "characters": len(document.text), "warnings": document.warnings}
    except DocumentError as e:
        outcome = {"outcome": "refused", "reason": str(e)}
    except MemoryError:
        outcome = {"outcome": "out of memory (address-space cap)"}
    return {"seconds": round(time.perf_counter() - started, 3), "rss_before_mb": rss_before,
            "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_SELF), **outcome}


def child_ingest(path: Path) -> dict:
    """`recruit ingest FILE` into a fresh data directory, as its own process: its peak RSS is the
    only child's."""
    recruit = Path(sys.executable).with_name("recruit")
    with tempfile.TemporaryDirectory(prefix="hostile-data-") as data:
        env = os.environ | {"RECRUIT_DATA_DIR": data}
        started = time.perf_counter()
        done = subprocess.run([str(recruit), "ingest", str(path)], env=env, capture_output=True,
                              text=True, encoding="utf-8", errors="replace")
        seconds = time.perf_counter() - started
    line = next((ln.strip() for ln in done.stdout.splitlines() if path.name in ln), done.stdout.strip()[-300:])
    return {"seconds": round(seconds, 3), "peak_rss_mb": _peak_rss_mb(resource.RUSAGE_CHILDREN),
            "exit_status": done.returncode, "line": line,
            **({"stderr_tail": done.stderr.strip()[-300:]} if done.returncode not in (0, 1) else {})}


def _peak_rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KB on Linux


def run_child(mode: str, path: Path, cap_gb: float) -> dict:
    """One new process measuring one file."""
    def limit() -> None:
        cap = int(cap_gb * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    done = subprocess.run([sys.executable, "-m", "bench.hostile", "--child", mode, str(path)],
                          capture_output=True, text=True, preexec_fn=limit if mode == "parse" else None,
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-500:], "exit_status": done.returncode}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="*", help="which cases (default: all)")
    parser.add_argument("--modes", nargs="*", default=["parse", "ingest"], choices=["parse", "ingest"])
    parser.add_argument("--cap-gb", type=float, default=4.0, help="address-space cap of a parse child")
    parser.add_argument("--out", type=Path, default=RESULTS / "hostile.json")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, path = args.child
        print(json.dumps((child_parse if mode == "parse" else child_ingest)(Path(path))))
        return

    cases = _cases()
    chosen = args.cases or list(cases)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        for name in chosen:
            path = cases[name](Path(tmp))
            entry: dict = {"file": path.name, "bytes_on_disk": path.stat().st_size}
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as archive:
                    entry["bytes_unpacked"] = sum(i.file_size for i in archive.infolist())
            for mode in args.modes:
                entry[mode] = run_child(mode, path, args.cap_gb)
                print(f"{name:24} {mode:6} {json.dumps(entry[mode], ensure_ascii=False)[:220]}", flush=True)
            results[name] = entry
    report = {"measured": time.strftime("%Y-%m-%d %H:%M:%S"), "python": platform.python_version(),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores", "load_average": os.getloadavg(),
              "cap_gb": args.cap_gb, "cases": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
