"""Scale-out with Ray: batch inference of a compiled model over a ``ray.data.Dataset``.

::

    import mlopt, mlopt.ray, ray

    model = mlopt.compile("model.onnx", num_threads=1)      # compiled once, here
    ds = ray.data.read_parquet("features/")                  # a column per model input
    out = mlopt.ray.map_batches(ds, model, concurrency=4, num_cpus_per_actor=1)

Ray is an optional extra (``pip install 'mlopt-compiler[ray]'``): this module
imports without it, and the helpers raise one :class:`ImportError` that says so.

* :class:`Predictor` is the callable class ``Dataset.map_batches`` runs in a
  pool of actors. Each actor loads the artefact once, in ``__init__``: a
  :class:`~mlopt.backends.runtime.CompiledModel` (shipped pickled: its pickle is
  the artefact's bytes, machine code and weights, so unpickling links code and
  compiles nothing), an object ref of one (``ray.put(model)``), pickled bytes,
  or the path of a package written by :func:`mlopt.save` (every node must see
  that path). Workers never compile: a batch is cut into the shape the model
  was compiled for (see *Batches* below), so every call hits a compiled variant.
* :func:`map_batches` is the one-line helper: it prepares the artefact on the
  driver (:func:`prepare`), puts it in the object store once and returns
  ``dataset.map_batches(Predictor, ...)`` with the actor pool's size and
  per-actor CPUs.

Threads. The thread count is a *compile-time* option: ``num_threads=T``
decides how the kernels' loops are tiled and split, and the generated code
passes ``T`` as a constant to the thread pool (``mlopt_parallel_for``); a
loaded model cannot run with another count. So the artefact must be
compiled for the actors' CPUs: :func:`prepare` (which :func:`map_batches`
calls) compiles an ONNX model with ``num_threads = num_cpus_per_actor``, and
recompiles a :class:`CompiledModel` compiled for another count -- on the
driver, from the model it keeps (a model loaded from a static package has
none: it is shipped as it is, with a warning). Each actor compares the CPUs
Ray assigned it with its model's ``num_threads`` and warns when they differ.

Batches. A compiled variant has a fixed leading (batch) dimension ``B``: the
largest batch among the model's compiled shape signatures (a model with a
symbolic batch dimension is compiled by :func:`prepare` for
``model_batch_size`` rows, default 32). Each Ray batch of ``n`` rows is run as
``ceil(n / B)`` calls; the last, partial chunk is padded with zero rows to
``B`` and the padding's outputs are dropped. So every sample must be computed
independently of the others in its batch (true of inference graphs: no
batch statistics), and a Ray ``batch_size`` that is a multiple of ``B`` wastes
least (:func:`map_batches` picks one).

Columns. Model input ``x`` reads the dataset column ``x`` (``input_columns=
{"x": "features"}`` renames); each row of the column must have the shape of
one sample (the compiled shape without its batch dimension) and the input's
dtype (``cast=True`` converts). Outputs are columns named by the model's
output names (``output_columns`` renames). The batch's other columns (an id,
a label) are passed through unchanged (``keep_columns`` chooses). A missing
column, a wrong dtype or a wrong row shape raises :class:`~mlopt.errors.InputError`
naming the column and the input.
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlopt.errors import InputError, UsageError

if TYPE_CHECKING:
    from mlopt.backends.runtime import CompiledModel

__all__ = ["Predictor", "map_batches", "prepare", "load_artifact", "model_batch_size", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'mlopt-compiler[ray]'"
#: rows per compiled call for a model whose batch dimension is symbolic
DEFAULT_MODEL_BATCH = 32
#: about how many rows a Ray batch has when map_batches chooses (a multiple of the model's batch)
DEFAULT_RAY_BATCH = 1024


def _ray() -> Any:
    """The ``ray`` module (with ``ray.data``), or one clear ImportError."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"mlopt.ray needs Ray Data, which is not installed ({exc}): {INSTALL_HINT}"
        ) from None
    return ray


def _compiled_model_class() -> type:
    from mlopt.backends.runtime import CompiledModel

    return CompiledModel


# -- the artefact ----------------------------------------------------------------


def load_artifact(artifact: Any) -> CompiledModel:
    """The compiled model ``artifact`` stands for, loaded without compiling: a
    CompiledModel, a Ray object ref of one, its pickled bytes, or the path of
    a package directory (:func:`mlopt.load`)."""
    CompiledModel = _compiled_model_class()
    if isinstance(artifact, CompiledModel):
        return artifact
    if isinstance(artifact, bytes | bytearray | memoryview):
        model = pickle.loads(artifact)
        if not isinstance(model, CompiledModel):
            raise UsageError(f"the pickled artefact is a {type(model).__name__}, not a CompiledModel")
        return model
    if isinstance(artifact, str | os.PathLike):
        import mlopt

        return mlopt.load(artifact)
    try:
        import ray
    except ImportError:
        ray = None
    if ray is not None and isinstance(artifact, ray.ObjectRef):
        return load_artifact(ray.get(artifact))
    raise UsageError(
        f"cannot load an mlopt model from a {type(artifact).__name__}: pass a CompiledModel, "
        "ray.put(compiled_model), its pickled bytes or the path of a package (mlopt.save)"
    )


def model_batch_size(model: CompiledModel) -> int:
    """The rows per call: the leading dimension shared by every input of the
    model's compiled shape signature (the largest, if several are compiled)."""
    return _signature(model)[0]


def _signature(model: CompiledModel) -> tuple[int, tuple[tuple[int, ...], ...]]:
    """(B, the per-row shape of each input) of the signature the Predictor calls."""
    if model.value_input_indices:
        names = ", ".join(model.input_names[i] for i in model.value_input_indices)
        raise UsageError(
            f"the model has value-specialised inputs ({names}): it compiles a variant per "
            "value at the call, and mlopt.ray never compiles on workers"
        )
    best: tuple[int, tuple[tuple[int, ...], ...]] | None = None
    for shapes in model.compiled_signatures():
        if not shapes or any(len(s) == 0 for s in shapes):
            raise UsageError(
                "mlopt.ray runs models whose inputs all have a leading batch dimension; "
                f"this one is compiled for shapes {list(shapes)}"
            )
        leading = {s[0] for s in shapes}
        if len(leading) != 1:
            raise UsageError(
                "mlopt.ray needs every input to have the same leading (batch) dimension; "
                f"the model is compiled for shapes {list(shapes)}"
            )
        b = leading.pop()
        if b >= 1 and (best is None or b > best[0]):
            best = (b, tuple(tuple(s[1:]) for s in shapes))
    if best is None:
        raise UsageError(
            "the model is not compiled for any batch shape: compile it with static input "
            "shapes (mlopt.compile(..., input_shapes={...})) or use mlopt.ray.prepare"
        )
    return best


def _batch_shapes(model: CompiledModel, batch: int) -> dict[str, list[int]]:
    shapes: dict[str, list[int]] = {}
    for spec in model.inputs:
        if spec.shape is None or not spec.shape or None in spec.shape[1:]:
            raise UsageError(
                f"input '{spec.name}' has shape {spec.describe_shape()}: only the leading "
                "(batch) dimension may be symbolic here; compile the model with "
                "input_shapes={...} first"
            )
        shapes[spec.name] = [batch if spec.shape[0] is None else spec.shape[0], *spec.shape[1:]]
    return shapes


def _manifest_threads(path: Path) -> int | None:
    import json

    try:
        manifest = json.loads((path / "manifest.json").read_text())
        return int(manifest["options"]["num_threads"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # mlopt.load reports what is wrong with the package


def _threads_for(num_cpus: float) -> int:
    if not num_cpus or num_cpus <= 0:
        raise UsageError(f"num_cpus_per_actor must be positive, not {num_cpus!r}")
    return max(1, int(num_cpus))


def prepare(
    model: Any,
    *,
    num_threads: int,
    model_batch_size: int | None = None,
    **compile_options: Any,
) -> CompiledModel | Path:
    """The artefact to ship to actors that each have ``num_threads`` CPUs,
    made on the driver (the only place mlopt.ray compiles):

    * an ONNX model (a ``.onnx`` path, bytes, an ``onnx.ModelProto``): compiled
      with ``num_threads``; a symbolic batch dimension is fixed to
      ``model_batch_size`` rows (default 32);
    * a :class:`CompiledModel`: returned as it is when compiled for
      ``num_threads`` threads and some batch shape; else compiled again from the
      model it keeps, with the same options (a model loaded from a static
      package keeps none: it is returned as it is, with a warning);
    * a package directory: its path when its ``num_threads`` matches (actors
      load it themselves; every node must see the path), else loaded and
      handled as a CompiledModel.

    ``compile_options`` are :func:`mlopt.compile`'s (``opt_level``, ``target_cpu``...).
    """
    import mlopt

    CompiledModel = _compiled_model_class()
    batch = model_batch_size or DEFAULT_MODEL_BATCH
    if isinstance(model, str | os.PathLike) and Path(model).is_dir():
        path = Path(model)
        if _manifest_threads(path) == num_threads:
            return path
        model = mlopt.load(path)
    if isinstance(model, bytes | bytearray) and bytes(model[:1]) == b"\x80":
        model = load_artifact(model)  # a pickle, not serialized ONNX
    if isinstance(model, CompiledModel):
        if model.num_threads == num_threads and model.num_variants:
            _signature(model)  # refuse what the Predictor cannot run, here
            return model
        try:
            source = model._model_source()
        except Exception:
            if not model.num_variants:
                raise UsageError(
                    "the model is not compiled for any shape and has no source to compile from"
                ) from None
            warnings.warn(
                f"mlopt.ray: the model is compiled for {model.num_threads} thread(s) and has no "
                f"source to compile again for {num_threads} (loaded from {model.loaded_from}); "
                f"each actor runs it with {model.num_threads} thread(s)",
                RuntimeWarning,
                stacklevel=2,
            )
            _signature(model)
            return model
        options = {**model.options(), **compile_options, "num_threads": num_threads}
        if "input_shapes" not in options:
            if model.num_variants:
                b, rows = _signature(model)
                options["input_shapes"] = {
                    s.name: [b, *row] for s, row in zip(model.inputs, rows)
                }
            else:
                options["input_shapes"] = _batch_shapes(model, batch)
        compiled = mlopt.compile(source, **options)
    else:
        options = {**compile_options, "num_threads": num_threads}
        compiled = mlopt.compile(model, **options)
        if not compiled.num_variants and "input_shapes" not in compile_options:
            if compiled.value_input_indices:
                _signature(compiled)  # the UsageError about value-specialised inputs
            options["input_shapes"] = _batch_shapes(compiled, batch)
            compiled = mlopt.compile(model, **options)
    _signature(compiled)
    return compiled


# -- the actor -------------------------------------------------------------------


def _assigned_cpus() -> float | None:
    """The CPUs Ray assigned to this actor (None outside a Ray worker)."""
    try:
        import ray
    except ImportError:
        return None
    if not ray.is_initialized():
        return None
    try:
        return ray.get_runtime_context().get_assigned_resources().get("CPU")
    except Exception:  # pragma: no cover - the driver, or an older Ray
        return None


class Predictor:
    """Runs a compiled model over Ray Data batches (``batch_format="numpy"``).

    ::

        ds.map_batches(mlopt.ray.Predictor,
                       fn_constructor_kwargs={"artifact": ray.put(model)},
                       concurrency=2, num_cpus=1, batch_size=1024, batch_format="numpy")

    ``artifact``: see :func:`load_artifact`; it is loaded once, here, in each
    actor. ``input_columns``: ``{model input: dataset column}`` for inputs whose
    column has another name; ``output_columns``: ``{model output: column}``;
    ``keep_columns``: the batch's columns passed through to the result
    (default: every column that is not read as a model input); ``cast``:
    convert columns to the inputs' dtypes instead of refusing them.
    """

    def __init__(
        self,
        artifact: Any,
        *,
        input_columns: Mapping[str, str] | None = None,
        output_columns: Mapping[str, str] | None = None,
        keep_columns: Sequence[str] | None = None,
        cast: bool = False,
    ) -> None:
        self.model = load_artifact(artifact)
        model = self.model
        self.batch_size, self._rows = _signature(model)
        input_columns = dict(input_columns or {})
        output_columns = dict(output_columns or {})
        for kind, mapping, names in (
            ("input_columns", input_columns, model.input_names),
            ("output_columns", output_columns, model.output_names),
        ):
            unknown = sorted(set(mapping) - set(names))
            if unknown:
                raise UsageError(
                    f"{kind} names {', '.join(repr(u) for u in unknown)}, which the model does not "
                    f"have; its {kind.split('_')[0]}s are: {', '.join(names)}"
                )
        self.input_columns = {n: input_columns.get(n, n) for n in model.input_names}
        self.output_columns = {n: output_columns.get(n, n) for n in model.output_names}
        self.keep_columns = None if keep_columns is None else list(keep_columns)
        self.cast = cast
        #: the CPUs Ray gave this actor (None outside Ray)
        self.num_cpus = _assigned_cpus()
        if self.num_cpus is not None and _threads_for(self.num_cpus) != model.num_threads:
            warnings.warn(
                f"mlopt.ray: this actor has {self.num_cpus:g} CPU(s) but its model was compiled "
                f"for {model.num_threads} thread(s); prepare the model with "
                f"num_threads={_threads_for(self.num_cpus)} (mlopt.ray.prepare)",
                RuntimeWarning,
                stacklevel=2,
            )
        #: batches, rows and model calls so far, and the rows of padding computed
        self.stats = {"batches": 0, "rows": 0, "calls": 0, "padded_rows": 0}

    def _input(self, batch: Mapping[str, Any], index: int) -> np.ndarray:
        spec = self.model.inputs[index]
        column = self.input_columns[spec.name]
        if column not in batch:
            raise InputError(
                f"model input '{spec.name}' reads the dataset column '{column}', which the batch "
                f"does not have (its columns: {', '.join(batch) or 'none'}); "
                f"pass input_columns={{'{spec.name}': '<column>'}}"
            )
        a = batch[column]
        if not isinstance(a, np.ndarray):
            a = np.asarray(a)
        row = self._rows[index]
        where = f"dataset column '{column}' (model input '{spec.name}')"
        if a.dtype == object:
            raise InputError(
                f"{where}: the rows are Python objects (ragged or mixed rows?); the model takes "
                f"{spec.dtype} rows of shape {row}"
            )
        if a.dtype != spec.dtype:
            if not self.cast:
                raise InputError(
                    f"{where}: dtype {a.dtype}, but the model takes {spec.dtype} "
                    "(cast the column, or pass cast=True)"
                )
            a = a.astype(spec.dtype)
        if a.ndim == 0 or tuple(a.shape[1:]) != row:
            got = "a scalar" if a.ndim == 0 else f"rows of shape {tuple(a.shape[1:])}"
            raise InputError(
                f"{where}: {got}, but the model takes rows of shape {row} "
                f"(compiled for {(self.batch_size, *row)})"
            )
        return a

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, np.ndarray]:
        model, b = self.model, self.batch_size
        arrays = [self._input(batch, i) for i in range(len(model.inputs))]
        n = len(arrays[0]) if arrays else 0
        for a, spec in zip(arrays, model.inputs):
            if len(a) != n:
                raise InputError(
                    f"dataset column '{self.input_columns[spec.name]}' has {len(a)} rows, "
                    f"the batch {n}"
                )
        keep = self.keep_columns
        if keep is None:
            used = set(self.input_columns.values())
            keep = [c for c in batch if c not in used]
        result: dict[str, np.ndarray] = {}
        for c in keep:
            if c not in batch:
                raise InputError(f"keep_columns names '{c}', which the batch does not have")
            result[c] = batch[c]
        clash = sorted(set(result) & set(self.output_columns.values()))
        if clash:
            raise UsageError(
                f"the output column(s) {', '.join(clash)} would replace kept dataset columns; "
                "rename them with output_columns={...} or choose keep_columns"
            )
        outputs: list[np.ndarray | None] = [None] * len(model.output_names)
        for start in range(0, max(n, 1), b):
            k = min(b, n - start)
            chunk = [a[start : start + k] for a in arrays]
            if k < b:  # the last rows: pad to the compiled batch, drop the padding's outputs
                padded = []
                for a, spec, row in zip(chunk, model.inputs, self._rows):
                    p = np.zeros((b, *row), dtype=spec.dtype)
                    p[:k] = a
                    padded.append(p)
                chunk = padded
                self.stats["padded_rows"] += b - k
            res = model(*chunk)
            self.stats["calls"] += 1
            for j, r in enumerate(res):
                if r.ndim == 0 or r.shape[0] != b:
                    raise UsageError(
                        f"output '{model.output_names[j]}' has shape {r.shape}: mlopt.ray needs "
                        f"every output batched along its first dimension ({b} rows)"
                    )
                out = outputs[j]
                if out is None:
                    out = outputs[j] = np.empty((n, *r.shape[1:]), dtype=r.dtype)
                out[start : start + k] = r[:k]
        for name, out in zip(model.output_names, outputs):
            result[self.output_columns[name]] = out  # type: ignore[assignment]
        self.stats["batches"] += 1
        self.stats["rows"] += n
        return result


# -- the helper ------------------------------------------------------------------


def _check_columns(dataset: Any, model: CompiledModel, input_columns: Mapping[str, str] | None) -> None:
    """A missing input column, on the driver, when the dataset's schema is known
    without running anything (the actors check everything else, per batch)."""
    try:
        schema = dataset.schema(fetch_if_missing=False)
        names = list(schema.names) if schema is not None else None
    except Exception:  # not a Dataset we know, or an older Ray: the actors will say
        return
    if not names:
        return
    columns = dict(input_columns or {})
    for spec in model.inputs:
        column = columns.get(spec.name, spec.name)
        if column not in names:
            raise InputError(
                f"model input '{spec.name}' reads the dataset column '{column}', which the dataset "
                f"does not have (its columns: {', '.join(names)}); "
                f"pass input_columns={{'{spec.name}': '<column>'}}"
            )


def map_batches(
    dataset: Any,
    model: Any,
    *,
    concurrency: int = 2,
    num_cpus_per_actor: float = 1,
    batch_size: int | None = None,
    model_batch_size: int | None = None,
    input_columns: Mapping[str, str] | None = None,
    output_columns: Mapping[str, str] | None = None,
    keep_columns: Sequence[str] | None = None,
    cast: bool = False,
    compile_options: Mapping[str, Any] | None = None,
    predictor: type[Predictor] = Predictor,
    **map_batches_args: Any,
) -> Any:
    """``dataset`` with the model's outputs as columns, computed by
    ``concurrency`` actors of ``num_cpus_per_actor`` CPUs each (a lazy
    ``ray.data.Dataset``, like every Ray Data transform).

    ``model``: a CompiledModel, a package path or an ONNX model; it is prepared
    on the driver for ``num_cpus_per_actor`` threads (:func:`prepare`, with
    ``model_batch_size`` and ``compile_options``) and put in the object store
    once. ``batch_size``: rows per Ray batch (default: the multiple of the
    model's batch nearest 1024). The column options are :class:`Predictor`'s;
    ``predictor``: the class the actors run (a subclass of Predictor adding
    pre- or post-processing); other keyword arguments go to
    ``Dataset.map_batches``."""
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
        raise UsageError(f"concurrency (how many actors) must be a positive integer, not {concurrency!r}")
    threads = _threads_for(num_cpus_per_actor)
    ray = _ray()
    artifact = prepare(
        model, num_threads=threads, model_batch_size=model_batch_size, **dict(compile_options or {})
    )
    if isinstance(artifact, Path):  # actors load it from the path
        import mlopt

        here = mlopt.load(artifact, verify=False)  # for its batch size and inputs
        shipped: Any = str(artifact)
    else:  # in the object store once: its pickle is the artefact's bytes
        here = artifact
        shipped = ray.put(artifact)
    rows = _signature(here)[0]
    if batch_size is None:
        batch_size = rows * max(1, round(DEFAULT_RAY_BATCH / rows))
    _check_columns(dataset, here, input_columns)
    return dataset.map_batches(
        predictor,
        fn_constructor_kwargs={
            "artifact": shipped,
            "input_columns": input_columns,
            "output_columns": output_columns,
            "keep_columns": keep_columns,
            "cast": cast,
        },
        compute=ray.data.ActorPoolStrategy(size=concurrency),
        num_cpus=num_cpus_per_actor,
        batch_size=batch_size,
        batch_format="numpy",
        **map_batches_args,
    )

