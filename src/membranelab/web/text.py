"""Every sentence the web pages and JSON replies show goes through :func:`translate`.

Templates mark their text with ``{{ _("...") }}`` / ``{{ _("%(n)s tries left", n=3) }}`` (Jinja's
i18n extension, new-style: named parameters, never concatenated); Python code uses
:func:`translate` with the same named parameters.  Both end in the message catalog's gettext
(:mod:`membranelab.messages`), so the same ``.po`` files translate the browser too; Babel extracts
the templates' strings with ``jinja2.ext.babel_extract``.
"""

from __future__ import annotations

import logging
from typing import Any

from membranelab.incident import record_incident

__all__ = ["request_lang", "translate"]

logger = logging.getLogger(__name__)


def _catalog() -> Any:
    try:
        import membranelab.messages as messages
    except ImportError:  # the catalog package is not installed in this tree
        return None
    return messages


def translate(msg: str, lang: str | None = None, **params: Any) -> str:
    """``msg`` in ``lang`` (the catalog's language choice when None), ``%(name)s`` filled."""
    messages = _catalog()
    text = msg
    if messages is not None and hasattr(messages, "gettext"):
        try:
            text = messages.gettext(msg, lang=lang)
        except Exception:  # a broken catalog must not take a page down
            record_incident(logger, "message catalog failed on %r", msg)
    return text % params if params else text


def request_lang(explicit: str | None) -> str:
    """The language of the pages: ``explicit``, else the catalog's choice (env, locale), else en."""
    messages = _catalog()
    if messages is not None and hasattr(messages, "resolve_lang"):
        return str(messages.resolve_lang(explicit))
    return explicit or "en"
