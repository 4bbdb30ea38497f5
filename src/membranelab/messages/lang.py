"""Which language a person reads: explicit choice, then environment, then locale."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .catalog import normalize_lang

__all__ = ["LANG_ENV", "resolve_lang"]

#: Environment variable naming the interface language (``en`` or ``zh``).
LANG_ENV = "MEMBRANELAB_LANG"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def resolve_lang(explicit: str | None = None, *, environ: Mapping[str, str] | None = None
                 ) -> str:
    """``explicit`` (e.g. ``--lang``) if given, else ``$MEMBRANELAB_LANG``, else the first set
    of ``LC_ALL``/``LC_MESSAGES``/``LANG`` (``zh...`` -> ``"zh"``), else ``"en"``."""
    if explicit and explicit.strip():
        return normalize_lang(explicit)
    env = os.environ if environ is None else environ
    chosen = env.get(LANG_ENV, "").strip()
    if chosen:
        return normalize_lang(chosen)
    for variable in _LOCALE_VARIABLES:
        value = env.get(variable, "").strip()
        if value and value not in ("C", "POSIX"):
            return normalize_lang(value)
    return "en"
