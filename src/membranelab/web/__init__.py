"""``membranelab serve``: practise in the browser, or hand in an assignment in class mode.

Starlette (ASGI, served by uvicorn), Jinja2 templates, a little plain JavaScript, MathJax served
from this package (never a CDN); SQLAlchemy Core for the class database.  App layer: it imports
the bank, the grader and the practice progress store; nothing lower imports it.

``create_app(config)`` builds the application for a :class:`ServeConfig`.
"""

from .app import create_app
from .config import ClassSettings, Limits, ServeConfig

__all__ = ["ClassSettings", "Limits", "ServeConfig", "create_app"]
