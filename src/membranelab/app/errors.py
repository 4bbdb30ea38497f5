"""The one error the command line turns into a one-line message and exit code 2."""

from __future__ import annotations

__all__ = ["EXIT_INTERNAL", "EXIT_USAGE", "CliError"]

#: Exit code for every user error: unknown id, unreadable or malformed file, bad option.
EXIT_USAGE = 2

#: Exit code for an internal failure (a bug), logged as an incident (BSD's EX_SOFTWARE).
EXIT_INTERNAL = 70


class CliError(Exception):
    """A user-facing error: ``str(error)`` is the whole message, printed on one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))
