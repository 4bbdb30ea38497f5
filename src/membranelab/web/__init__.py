"""``membranelab serve``: practise in the browser, or hand in an assignment in class mode.

Starlette (ASGI, served by uvicorn), Jinja2 templates, a little plain JavaScript, MathJax served
from this package (never a CDN); SQLAlchemy Core for the class database.  App layer: it imports
the bank, the grader and the practice progress store; nothing lower imports it.

``create_app(config)`` builds the application for a :class:`ServeConfig`.  The names load lazily,
so the command line's parser (which imports :mod:`membranelab.web.server`) stays fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ClassSettings", "Limits", "ServeConfig", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name in ("ClassSettings", "Limits", "ServeConfig"):
        from . import config

        return getattr(config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
