"""The one error the command line turns into a one-line message and exit code 2."""

from __future__ import annotations

from typing import Any

__all__ = ["EXIT_INTERNAL", "EXIT_USAGE", "CliError"]

#: Exit code for every user error: unknown id, unreadable or malformed file, bad option.
EXIT_USAGE = 2

#: Exit code for an internal failure (a bug), logged as an incident (BSD's EX_SOFTWARE).
EXIT_INTERNAL = 70


class CliError(Exception):
    """A user-facing error, printed on one line.

    ``CliError("cli.unknown_problem", id=...)``: a message catalog key and its named parameters,
    rendered in the user's language by :meth:`text` (``str(error)`` is the English sentence);
    ``CliError(sentence)``: a sentence already rendered (in the language of whoever made it)."""

    def __init__(self, message: str, /, **params: Any) -> None:
        from membranelab.messages import gettext, has_message

        self.key = message if has_message(message) else ""
        self.params = params
        english = gettext(self.key, "en", **params) if self.key else str(message)
        super().__init__(" ".join(english.split()))

    def text(self, lang: str | None = "en") -> str:
        """The message in ``lang``, on one line."""
        from membranelab.messages import gettext

        if not self.key:
            return str(self)
        return " ".join(gettext(self.key, lang or "en", **self.params).split())
