"""Guard pages around the buffers a compiled model reads and writes.

``guarded(a)`` copies an array into memory that ends (to within 15 bytes, for
16-byte alignment) at a ``PROT_NONE`` page, so one element read or written past
its end kills the process with SIGSEGV instead of corrupting the heap unseen.
``guard_outputs()`` makes mlopt's runtime allocate its output arrays that way
(it patches the ``np.empty`` the call path uses, nothing else). The fuzzer runs
every graph with both, in a child process that reports a crash by seed.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap

import numpy as np

_PAGE = mmap.PAGESIZE
_libc = ctypes.CDLL(None, use_errno=True)
_libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def guarded_empty(shape, dtype=np.float32) -> np.ndarray:
    dtype = np.dtype(dtype)
    n = int(np.prod(shape, dtype=np.int64))
    nbytes = n * dtype.itemsize
    data_pages = max(1, -(-nbytes // _PAGE))
    buf = mmap.mmap(-1, (data_pages + 1) * _PAGE)
    base = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    if _libc.mprotect(base + data_pages * _PAGE, _PAGE, 0) != 0:
        raise OSError(ctypes.get_errno(), "mprotect failed")
    offset = (data_pages * _PAGE - nbytes) & ~15
    return np.frombuffer(buf, dtype, n, offset).reshape(shape)


def guarded(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    g = guarded_empty(a.shape, a.dtype)
    g[...] = a
    return g


class _Numpy:
    """numpy, with ``empty`` allocating guarded arrays."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def empty(shape, dtype=float, *args, **kwargs):
        return guarded_empty(shape, dtype)


@contextlib.contextmanager
def guard_outputs():
    from mlopt.backends import runtime

    saved = runtime.np
    runtime.np = _Numpy()
    try:
        yield
    finally:
        runtime.np = saved
