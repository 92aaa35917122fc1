"""`mlopt-run`: compile and run a model (placeholder, being written)."""


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("mlopt-run: not implemented yet")
