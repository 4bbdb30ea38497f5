"""The service's one error type: a refusal that a front end shows as one line in its language.

A :class:`ServiceError` carries a catalog key and named parameters, never a sentence built where
the problem was found; ``str(error)`` is the English sentence (for logs and for callers that have
no language), :meth:`ServiceError.text` the sentence in any catalog language.
"""

from __future__ import annotations

from typing import Any

from membranelab.messages import gettext

__all__ = ["ServiceError"]


class ServiceError(ValueError):
    """A request the service refuses: a reserved student id, a graded assignment without its
    secret, an unknown problem or part."""

    def __init__(self, message_id: str, **params: Any) -> None:
        self.message_id = message_id
        self.params = params
        super().__init__(gettext(message_id, "en", **params))

    def text(self, lang: str | None = "en") -> str:
        """The refusal as one sentence in ``lang``."""
        return gettext(self.message_id, lang or "en", **self.params)
