"""Giving memory back to the operating system between the phases of a long run."""

from __future__ import annotations

import ctypes
import gc


def return_freed_memory() -> None:
    """Collect garbage cycles and ask glibc to hand free heap pages back to the system: after
    a large ingest, the batches' buffers are free but still counted in the process's RSS, and
    the keyword index built next would otherwise be stacked on top of them."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to do
        pass
