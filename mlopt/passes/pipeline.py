"""Named pipelines: a pass whose body is a textual pass pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.passes import ModulePass, PassPipeline


def run_pipeline_text(ctx: Context, module: builtin.ModuleOp, text: str) -> None:
    """Parse ``text`` (MLIR or short comma form) against the registry and run it."""
    from mlopt.pipeline_parse import parse_pipeline

    parse_pipeline(text).apply(ctx, module)


def make_pipeline_pass(name: str, text: str, doc: str = "") -> type[ModulePass]:
    """A ModulePass subclass named ``name`` that runs the pipeline ``text``."""

    def apply(self: ModulePass, ctx: Context, op: builtin.ModuleOp) -> None:
        run_pipeline_text(ctx, op, text)

    cls = type(
        f"Pipeline_{name.replace('-', '_')}",
        (ModulePass,),
        {"name": name, "apply": apply, "__doc__": doc or f"Pipeline: {text}", "pipeline_text": text},
    )
    return dataclass(frozen=True)(cls)
