"""``membranelab serve``: the command-line face of the web server (uvicorn), and ``serve tokens``.

    membranelab serve                                   self-study on http://127.0.0.1:8000
    membranelab serve tokens roster.csv -o tokens.csv   personal tokens for a class
    membranelab serve --class roster.csv --assignment ps1-equilibrium --host 0.0.0.0
    membranelab serve upgrade-db --db URL               the class database's schema, then exit
"""

from __future__ import annotations

import argparse
import threading
import webbrowser
from pathlib import Path
from typing import Any

from membranelab.errors import CliError

from .config import (
    DEFAULT_DB,
    FEEDBACK_LEVELS,
    ClassSettings,
    ServeConfig,
    load_class_file,
    parse_due,
    parse_extensions,
)

__all__ = ["add_serve_parser", "class_settings", "run_serve"]

DEFAULT_ASSIGNMENTS = "course/assignments.yaml"


def add_serve_parser(sub: Any, student_default: str, *, lang: str = "en") -> None:
    """The ``serve`` command and its ``tokens`` action (help texts in ``lang``)."""
    from membranelab.messages import gettext

    def _(key: str, **params: Any) -> str:
        return gettext(key, lang, **params)

    p = sub.add_parser("serve", help=_("serve.help"), description=_("serve.description"))
    p.add_argument("--port", type=int, default=None, help=_("serve.port"))
    p.add_argument("--host", default=None, help=_("serve.host"))
    p.add_argument("--no-browser", action="store_true", help=_("serve.no_browser"))
    p.add_argument("--student", default=None, help=_("serve.student", default=student_default))
    p.add_argument("--published", action="store_true", help=_("serve.published"))
    p.add_argument("--lang", default=None, help=_("serve.lang"))
    p.add_argument("--class", dest="roster", metavar="ROSTER.csv", default=None,
                   help=_("serve.roster"))
    p.add_argument("--assignment", default=None, help=_("serve.assignment"))
    p.add_argument("--assignments", metavar="FILE", default=None,
                   help=_("serve.assignments", default=DEFAULT_ASSIGNMENTS))
    p.add_argument("--config", metavar="CLASS.yaml", default=None, help=_("serve.config"))
    p.add_argument("--db", default=None, help=_("serve.db", default=DEFAULT_DB))
    p.add_argument("--feedback", choices=FEEDBACK_LEVELS, default=None, help=_("serve.feedback"))
    p.add_argument("--tries", type=int, default=None, help=_("serve.tries"))
    p.add_argument("--due", default=None, help=_("serve.due"))
    p.add_argument("--late", default=None, metavar="SHARE", help=_("serve.late"))
    p.add_argument("--no-hints", dest="no_hints", action="store_true", default=False,
                   help=_("serve.no_hints"))
    p.add_argument("--workers", type=int, default=1, metavar="N", help=_("serve.workers"))
    # the same parser class (and language) as the command line's own parsers
    parser_type: type[Any] = type(p)
    options: dict[str, Any] = {} if lang == "en" else {"lang": lang}

    def parser_class(**kwargs: Any) -> Any:
        return parser_type(**options, **kwargs)

    actions = p.add_subparsers(dest="serve_action", metavar=_("serve.action"),
                               parser_class=parser_class)
    t = actions.add_parser("tokens", help=_("serve.tokens"),
                           description=_("serve.tokens_description"))
    t.add_argument("roster_file", metavar="ROSTER.csv")
    t.add_argument("-o", "--output", default="tokens.csv", metavar="TOKENS.csv",
                   help=_("serve.tokens_output"))
    t.add_argument("--db", dest="tokens_db", default=None,
                   help=_("serve.tokens_db", default=DEFAULT_DB))
    t.add_argument("--url", default="http://127.0.0.1:8000", help=_("serve.url"))
    t.add_argument("--renew", action="store_true", help=_("serve.renew"))
    u = actions.add_parser("upgrade-db", help=_("serve.upgrade_db"),
                           description=_("serve.upgrade_db_description"))
    u.add_argument("--db", dest="upgrade_db", metavar="URL", default=None,
                   help=_("serve.upgrade_db_db", default=DEFAULT_DB))
    u.add_argument("--config", dest="upgrade_config", metavar="CLASS.yaml", default=None,
                   help=_("serve.upgrade_db_config"))


#: The options of a class (``serve --class ...``) besides ``--config`` and ``--no-hints``.
_CLASS_OPTIONS = ("config", "roster", "assignment", "assignments", "db", "feedback", "tries",
                  "due", "late", "bank")


def class_settings(args: argparse.Namespace) -> tuple[ClassSettings | None, dict[str, Any]]:
    """Class settings from ``--config`` and the options (None: self-study).  An option
    ``args`` does not have counts as not given (``regrade --config`` passes only the class
    file and the bank)."""
    args = argparse.Namespace(**{**dict.fromkeys(_CLASS_OPTIONS), "no_hints": False,
                                 **vars(args)})
    data: dict[str, Any] = load_class_file(args.config) if args.config else {}
    roster = args.roster or data.get("roster")
    if roster is None:
        if (args.assignment or args.db or args.feedback or args.tries or args.due
                or args.no_hints or args.late is not None):
            raise CliError("serve.class_options_need_class")
        return None, data
    assignment = args.assignment or data.get("assignment")
    if not assignment:
        raise CliError("serve.class_needs_assignment")
    from membranelab.service.assignments import AssignmentsError, load_assignments
    from membranelab.service.problems import open_bank

    source = args.assignments or data.get("assignments") or DEFAULT_ASSIGNMENTS
    bank = open_bank(args.bank)
    try:
        known = load_assignments(source, bank.problems)
    except AssignmentsError as exc:
        raise CliError(str(exc)) from None
    chosen = next((a for a in known if a.id == assignment), None)
    if chosen is None:
        raise CliError("serve.unknown_assignment", assignment=repr(assignment),
                       source=str(source), known=", ".join(a.id for a in known))
    tries = args.tries if args.tries is not None else data.get("tries")
    scoring = None
    if data.get("scoring") is not None:
        from membranelab.bank.scoring import Layer

        try:
            scoring = Layer.from_mapping(data["scoring"], "scoring")
        except ValueError as exc:
            raise CliError("serve.bad_scoring", error=str(exc)) from None
    secret = None
    if chosen.graded:  # the browser draws the same keyed numbers as the graded notebooks
        from membranelab.service.secret import SecretError, find_secret

        try:
            secret = find_secret(Path(source).resolve().parent, "serve")
        except SecretError as exc:
            raise CliError(exc.key, **exc.params) from None
        if secret is None:
            raise CliError("serve.secret_missing", source=str(source))
    return ClassSettings(
        roster=Path(roster), assignment=chosen.id, problems=chosen.problems, title=chosen.title,
        db_url=args.db or data.get("db") or DEFAULT_DB,
        feedback=args.feedback or data.get("feedback") or chosen.feedback,
        tries=tries, due=parse_due(args.due or data.get("due")), secret=secret,
        hints=False if args.no_hints else data.get("hints", True),
        extensions=parse_extensions(data.get("extensions")),
        late=args.late if args.late is not None else data.get("late"),
        assignment_scoring=chosen.scoring, scoring=scoring), data


def _tokens(args: argparse.Namespace, out: Any, lang: str) -> int:
    from membranelab.messages import gettext

    from .db import ClassDB
    from .roster import issue_tokens, read_roster, write_tokens

    roster = read_roster(args.roster_file)
    db = ClassDB(args.tokens_db or DEFAULT_DB)
    try:
        rows = issue_tokens(db, roster, base_url=args.url, renew=args.renew)
    finally:
        db.close()
    if not rows:
        out.print(gettext("serve.tokens_none_new", lang, students=len(roster)),
                  highlight=False, markup=False, soft_wrap=True)
        return 0
    write_tokens(args.output, rows)
    students = sum(1 for r in rows if r[0] == "student")
    key = "serve.tokens_written_teacher" if len(rows) > students else "serve.tokens_written"
    out.print(gettext(key, lang, students=students, output=str(args.output),
                      db=str(args.tokens_db or DEFAULT_DB)),
              highlight=False, markup=False, soft_wrap=True)
    return 0


def _upgrade_db(args: argparse.Namespace, out: Any) -> int:
    """Bring the class database's schema to this version's newest revision and say what
    changed (``--db``, else the class file's ``db``, else the default database)."""
    from .db import ClassDB
    from .migrate import shown_url

    config = args.upgrade_config or args.config
    url = (args.upgrade_db or args.db or (load_class_file(config).get("db") if config else None)
           or DEFAULT_DB)
    db = ClassDB(url)
    try:
        out.print(db.schema.message(shown_url(db.engine), args.lang), highlight=False,
                  soft_wrap=True)
    finally:
        db.close()
    return 0


def run_serve(args: argparse.Namespace, out: Any, student_default: str) -> int:
    """Start the server (blocks until interrupted), make tokens, or upgrade the database; what
    it prints is in the command line's language (``args.lang``, as resolved by
    :func:`membranelab.cli.main`)."""
    from membranelab.messages import gettext

    lang = getattr(args, "lang", None) or "en"
    if getattr(args, "serve_action", None) == "tokens":
        return _tokens(args, out, lang)
    if getattr(args, "serve_action", None) == "upgrade-db":
        return _upgrade_db(args, out)
    klass, data = class_settings(args)
    host = args.host or data.get("host") or "127.0.0.1"
    port = args.port or int(data.get("port") or 8000)
    config = ServeConfig(student=args.student or student_default, host=host, port=port,
                         bank_dir=args.bank, lang=args.lang, klass=klass,
                         published=bool(getattr(args, "published", False)))
    if klass is None and not config.published:
        from membranelab.service import check_student

        check_student(config.student)  # a reserved id is refused; --published gives the notes' numbers
    config.check_address()
    if klass is not None and args.student:
        raise CliError("serve.student_in_class")
    workers = getattr(args, "workers", 1)
    if workers < 1 or workers > 64:
        raise CliError("serve.workers_range", value=workers)
    if workers > 1 and klass is None:
        raise CliError("serve.workers_class_only")
    import uvicorn

    from .app import create_app
    from .deadline import uvicorn_options

    app = create_app(config)  # checks everything (and upgrades the database) before any worker
    if klass is not None and app.state.web.db.schema.changed:
        from .migrate import shown_url

        out.print(app.state.web.db.schema.message(shown_url(app.state.web.db.engine), args.lang),
                  highlight=False, soft_wrap=True)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    mode = gettext("serve.mode_class" if klass is not None else "serve.mode_self_study", lang)
    out.print(gettext("serve.started", lang, mode=mode, url=url), highlight=False, markup=False,
              soft_wrap=True)
    if klass is None and not args.no_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    **uvicorn_options(config.limits))
        return 0
    from .state import remove_figures
    from .workers import shared_config

    app.state.web.db.close()
    remove_figures(app.state.web.figures_dir)
    with shared_config(config):
        uvicorn.run("membranelab.web.workers:app_factory", factory=True, workers=workers,
                    host=host, port=port, log_level="warning",
                    **uvicorn_options(config.limits, by_name=True))
    return 0
