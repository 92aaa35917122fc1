"""The suite's one list of expected failures: ``test/expected_failures.txt``.

The file holds every expected failure of every suite, grouped under
``[section]`` headers, one ``test_name: reason`` line each (``#`` comments and
blank lines are ignored). ``load(section)`` reads one section;
``write_section(section, entries)`` rewrites one section and keeps the others.
"""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).resolve().with_name("expected_failures.txt")

#: the sections, in file order
SECTIONS = ("onnx-roundtrip", "node-conformance")


def _parse(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """(leading comment lines, section -> its lines as written)."""
    head: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for lineno, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1].strip()
            if name not in SECTIONS:
                raise ValueError(f"{path}:{lineno}: unknown section [{name}]")
            current = sections.setdefault(name, [])
        elif current is None:
            if line and not line.startswith("#"):
                raise ValueError(f"{path}:{lineno}: entry before the first [section]")
            head.append(raw)
        else:
            current.append(raw)
    return head, sections


def load(section: str, path: Path = PATH) -> dict[str, str]:
    """test name -> reason for the expected failures of ``section``."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    if not path.exists():
        return {}
    expected: dict[str, str] = {}
    for line in _parse(path)[1].get(section, []):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, reason = line.partition(":")
        if not sep or not name.strip().startswith("test_") or not reason.strip():
            raise ValueError(f"{path} [{section}]: expected 'test_name: reason', got {line!r}")
        expected[name.strip()] = reason.strip()
    return expected


def write_section(section: str, entries: dict[str, str], comment: str = "", path: Path = PATH) -> None:
    """Replace ``section``'s entries (and its comment lines) and keep the rest."""
    head, sections = _parse(path) if path.exists() else ([], {})
    body = [f"# {c}" if c else "#" for c in comment.splitlines()]
    body += [f"{n}: {entries[n]}" for n in sorted(entries)]
    sections[section] = body + [""]
    out = list(head)
    for name in SECTIONS:
        if name in sections:
            out.append(f"[{name}]")
            out.extend(sections[name])
    path.write_text("\n".join(out).rstrip("\n") + "\n")
