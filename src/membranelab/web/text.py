"""Every sentence the web pages and JSON replies show comes from the message catalog.

Templates mark their text with catalog keys, ``{{ _("web.tries_left", left=2) }}`` (Jinja's i18n
extension, new-style: named parameters, never concatenated); Python code calls :func:`translate`
with the same keys.  Both end in :func:`membranelab.messages.render_message`, so the ``web.*``
entries of ``messages/locale/<lang>/LC_MESSAGES/membranelab.po`` translate the browser too.
"""

from __future__ import annotations

from typing import Any

from membranelab.messages import render_message, resolve_lang

__all__ = ["request_lang", "translate"]


def translate(key: str, lang: str | None = None, **params: Any) -> str:
    """The catalog's text of ``key`` in ``lang`` (the catalog's choice when None), ``%(name)s``
    filled from ``params``; never raises."""
    return render_message(key, params, lang=resolve_lang(lang))


def request_lang(explicit: str | None) -> str:
    """The language of the pages: ``explicit`` (``--lang``), else ``$MEMBRANELAB_LANG``, the
    locale, else English."""
    return resolve_lang(explicit)
