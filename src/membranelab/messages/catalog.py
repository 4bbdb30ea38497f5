"""Catalogs: one gettext ``.po`` file per language, read at run time (:mod:`.pofile`).

Message ids are stable keys (``value.incorrect``, ``mistake.log10``, ``practice.prompt``), not
English sentences: a grading result carries its key (its ``note`` or a finer message id) and
named parameters, and the English text lives in ``locale/en`` like every other language.  A key
missing from a language falls back to English (logged once per key and language, and listed by
:func:`missing_translations`); a key missing everywhere is its own text, so
``gettext("Some text %(n)s", n=2)`` also works for text nobody has catalogued yet.

Why ``.po`` and not compiled ``.mo``: the catalogs are small (a few hundred messages), parsing
one takes milliseconds once per process (cached), and there is then no compiled file that can
silently disagree with its source, nor a build step for contributors or CI.

Parameter values may themselves be messages: a mapping ``{"msg": KEY, **params}`` is rendered
first (in the same language), so a sentence built from parts ("the Nernst equation" inside a
mistake's message) is translated part by part, never concatenated.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .pofile import PoError, read_po_messages

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "catalog",
    "has_message",
    "missing_translations",
    "normalize_lang",
    "placeholders",
    "render_message",
    "template",
]

log = logging.getLogger(__name__)

#: The gettext domain (file name of every catalog).
DOMAIN = "membranelab"
#: Language codes we ship, mapped to their catalog directory under ``locale/``.
LANGUAGES: Mapping[str, str] = {"en": "en", "zh": "zh_Hans"}

_PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sdrifg]")
_fallbacks_logged: set[tuple[str, str]] = set()
_lock = threading.Lock()


def normalize_lang(lang: str | None) -> str:
    """A language tag (``zh``, ``zh_Hans``, ``zh-CN``, ``en_US.UTF-8``...) as one of
    :data:`LANGUAGES`; anything unknown is English."""
    if lang == "en" or lang == "zh":  # already one of them: nearly every call
        return lang
    tag = (lang or "").strip().lower().replace("-", "_")
    if tag.startswith("zh"):
        return "zh"
    return "en"


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """The messages of a language (key -> text with named ``%(param)s`` placeholders);
    untranslated entries (empty msgstr) are left out.  Cached; a damaged file is logged and
    read as empty, so that language falls back to English."""
    folder = LANGUAGES[normalize_lang(lang)]
    path = resources.files(__package__) / "locale" / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        parsed = read_po_messages(path.read_bytes())
    except (OSError, ValueError, PoError):  # a damaged file: English instead, never a stop
        log.exception("message catalog %s cannot be read; using English", path)
        return {}
    return {key: text for key, text in parsed.items() if text}


def has_message(key: str, lang: str = "en") -> bool:
    """True when ``key`` has a text in ``lang`` (or in English)."""
    return key in catalog(lang) or key in catalog("en")


def missing_translations(lang: str) -> list[str]:
    """Keys of the English catalog with no text in ``lang`` (sorted)."""
    own = catalog(lang)
    return sorted(key for key in catalog("en") if key not in own)


@lru_cache(maxsize=4096)
def placeholders(text: str) -> frozenset[str]:
    """The named parameters a message text uses (kept for the catalog's texts)."""
    return frozenset(_PLACEHOLDER_RE.findall(text))


def template(key: str, lang: str = "en") -> str:
    """The raw text of ``key`` in ``lang`` (English when untranslated, logged once; the key
    itself when no catalog has it)."""
    code = normalize_lang(lang)
    text = catalog(code).get(key)
    if text is not None:
        return text
    english = catalog("en").get(key)
    if code != "en" and english is not None:
        with _lock:
            first = (code, key) not in _fallbacks_logged
            _fallbacks_logged.add((code, key))
        if first:
            log.info("message %r has no %s translation; showing English", key, code)
    return english if english is not None else key


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, Mapping) and "msg" in value:
        inner = {k: v for k, v in value.items() if k != "msg"}
        return render_message(str(value["msg"]), inner, lang=lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_value(item, lang)) for item in value)
    return value


def render_message(key: str, params: Mapping[str, Any] | None = None, *, lang: str = "en"
                   ) -> str:
    """The text of ``key`` in ``lang`` with its named parameters filled in; never raises.

    A parameter the text needs but ``params`` lacks is logged and shown as ``?``.
    """
    text = template(key, lang)
    values = {name: _value(value, lang) for name, value in (params or {}).items()}
    needed = placeholders(text)
    if not needed:
        return text.replace("%%", "%") if "%%" in text else text
    missing = needed - set(values)
    if missing:
        log.error("message %r rendered without parameters %s", key, sorted(missing))
        values.update({name: "?" for name in missing})
    try:
        return text % values
    except (TypeError, ValueError, KeyError):
        log.exception("message %r cannot be formatted with %r", key, sorted(values))
        return text
