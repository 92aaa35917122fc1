"""Compile progress on stderr: the stage running now, stages done, time so far.

A compile with ``progress=True`` (``mlopt.compile(..., progress=True)``;
``mlopt-run`` and ``mlopt --emit=package`` turn it on when stderr is a
terminal, ``--progress`` / ``--no-progress`` force it) shows one tqdm bar
that advances at each stage -- import, onnx-opt, onnx-to-tensor, tensor-opt,
bufferize, kernels, linalg-to-affine, affine-to-llvm, translate (to LLVM IR),
llvm-optimize (LLVM's optimisation and code generation in its workers),
link -- and disappears when the compile ends. Libraries stay quiet unless
asked.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator

__all__ = [
    "CompileProgress", "compile_progress", "stderr_is_terminal", "add_progress_flags", "progress_wanted",
]


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def add_progress_flags(parser: Any, what: str = "show compile stages on stderr") -> None:
    """The tools' ``--progress`` / ``--no-progress`` (``args.progress``: True,
    False, or None when neither is given: see :func:`progress_wanted`)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", dest="progress", action="store_true", default=None,
                       help=f"{what} (default: when stderr is a terminal)")
    group.add_argument("--no-progress", dest="progress", action="store_false",
                       help="never show compile progress")


def progress_wanted(flag: bool | None) -> bool:
    """``args.progress`` of :func:`add_progress_flags`: None means when stderr is a terminal."""
    return stderr_is_terminal() if flag is None else flag


class CompileProgress:
    """Advances a tqdm bar through named stages (a no-op when disabled)."""

    def __init__(self, stages: list[str], label: str, enabled: bool):
        self._bar: Any = None
        self._stages = list(stages)
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(
                total=len(self._stages),
                desc=f"{label}: compiling",
                file=sys.stderr,
                leave=False,
                bar_format="{desc} {bar:20} {n_fmt}/{total_fmt} stages [{elapsed}]",
                dynamic_ncols=True,
            )

    def plan(self, stages: list[str]) -> None:
        """The stages, once they are known (they depend on the model's level)."""
        self._stages = list(stages)
        if self._bar is not None:
            self._bar.total = len(self._stages)
            self._bar.refresh()

    def stage(self, name: str) -> None:
        """``name`` starts now (the stages before it are done)."""
        if self._bar is None:
            return
        done = self._stages.index(name) if name in self._stages else self._bar.n
        self._bar.update(done - self._bar.n)
        self._bar.set_description_str(f"{self._bar.desc.split(':')[0]}: {name}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self._bar.total - self._bar.n)
            self._bar.close()
            self._bar = None


@contextmanager
def compile_progress(stages: list[str], label: str, enabled: bool) -> Iterator[CompileProgress]:
    progress = CompileProgress(stages, label, enabled)
    try:
        yield progress
    finally:
        progress.close()
