"""The on-disk compile cache: compiled variants kept across processes.

``mlopt.compile`` (and every shape- or value-specialised compile at a call)
first looks for the variant in the cache; on a miss it compiles and stores
it. An entry is a one-variant package (:mod:`mlopt.backends.artifact`, no
source, no shared library) in ``<root>/<key[:2]>/<key>/``, where the key is
the SHA-256 of: the model's content hash, the compile options (opt level,
fast-math, pipeline, threads, profiling), the target (CPU name and features),
the variant's shapes and specialised values, mlopt's build id (a hash of its
source files, so an edited checkout never reads an older one's entries),
the versions of xDSL and llvmlite, and the plugins loaded.

* Root: ``MLOPT_CACHE_DIR``, else the platform's user cache directory
  (``platformdirs.user_cache_dir("mlopt")``, e.g. ``~/.cache/mlopt``).
* Off with ``cache=False`` (``mlopt.compile``), ``--no-cache`` (the tools) or
  ``MLOPT_CACHE=0``.
* Size: at most ``MLOPT_CACHE_SIZE`` bytes (default 2 GiB; suffixes K, M, G);
  after each store the least recently used entries (by the manifest's mtime,
  touched on every hit) are removed until the rest fit.
* Concurrency: an entry is written in a temporary directory under the root
  and renamed into place (atomic on POSIX); when two processes store the same
  key, the first rename wins and the other discards its copy. A reader that
  finds an entry removed under it treats it as a miss.
* Integrity: the manifest's own hash (``manifest_sha256``), then every
  file's size and SHA-256 against the manifest, are checked at each hit; an
  entry that fails (or whose manifest does not parse, or whose inputs and
  outputs are not the model's) is deleted and compiled again -- never
  trusted blindly.

Failing to write the cache (a read-only or full disk) never fails a compile:
it is reported once per process as a :class:`CacheWarning`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlopt.errors import ArtifactError, MloptError

if TYPE_CHECKING:
    from mlopt.backends.runtime import CompiledModel, _Specialization

DEFAULT_SIZE = 2 << 30

__all__ = ["CacheWarning", "cache_root", "cache_enabled", "lookup", "store", "variant_key", "clear"]


class CacheWarning(UserWarning):
    """The compile cache could not be written (the compile itself succeeded)."""


_WARNED = False


def cache_enabled() -> bool:
    return os.environ.get("MLOPT_CACHE", "1").strip().lower() not in ("0", "off", "false", "no")


def cache_root() -> Path:
    env = os.environ.get("MLOPT_CACHE_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("mlopt"))


def size_limit() -> int:
    text = os.environ.get("MLOPT_CACHE_SIZE", "").strip().upper()
    if not text:
        return DEFAULT_SIZE
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    digits = text[:-1] if text[-1:] in "KMG" else text
    try:
        return int(float(digits) * scale)
    except ValueError:
        raise ValueError(f"MLOPT_CACHE_SIZE must be a size such as 500M or 2G, not {text!r}") from None


def _plugins() -> list[str]:
    """The plugins a compile may use: the installed entry points (name, value,
    package version; read from metadata, so a cache hit imports no plugin),
    plus any loaded explicitly into the default registry (``--load-plugin``,
    ``build_registry(extra_plugins=...)`` made the default)."""
    from mlopt import registry
    from mlopt.plugins import _entry_points

    out = []
    for ep in _entry_points():
        dist = getattr(ep, "dist", None)
        out.append(f"{ep.name}:{ep.value}:{dist.version if dist is not None else ''}")
    if registry._DEFAULT is not None:
        for p in registry._DEFAULT.plugins:
            source = str(getattr(p, "source", ""))
            if not source.startswith("entry point "):
                out.append(f"explicit:{getattr(p, 'name', p)}:{source}")
    return sorted(out)


def _key(parts: dict[str, Any], target_cpu: str | None) -> str:
    from mlopt.backends.artifact import build_id, target_info, versions

    plugins = _plugins()
    parts = dict(
        parts,
        target=target_info(target_cpu),
        build=build_id(),
        versions=versions(),
        plugins=plugins,
    )
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def variant_key(compiled: CompiledModel, shapes: Any, values: Any) -> str:
    """The key of one variant compiled at a call (shapes and values given)."""
    return _key(
        {
            "model": compiled.content_hash(),
            "level": compiled._level,
            "options": compiled.options(),
            "shapes": [list(s) for s in shapes],
            "values": [None if v is None else v.hex() for v in values],
        },
        compiled.target_cpu,
    )


def eager_key(content_hash: str, level: str, options: dict[str, Any]) -> str:
    """The key of what ``compile_model`` compiles at once (a static model), from
    the model's hash and the resolved options (``input_shapes`` included) only:
    a hit needs neither the model parsed nor its shapes known."""
    return _key({"model": content_hash, "level": level, "eager": options}, options.get("target_cpu"))


def model_file_hash(model: Any) -> tuple[str, bytes] | None:
    """SHA-256 and bytes of a model given as a path or serialized bytes, when
    they are the whole model (None when it may have external data files, or is
    not readable here: the caller then hashes the loaded model)."""
    if isinstance(model, bytes | bytearray | memoryview):
        data = bytes(model)
    elif isinstance(model, str | os.PathLike):
        try:
            data = Path(model).read_bytes()
        except OSError:
            return None
    else:
        return None
    if b"location" in data:  # perhaps a tensor stored in an external file
        return None
    return hashlib.sha256(data).hexdigest(), data


def lookup_compiled(key: str, reload: Any) -> CompiledModel | None:
    """A whole :class:`CompiledModel` from the entry ``key`` (see :func:`eager_key`);
    ``reload()`` gives the model's source if it is ever needed again."""
    from mlopt.backends.artifact import _compiled_from

    found = _open(key)
    if found is None:
        return None
    source, manifest = found
    try:
        compiled = _compiled_from(manifest, source)
    except (MloptError, OSError, KeyError, ValueError, TypeError):
        shutil.rmtree(source.directory, ignore_errors=True)  # type: ignore[arg-type]
        return None
    compiled._source_loader = reload
    compiled.loaded_from = None
    compiled.stage_times = {"cache-load": 0.0}
    _touch(key)
    return compiled


def _entry(key: str) -> Path:
    return cache_root() / key[:2] / key


def _open(key: str) -> tuple[Any, dict[str, Any]] | None:
    """The verified entry ``key`` (source, manifest), or None; a corrupt one is deleted."""
    from mlopt.backends.artifact import _Source, check_target, read_manifest

    path = _entry(key)
    if not (path / "manifest.json").exists():
        return None
    try:
        source = _Source(str(path), directory=path)
        manifest = read_manifest(source)
        source.verify(manifest.get("files", {}))
        check_target(manifest, str(path))
        if len(manifest["variants"]) != 1:
            raise ArtifactError(f"{path}: a cache entry holds one variant")
    except (MloptError, OSError, KeyError, ValueError, TypeError):
        shutil.rmtree(path, ignore_errors=True)  # rebuilt by the caller
        return None
    return source, manifest


def _touch(key: str) -> None:
    try:
        os.utime(_entry(key) / "manifest.json")  # most recently used
    except OSError:
        pass


def lookup(compiled: CompiledModel, key: str) -> _Specialization | None:
    """The cached variant for ``key``, or None (a corrupt entry is deleted)."""
    from mlopt.backends.artifact import load_variants

    found = _open(key)
    if found is None:
        return None
    source, manifest = found
    try:
        names = [i["name"] for i in manifest["inputs"]], [o["name"] for o in manifest["outputs"]]
        if names != (compiled.input_names, compiled.output_names):
            raise ArtifactError(f"{source.where}: the entry is not this model's")
        [(_, spec)] = load_variants(source, manifest)
    except (MloptError, OSError, KeyError, ValueError, TypeError):
        shutil.rmtree(source.directory, ignore_errors=True)
        return None
    _touch(key)
    return spec


def store(compiled: CompiledModel, key: str, cache_key: Any, spec: _Specialization) -> None:
    """Write the variant under ``key`` (atomically), then evict down to the size limit."""
    global _WARNED
    from mlopt.backends.artifact import manifest_and_files, write_directory

    root = cache_root()
    final = _entry(key)
    try:
        if final.exists():
            return
        root.mkdir(parents=True, exist_ok=True)
        manifest, files = manifest_and_files(compiled, include_source=False, variants=[(cache_key, spec)])
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        try:
            write_directory(tmp, manifest, files)
            final.parent.mkdir(exist_ok=True)
            try:
                os.rename(tmp, final)
            except OSError:  # another process stored it first
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        evict(size_limit())
    except OSError as exc:
        if not _WARNED:
            _WARNED = True
            warnings.warn(
                f"mlopt: cannot write the compile cache at {root}: {exc}; "
                "set MLOPT_CACHE_DIR, or MLOPT_CACHE=0 to turn it off",
                CacheWarning,
                stacklevel=2,
            )


def entries() -> list[tuple[float, int, Path]]:
    """(last use, size in bytes, path) of every complete entry."""
    out = []
    root = cache_root()
    if not root.is_dir():
        return out
    for shard in root.iterdir():
        if not shard.is_dir() or shard.name.startswith("."):
            continue
        for entry in shard.iterdir():
            try:
                used = (entry / "manifest.json").stat().st_mtime
                size = sum(f.stat().st_size for f in entry.rglob("*") if f.is_file())
            except OSError:
                continue
            out.append((used, size, entry))
    return out


def evict(limit: int) -> None:
    """Remove least recently used entries until the cache holds at most ``limit`` bytes;
    also temporary directories a crashed writer left over an hour ago."""
    root = cache_root()
    now = time.time()
    for tmp in root.glob(".tmp-*"):
        try:
            if now - tmp.stat().st_mtime > 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass
    found = sorted(entries())
    total = sum(size for _, size, _ in found)
    for _, size, path in found:
        if total <= limit:
            break
        shutil.rmtree(path, ignore_errors=True)
        total -= size


def clear() -> None:
    """Remove every entry."""
    root = cache_root()
    if root.is_dir():
        for child in root.iterdir():
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
