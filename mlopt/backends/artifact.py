"""Saved artefacts: a compiled model as files that load without compiling.

A *package* is a directory (conventionally ``model.mlopt/``)::

    manifest.json        what is inside (below), with a SHA-256 per file
    v0/part0.o ...       the machine code of variant 0: the relocatable,
                         position-independent objects the JIT linked
    v0/weights.bin       its weights, each at a 64-byte aligned offset
                         (memory-mapped when loaded)
    v0/model.so, .h      the same objects linked into a shared library, and
                         its C header (only when a C compiler was found)
    model.onnx | .mlir   the model itself, only when calls with other shapes
                         or values may need new variants compiled

A *variant* is one compiled shape signature (and, for models with
value-specialised inputs, one set of values): a static model has one.

The manifest (``format: "mlopt-package"``, ``format_version``) names the
inputs (name, dtype, shape with a symbolic dimension as its ONNX name, or
``null`` when it has none) and outputs, the compile options, mlopt's, xDSL's
and LLVM's versions and mlopt's build id (:func:`build_id`), the target
(triple, CPU, the CPU features the code may use), the model's content hash
and the build key (:func:`build_key`: model, options and target), and per
variant its entry symbol, argument count, error-status convention,
index-check table, output shapes and dtypes, the functions it needs from the
process (libc, the thread pool) and where each weight lies in the blob. Its
last field, ``manifest_sha256``, is the SHA-256 of the rest
(:func:`manifest_digest`).

:func:`save` / :func:`load` write and read packages; ``pickle`` of a
:class:`~mlopt.backends.runtime.CompiledModel` carries the same files as
bytes (:func:`to_payload` / :func:`from_payload`), so unpickling in a fresh
process links the machine code and compiles nothing. The compile cache
(:mod:`mlopt.backends.cache`) stores one-variant packages.

Loading checks, in order: the manifest parses, is of a known format version
and matches its own ``manifest_sha256`` (the output shapes it records size
the buffers the code writes into: an edited shape must not reach a call);
every file is there with its recorded size and hash (``verify``); the
machine is the package's architecture and has every CPU feature the code may
use. Any failure is an :class:`ArtifactError` naming the package and the
problem; nothing is recompiled behind the caller's back. The hashes detect
corruption and edits, not forgery: a package is machine code, to be loaded
only from a source one trusts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlopt.backends.llvm.abi import write_weight_blob
from mlopt.errors import ArtifactError

if TYPE_CHECKING:
    from mlopt.backends.runtime import CompiledModel, _Specialization

FORMAT = "mlopt-package"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
#: the manifest's field holding the SHA-256 of the rest of it (:func:`manifest_digest`)
MANIFEST_HASH = "manifest_sha256"

__all__ = ["save", "load", "build_id", "to_payload", "from_payload", "FORMAT_VERSION"]


# -- identity of the compiler and the machine ----------------------------------


@lru_cache(maxsize=1)
def build_id() -> str:
    """A hash of mlopt's own source files (and its version): two checkouts that
    differ in any line of the compiler never share a cache entry."""
    import mlopt

    root = Path(mlopt.__file__).parent
    h = hashlib.sha256(mlopt.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def versions() -> dict[str, str]:
    import llvmlite
    import llvmlite.binding as llvm
    import xdsl

    import mlopt

    llvm_version = ".".join(str(v) for v in llvm.llvm_version_info)
    return {
        "mlopt": mlopt.__version__,
        "xdsl": str(getattr(xdsl, "__version__", "unknown")),
        "llvmlite": llvmlite.__version__,
        "llvm": llvm_version,
    }


def target_info(target_cpu: str | None) -> dict[str, Any]:
    """The triple, CPU name and the CPU features code compiled for ``target_cpu`` requires."""
    import llvmlite.binding as llvm

    from mlopt.backends.llvm import _cpu_and_features
    from mlopt.backends.llvm.target import cpu_features

    cpu, features = _cpu_and_features(target_cpu)
    triple = llvm.get_default_triple()
    if features:  # the host (-mcpu=host): every feature LLVM was told it may use
        required = sorted(_enabled(features))
    elif triple.startswith("x86_64"):  # a named CPU: what its x86-64 level implies
        required = list(cpu_features(cpu))
    else:
        required = []
    return {
        "triple": triple,
        "arch": platform.machine(),
        "cpu": cpu,
        "features": required,
    }


def _enabled(features: str) -> set[str]:
    """The names a ``+a,-b,+c`` feature string turns on."""
    return {f[1:] for f in features.split(",") if f.startswith("+")}


def host_features() -> set[str]:
    from mlopt.backends.llvm import _cpu_and_features

    return _enabled(_cpu_and_features(None)[1])


def check_target(manifest: dict[str, Any], where: str) -> None:
    """Refuse a package this machine cannot run (other architecture, missing features)."""
    target = manifest.get("target", {})
    arch = target.get("arch")
    if arch and arch != platform.machine():
        raise ArtifactError(
            f"{where}: compiled for {target.get('triple', arch)}, but this machine is "
            f"{platform.machine()}; compile the model again here"
        )
    missing = sorted(set(target.get("features", [])) - host_features())
    if missing:
        raise ArtifactError(
            f"{where}: compiled for CPU '{target.get('cpu')}', whose features "
            f"{', '.join(missing)} this CPU lacks; compile the model again here "
            "(or compile it with target_cpu= a CPU both machines implement)"
        )


# -- writing ---------------------------------------------------------------------


def _dtype_name(dtype: np.dtype) -> str:
    return dtype.name if dtype.name == "bfloat16" else dtype.str


def _dtype(name: str | None) -> np.dtype | None:
    if name is None:
        return None
    if name == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(name)


def _spec_json(spec: Any) -> dict[str, Any]:
    """Name, dtype and shape: a symbolic dimension is its ONNX name (``"N"``),
    or ``null`` when it has none."""
    if spec.shape is None:
        shape = None
    else:
        names = getattr(spec, "dim_names", None) or (None,) * len(spec.shape)
        shape = [n if d is None else d for d, n in zip(spec.shape, names)]
    return {"name": spec.name, "dtype": _dtype_name(spec.dtype), "shape": shape}


def _spec_shape(shape: list[Any] | None) -> tuple[Any, Any]:
    """A manifest shape as (shape with None for a symbolic dimension, the
    dimensions' names or None when none has one)."""
    if shape is None:
        return None, None
    dims = tuple(d if isinstance(d, int) else None for d in shape)
    names = tuple(d if isinstance(d, str) else None for d in shape)
    return dims, names if any(names) else None


def manifest_digest(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest without its ``manifest_sha256`` field, as canonical
    JSON (sorted keys, no whitespace): what that field records."""
    body = {k: v for k, v in manifest.items() if k != MANIFEST_HASH}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _sealed(manifest: dict[str, Any]) -> dict[str, Any]:
    return dict(manifest, **{MANIFEST_HASH: manifest_digest(manifest)})


def build_key(model_hash: str, level: str, options: dict[str, Any], target: dict[str, Any]) -> str:
    """SHA-256 of what decides the code: the model's hash and level, the compile
    options and the target (not mlopt's build id or versions, recorded apart)."""
    parts = {"model_hash": model_hash, "level": level, "options": options, "target": target}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _variant_record(
    index: int, key: Any, spec: _Specialization, value_inputs: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest entry of one variant and its files (name -> bytes or weights dict)."""
    from mlopt.backends.llvm.abi import weight_offsets

    jit = spec.jit
    shapes, values = key if value_inputs else (key, ())
    prefix = f"v{index}/"
    files: dict[str, Any] = {}
    objects = []
    for j, obj in enumerate(jit.objects):
        files[prefix + f"part{j}.o"] = obj
        objects.append(prefix + f"part{j}.o")
    files[prefix + "weights.bin"] = jit.weights
    offsets = weight_offsets(jit.weights)
    record = {
        "shapes": [list(s) for s in shapes],
        "values": [None if v is None else v.hex() for v in values],
        "entry": jit.entry,
        "num_args": jit.entry_num_args,
        "status": jit.entry_status,
        "index_checks": [list(c) for c in (spec.checks or [])] if spec.checks is not None else None,
        "outputs": [
            {"shape": list(s), "dtype": _dtype_name(d)} for s, d in zip(spec.out_shapes, spec.out_dtypes)
        ],
        "declared": list(jit.declared),
        "objects": objects,
        "weights": {
            "file": prefix + "weights.bin",
            "tensors": [
                {"name": n, "offset": offsets[n], "dtype": _dtype_name(a.dtype), "shape": list(a.shape)}
                for n, a in jit.weights.items()
            ],
        },
        "compile_seconds": round(sum(spec.stage_times.values()), 3),
        # profile=True: the nodes of each timed group (mlopt.backends.profiling)
        "profile_table": spec.profile_table,
    }
    return record, files


def _model_source(compiled: CompiledModel) -> tuple[str, bytes] | None:
    source = compiled._source
    if source is None and compiled._source_loader is not None:
        source = compiled._model_source()  # a loaded model's source, read now
    if source is None:
        return None
    if compiled._level == "onnx-model":
        return "model.onnx", source.SerializeToString()
    from mlopt import print_ir

    return "model.mlir", print_ir(source).encode()


def manifest_and_files(
    compiled: CompiledModel,
    *,
    include_source: bool | None = None,
    variants: Iterable[tuple[Any, _Specialization]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest (without file hashes) and the files of ``compiled``'s package.

    ``include_source``: store the model (default: only when a call could need a
    variant not compiled yet: symbolic dimensions or value-specialised inputs)."""
    with compiled._lru_lock:
        chosen = list(variants) if variants is not None else list(compiled._cache.items())
    if include_source is None:
        include_source = not compiled.is_static or bool(compiled.value_input_indices)
    if not chosen and not include_source:
        raise ArtifactError(
            "the model has not been compiled for any shape yet and the package would not "
            "carry its source: call it once, or compile it with input_shapes=..., or save "
            "with include_source=True"
        )
    files: dict[str, Any] = {}
    records = []
    for i, (key, spec) in enumerate(chosen):
        record, vfiles = _variant_record(i, key, spec, bool(compiled.value_input_indices))
        records.append(record)
        files.update(vfiles)
    source_file = None
    if include_source:
        src = _model_source(compiled)
        if src is not None:
            source_file, data = src
            files[source_file] = data
    target, model_hash = target_info(compiled.target_cpu), compiled.content_hash()
    options = compiled.options()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "versions": versions(),
        "build_id": build_id(),
        "target": target,
        "model_hash": model_hash,
        "build_key": build_key(model_hash, compiled._level, options, target),
        "level": compiled._level,
        "options": options,
        "inputs": [_spec_json(s) for s in compiled.inputs],
        "outputs": [
            {"name": n, "dtype": None if d is None else _dtype_name(d)}
            for n, d in zip(compiled.output_names, compiled._output_dtypes)
        ],
        "value_inputs": list(compiled.value_input_indices),
        "variants": records,
        "source": source_file,
        "shared_library": None,
    }
    return manifest, files


def _file_bytes(value: Any) -> bytes:
    if isinstance(value, dict):  # a weights dict
        buf = io.BytesIO()
        write_weight_blob(buf, value)
        return buf.getvalue()
    return bytes(value)


def _sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class _HashingFile:
    """A binary file that hashes and counts what is written to it."""

    def __init__(self, f: Any):
        self._f, self.size, self.sha256 = f, 0, hashlib.sha256()

    def write(self, data: Any) -> None:
        self._f.write(data)
        self.sha256.update(data)
        self.size += memoryview(data).nbytes


def write_directory(
    path: Path, manifest: dict[str, Any], files: dict[str, Any], written: Iterable[str] = ()
) -> None:
    """Write the files (hashing them as they are written), then the manifest
    with each file's size and SHA-256; ``written``: files already in ``path``
    (hashed from disk)."""
    path.mkdir(parents=True, exist_ok=True)
    table: dict[str, dict[str, Any]] = {}
    for rel, value in files.items():
        dest = path / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as raw:
            f = _HashingFile(raw)
            if isinstance(value, dict):
                write_weight_blob(f, value)
            else:
                f.write(value)
        table[rel] = {"size": f.size, "sha256": f.sha256.hexdigest()}
    for rel in written:
        table[rel] = {"size": (path / rel).stat().st_size, "sha256": _sha256_file(path / rel)}
    manifest = _sealed(dict(manifest, files=table))
    (path / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")


def _add_shared_library(path: Path, manifest: dict[str, Any], specs: list[_Specialization]) -> None:
    """Link each variant's objects into ``v<i>/model.so`` with a header; record why not if no C compiler."""
    from mlopt.backends.llvm import c_compiler
    from mlopt.backends.llvm.header import package_header

    if c_compiler() is None:
        manifest["shared_library"] = {"skipped": "no C compiler found (set CC, or install cc)"}
        return
    libs = []
    for i, (record, spec) in enumerate(zip(manifest["variants"], specs)):
        so = path / f"v{i}" / "model.so"
        header = path / f"v{i}" / "model.h"
        so.parent.mkdir(parents=True, exist_ok=True)
        try:
            spec.jit.link_shared(so)
        except RuntimeError as exc:
            manifest["shared_library"] = {"skipped": str(exc)}
            return
        header.write_text(package_header(manifest, record))
        libs.append({"library": f"v{i}/model.so", "header": f"v{i}/model.h"})
    manifest["shared_library"] = libs


def save(compiled: CompiledModel, path: str | os.PathLike[str], *, shared_library: bool = True,
         include_source: bool | None = None) -> Path:
    """Write ``compiled`` as a package directory at ``path`` (replaced if it is one).

    ``shared_library``: also link each variant into ``v<i>/model.so`` with a C
    header (``docs/c-api.md``), when a C compiler is found (the manifest says
    why not otherwise). Returns the path."""
    import shutil
    import tempfile

    dest = Path(path)
    if dest.exists() and not (dest / MANIFEST).exists():
        raise ArtifactError(f"{dest}: exists and is not an mlopt package; refusing to replace it")
    with compiled._lru_lock:
        variants = list(compiled._cache.items())
    manifest, files = manifest_and_files(compiled, include_source=include_source, variants=variants)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        linked: list[str] = []
        if shared_library and variants:
            _add_shared_library(tmp, manifest, [spec for _, spec in variants])
            libs = manifest["shared_library"]
            linked = [lib[k] for lib in libs for k in ("library", "header")] if isinstance(libs, list) else []
        write_directory(tmp, manifest, files, written=linked)
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def to_payload(compiled: CompiledModel) -> dict[str, Any]:
    """The package as one picklable dict: ``{"manifest": ..., "files": {name: bytes}}``."""
    manifest, files = manifest_and_files(compiled)
    data = {rel: _file_bytes(v) for rel, v in files.items()}
    manifest["files"] = {
        rel: {"size": len(b), "sha256": hashlib.sha256(b).hexdigest()} for rel, b in data.items()
    }
    return {"manifest": _sealed(manifest), "files": data}


# -- reading ---------------------------------------------------------------------


@dataclass
class _Source:
    """Where a package's files are: a directory or a dict of bytes."""

    where: str
    directory: Path | None = None
    files: dict[str, bytes] | None = None

    def read(self, rel: str) -> bytes:
        if self.files is not None:
            try:
                return self.files[rel]
            except KeyError:
                raise ArtifactError(f"{self.where}: missing file {rel}") from None
        try:
            return (self._path(rel)).read_bytes()
        except OSError as exc:
            raise ArtifactError(f"{self.where}: cannot read {rel}: {exc.strerror or exc}") from None

    def _path(self, rel: str) -> Path:
        assert self.directory is not None
        p = (self.directory / rel).resolve()
        if self.directory.resolve() not in p.parents:
            raise ArtifactError(f"{self.where}: file name {rel!r} leaves the package")
        return p

    def buffer(self, rel: str) -> Any:
        """The file's bytes as a buffer: a copy-on-write memory map for a directory."""
        if self.files is not None:
            return self.read(rel)
        path = self._path(rel)
        if path.stat().st_size == 0:
            return b""
        return np.memmap(path, dtype=np.uint8, mode="c")

    def verify(self, table: dict[str, dict[str, Any]]) -> None:
        for rel, info in table.items():
            if self.files is not None:
                data = self.read(rel)
                size, digest = len(data), hashlib.sha256(data).hexdigest()
            else:
                path = self._path(rel)
                try:
                    size = path.stat().st_size
                except OSError:
                    raise ArtifactError(f"{self.where}: missing file {rel}") from None
                digest = _sha256_file(path) if size == info.get("size") else ""
            if size != info.get("size") or digest != info.get("sha256"):
                raise ArtifactError(
                    f"{self.where}: {rel} is corrupt (its size or SHA-256 differs from the manifest's)"
                )


def read_manifest(source: _Source) -> dict[str, Any]:
    try:
        manifest = json.loads(source.read(MANIFEST))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArtifactError(f"{source.where}: {MANIFEST} is not valid JSON: {exc}") from None
    check_manifest(manifest, source.where)
    return manifest


def check_manifest(manifest: Any, where: str) -> None:
    """Refuse a manifest of another format or version, or one whose content is not
    what its ``manifest_sha256`` says (corrupt, or edited): checked before any of
    it is trusted, since the shapes it gives size the buffers the code writes."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArtifactError(f"{where}: not an mlopt package (no '{FORMAT}' manifest)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(
            f"{where}: package format version {manifest.get('format_version')}, "
            f"this mlopt reads version {FORMAT_VERSION}"
        )
    if manifest.get(MANIFEST_HASH) != manifest_digest(manifest):
        raise ArtifactError(
            f"{where}: {MANIFEST} is corrupt or was edited (its content does not match "
            f"its {MANIFEST_HASH}); save the package again"
        )


def _variant(record: dict[str, Any], source: _Source, manifest: dict[str, Any]) -> tuple[Any, _Specialization]:
    from mlopt.backends.llvm import JITModule
    from mlopt.backends.runtime import _Specialization
    from mlopt.backends.llvm.abi import CheckInfo

    blob = source.buffer(record["weights"]["file"])
    weights: dict[str, np.ndarray] = {}
    for t in record["weights"]["tensors"]:
        dtype = _dtype(t["dtype"])
        assert dtype is not None
        count = int(np.prod(t["shape"], dtype=np.int64))
        weights[t["name"]] = np.frombuffer(blob, dtype=dtype, count=count, offset=t["offset"]).reshape(t["shape"])
    checks = record["index_checks"]
    checks = None if checks is None else [CheckInfo(c[0], c[1], bool(c[2])) for c in checks]
    options = manifest.get("options", {})
    jit = JITModule.from_objects(
        [source.read(rel) for rel in record["objects"]],
        weights,
        entry=record["entry"],
        entry_num_args=record["num_args"],
        entry_status=record["status"],
        index_checks=checks or [],
        declared=record["declared"],
        opt_level=options.get("opt_level", 3),
        target_cpu=options.get("target_cpu"),
    )
    jit._blob = blob  # keep the mapping alive with the code that reads it
    spec = _Specialization(
        jit,
        jit.function(),
        [tuple(o["shape"]) for o in record["outputs"]],
        [_dtype(o["dtype"]) for o in record["outputs"]],  # type: ignore[misc]
        dict(jit.stage_times),
        checks,
        record.get("profile_table"),
    )
    shapes = tuple(tuple(s) for s in record["shapes"])
    values = tuple(None if v is None else bytes.fromhex(v) for v in record["values"])
    key = (shapes, values) if manifest.get("value_inputs") else shapes
    return key, spec


def load_variants(source: _Source, manifest: dict[str, Any]) -> list[tuple[Any, _Specialization]]:
    return [_variant(r, source, manifest) for r in manifest["variants"]]


def _compiled_from(manifest: dict[str, Any], source: _Source) -> CompiledModel:
    from mlopt.backends.runtime import CompiledModel, InputSpec

    options = manifest["options"]
    inputs = [
        InputSpec(i["name"], _dtype(i["dtype"]), *_spec_shape(i["shape"]))  # type: ignore[arg-type]
        for i in manifest["inputs"]
    ]
    compiled = CompiledModel(
        None,
        manifest["level"],
        inputs,
        [o["name"] for o in manifest["outputs"]],
        [_dtype(o["dtype"]) for o in manifest["outputs"]],
        options["opt_level"],
        options["target_cpu"],
    )
    compiled.apply_options(options)
    compiled.value_input_indices = tuple(manifest.get("value_inputs", ()))
    compiled._content_hash = manifest.get("model_hash")
    if manifest.get("source"):
        rel = manifest["source"]
        compiled._source_loader = lambda: _load_source(source.read(rel), rel, manifest["level"])
    for key, spec in load_variants(source, manifest):
        compiled._cache[key] = spec
        if compiled._profiler is not None:
            compiled._profiler.bind(spec.jit, spec.profile_table)
    compiled.stage_times = {"load": sum(s.stage_times.get("link", 0.0) for s in compiled._cache.values())}
    compiled.loaded_from = source.where
    return compiled


def _load_source(data: bytes, rel: str, level: str) -> Any:
    if rel.endswith(".onnx"):
        import onnx

        return onnx.load_from_string(data)
    from mlopt import parse

    return parse(data.decode(), name=rel)


def load(path: str | os.PathLike[str], *, verify: bool = True) -> CompiledModel:
    """Load a package written by :func:`save` (or ``mlopt --emit=package``): its
    machine code is linked into this process, nothing is compiled.

    ``verify``: check every file's SHA-256 against the manifest first (reads
    the weights once). Raises :class:`ArtifactError`."""
    directory = Path(path)
    where = str(directory)
    if not directory.is_dir():
        raise ArtifactError(f"{where}: no such package directory")
    source = _Source(where, directory=directory)
    manifest = read_manifest(source)
    if verify:
        source.verify(manifest.get("files", {}))
    check_target(manifest, where)
    return _compiled_from(manifest, source)


def from_payload(payload: dict[str, Any]) -> CompiledModel:
    """A :class:`CompiledModel` from :func:`to_payload`'s dict (what unpickling calls)."""
    source = _Source("<pickled mlopt model>", files=payload["files"])
    manifest = payload["manifest"]
    check_manifest(manifest, source.where)
    source.verify(manifest.get("files", {}))
    check_target(manifest, source.where)
    return _compiled_from(manifest, source)
