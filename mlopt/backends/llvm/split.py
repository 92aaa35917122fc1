"""Split a translated LLVM module into parts that LLVM compiles in parallel.

Each function definition goes to one part (the largest first, each to the
part with the fewest instructions so far); every part declares what the others
define, global variables are defined in the first part and declared in the
rest, and private symbols become external so that the parts' object files link
with each other in one MCJIT engine. Only the inlining of a function into a
caller in another part is lost: mlopt's entry calls its outlined parallel loop
bodies through the thread pool (a function pointer), which LLVM does not
inline anyway, and the kernels of one loop nest stay in one function.
"""

from __future__ import annotations

from llvmlite import ir

# Below this many LLVM instructions a module is compiled whole: a part costs
# a round trip to a worker and its own pipeline set-up (~10 ms).
MIN_SPLIT_INSTRUCTIONS = 20_000


def _size(fn: ir.Function) -> int:
    return sum(len(b.instructions) for b in fn.blocks)


def _as_declaration(gv: ir.GlobalValue) -> str:
    if isinstance(gv, ir.Function):
        blocks, gv.blocks = gv.blocks, []
        try:
            return str(gv)
        finally:
            gv.blocks = blocks
    # (a GlobalVariable caches its printed form: written out here)
    kind = "constant" if gv.global_constant else "global"
    align = f", align {gv.align}" if gv.align is not None else ""
    return f"{gv.get_reference()} = external {kind} {gv.value_type}{align}\n"


def split_module(module: ir.Module, parts: int) -> list[str]:
    """The module's text as ``parts`` modules (or one, when it is small or has
    fewer function definitions than that)."""
    definitions = [f for f in module.functions if f.blocks]
    sizes = {f.name: _size(f) for f in definitions}
    if parts < 2 or len(definitions) < 2 or sum(sizes.values()) < MIN_SPLIT_INSTRUCTIONS:
        return [str(module)]
    parts = min(parts, len(definitions))
    load = [0] * parts
    home: dict[str, int] = {}
    for f in sorted(definitions, key=lambda f: -sizes[f.name]):
        k = load.index(min(load))
        home[f.name] = k
        load[k] += sizes[f.name]
    for gv in module.global_values:
        if gv.linkage in ("private", "internal"):
            gv.linkage = ""  # visible to the other parts' objects
    header = [
        f'; ModuleID = "{module.name}"',
        f'target triple = "{module.triple}"',
        f'target datalayout = "{module.data_layout}"',
        "",
        *(t.get_declaration() for t in module.get_identified_types().values()),
    ]
    defined = [str(gv) for gv in module.globals.values()]  # each global printed once
    declared: dict[str, str] = {}
    bodies: list[list[str]] = [[] for _ in range(parts)]
    for text, gv in zip(defined, module.globals.values()):
        if isinstance(gv, ir.Function) and gv.blocks:
            owner = home[gv.name]
        elif isinstance(gv, ir.GlobalVariable) and gv.initializer is not None:
            owner = 0
        else:  # a declaration: every part has it
            for body in bodies:
                body.append(text)
            continue
        for k, body in enumerate(bodies):
            if k == owner:
                body.append(text)
            else:
                if gv.name not in declared:
                    declared[gv.name] = _as_declaration(gv)
                body.append(declared[gv.name])
    metadata = module._get_metadata_lines()  # pyright: ignore[reportPrivateUsage]
    return ["\n".join([*header, *body, *metadata]) for body in bodies]
