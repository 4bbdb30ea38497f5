"""The message catalog: every sentence a person reads, per language, with named parameters.

A leaf package (it imports nothing else from membranelab), so every layer may use it:

* :func:`gettext` ``(key, lang=None, **params)`` for interface text
  (``gettext("practice.tries_left", lang, n=2)``); ``lang=None`` means :func:`resolve_lang`.
* :func:`render_part` ``(result, lang=, level=, show_expected=)``: the one function turning a
  grading result (``message_id`` + ``params``) into text; :func:`render_message`
  ``(key, params, lang=)`` renders one catalog entry.
* :data:`FEEDBACK_LEVELS`: ``full`` (self-study: direction and size of an error), ``named``
  (graded work: the named mistake, unit and format notes, otherwise "not right"; never the
  direction, size or digits of the expected value), ``score`` (right or wrong only).
* :func:`resolve_lang`: explicit choice, ``$MEMBRANELAB_LANG``, locale, else ``"en"``.

Catalogs are ``locale/<lang>/LC_MESSAGES/membranelab.po`` (``en``, ``zh_Hans``), read at run time
(see :mod:`.catalog` for why no ``.mo``).  Keys, not English, are the msgids; the English text is
in ``locale/en``.  Adding or changing messages (commands in ``README.md`` next to this file)::

    # 1. add the key and its English text to locale/en/LC_MESSAGES/membranelab.po
    python -m membranelab.messages pot          # writes locale/membranelab.pot from en
    pybabel update -i src/membranelab/messages/locale/membranelab.pot \\
        -d src/membranelab/messages/locale -D membranelab -l zh_Hans --no-fuzzy-matching
    # 2. translate the new empty msgstr in locale/zh_Hans (English is in the #. comment)
    python -m membranelab.messages check         # placeholders agree; lists untranslated keys
"""

from __future__ import annotations

from typing import Any

from .catalog import (
    DOMAIN,
    LANGUAGES,
    catalog,
    has_message,
    missing_translations,
    normalize_lang,
    placeholders,
    render_message,
    template,
)
from .lang import LANG_ENV, resolve_lang
from .levels import FEEDBACK_LEVELS, FeedbackLevel, check_level
from .oserror import os_reason
from .render import NAMED_KEEPS, message_key, part_text, render_part

__all__ = [
    "DOMAIN",
    "FEEDBACK_LEVELS",
    "FeedbackLevel",
    "LANGUAGES",
    "LANG_ENV",
    "NAMED_KEEPS",
    "catalog",
    "check_level",
    "gettext",
    "has_message",
    "message_key",
    "missing_translations",
    "normalize_lang",
    "os_reason",
    "part_text",
    "placeholders",
    "render_message",
    "render_part",
    "resolve_lang",
    "template",
]

def gettext(key: str, lang: str | None = None, **params: Any) -> str:
    """The text of ``key`` in ``lang`` (default: :func:`resolve_lang`) with ``params`` filled in;
    without ``params``, the text as in the catalog (``%(name)s`` left for the caller, as gettext).

    A key no catalog has is used as the text itself, so an uncatalogued English sentence still
    shows (and ``python -m membranelab.messages check`` does not know it: catalogue it).
    """
    code = resolve_lang(lang)
    if not params:
        return template(key, code)
    return render_message(key, params, lang=code)
