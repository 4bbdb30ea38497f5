"""A font for Chinese text in matplotlib figures, or None (then figures keep English labels).

Figures of a Chinese problem have Chinese captions and axis labels. matplotlib's default font
(DejaVu Sans) has no CJK glyphs and would draw empty boxes ("tofu"), so :func:`cjk_font` looks for
an installed CJK font: Noto Sans CJK (Debian/Ubuntu ``fonts-noto-cjk``), Source Han Sans,
WenQuanYi, the macOS and Windows system fonts. When matplotlib's font cache predates the font's
installation, the cache is rebuilt once. When there is none, the figure is drawn with its English
labels and the fallback is logged: never tofu.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

__all__ = ["CJK_FAMILIES", "cjk_font", "covers"]

log = logging.getLogger(__name__)

#: Families tried in order (simplified Chinese first).
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
                "SimHei", "Noto Sans CJK JP", "Noto Serif CJK SC")
_SAMPLE = "静息膜电位钾钠氯离子"
_lock = threading.Lock()


def covers(path: str, text: str = _SAMPLE) -> bool:
    """True when the font file at ``path`` has a glyph for every character of ``text``."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) for ch in text)


def _find(manager: Any) -> str | None:
    by_name: dict[str, str] = {}
    for entry in manager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    for family in CJK_FAMILIES:
        path = by_name.get(family)
        if path and covers(path):
            return family
    return None


@lru_cache(maxsize=1)
def _cached() -> str | None:
    from matplotlib import font_manager

    family = _find(font_manager.fontManager)
    if family is None:  # a cache written before the font was installed: rebuild it once
        # private, so absent from matplotlib's type stubs; the one way to rebuild the cache
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)  # type: ignore[attr-defined]
        family = _find(font_manager.fontManager)
    if family is None:
        log.warning("no CJK font for figures (install fonts-noto-cjk, or Noto Sans CJK / Source "
                    "Han Sans); Chinese figures are drawn with English labels")
    return family


def cjk_font() -> str | None:
    """The family name of an installed font that draws simplified Chinese, or None."""
    with _lock:
        return _cached()
