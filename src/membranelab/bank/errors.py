"""The bank's one error type: a malformed problem or solution file, naming file and field."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BankError"]


class BankError(ValueError):
    """A problem-bank file is malformed.

    ``file`` is the file's path (or name), ``field`` the front-matter field or section at fault
    (dotted, e.g. ``parts[0].unit``), ``message`` what was found and what was expected.
    """

    def __init__(self, file: str | Path, field: str, message: str) -> None:
        self.file = str(file)
        self.field = field
        self.message = message
        super().__init__(f"{Path(self.file).name}: {field}: {message}")
