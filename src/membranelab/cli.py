"""The ``membranelab`` command: the argparse front end over :mod:`membranelab.app.commands`.

This module holds the grammar (every command and option, with its help text) and :func:`main`,
which runs one command module (:data:`COMMANDS`) and is the one place where errors become exit
codes: every user error (unknown id, unreadable file, bad option, a malformed problem file) is one
line on stderr and exit code 2, an interrupt (Ctrl-C, SIGTERM) exit code 128 + the signal (130,
143), a bug exit code 70 with its traceback
in the incident log.  Heavy modules (the bank, sympy) load only when a command needs them.

Language: ``--lang zh|en`` (before or after the command), else ``$MEMBRANELAB_LANG``, else the
locale (``LC_ALL``/``LANG``), else English (:func:`membranelab.messages.resolve_lang`). Help texts,
messages, statements, solutions and feedback all come from the message catalog and the bank in
that language.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import signal
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from membranelab import __version__
from membranelab.errors import EXIT_INTERNAL, EXIT_USAGE, CliError
from membranelab.incident import enable_incident_log, internal_error, record_incident
from membranelab.messages import FEEDBACK_LEVELS, gettext, has_message, resolve_lang
from membranelab.workers.signals import stop_signals

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["COMMANDS", "build_parser", "main", "user_error"]

PROG = "membranelab"

#: The line printed for an internal failure (its catalog key; the traceback goes to the
#: incident log only).
INTERNAL_LINE = "cli.internal_line"

_log = logging.getLogger(__name__)


#: The languages ``--lang`` offers.
LANGS = ("en", "zh")


class _WholeWords:
    """Help text wrapped at spaces only, so paths and URLs (``es5/tex-chtml.js``) stay whole;
    the ``usage:`` prefix in the parser's language (``lang``, set per parser)."""

    lang = "en"

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups,  # type: ignore[misc]
                          prefix=gettext("cli.usage", self.lang) if prefix is None else prefix)


class _Help(_WholeWords, argparse.HelpFormatter):
    """The commands' help."""


class _TopHelp(_WholeWords, argparse.RawDescriptionHelpFormatter):
    """The top-level help (its examples keep their lines)."""


def _in(formatter: type, lang: str) -> type:
    """``formatter`` speaking ``lang``."""
    return type(formatter.__name__, (formatter,), {"lang": lang})


class _Parser(argparse.ArgumentParser):
    """ArgumentParser in one language (``lang``): its headings, ``-h`` and ``--lang`` come from
    the catalog; errors are one line (no usage block) and exit code 2."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        kwargs["formatter_class"] = _in(kwargs.get("formatter_class", _Help), lang)
        kwargs["add_help"] = False
        kwargs.setdefault("conflict_handler", "resolve")  # a command may define its own --lang
        super().__init__(*args, **kwargs)
        self.lang = lang
        self._positionals.title = gettext("cli.positionals", lang)
        self._optionals.title = gettext("cli.options", lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=gettext("cli.help", lang))
        self.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS,
                          help=gettext("cli.lang", lang))

    def error(self, message: str) -> NoReturn:
        raise CliError("cli.see_help", message=argparse_message(message, self.lang),
                       prog=self.prog)


#: argparse's own messages (English only: it ships no catalog), as regular expressions over
#: its templates, each with the catalog key that says it in any language.  The argument name,
#: values and choices are kept as typed.
_ARGPARSE = (
    (r"argument (?P<argument>.+?): (?P<message>.*)", "argparse.argument"),
    (r"the following arguments are required: (?P<names>.*)", "argparse.required"),
    (r"unrecognized arguments: (?P<names>.*)", "argparse.unrecognized"),
    (r"one of the arguments (?P<names>.*) is required", "argparse.one_of_required"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", "argparse.ambiguous"),
    (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", "argparse.invalid_choice"),
    (r"invalid (?P<type>\w+) value: (?P<value>.*)", "argparse.invalid_value"),
    (r"expected one argument", "argparse.expected_one"),
    (r"expected at most one argument", "argparse.expected_at_most_one"),
    (r"expected at least one argument", "argparse.expected_at_least_one"),
    (r"expected (?P<n>\d+) arguments?", "argparse.expected_n"),
    (r"not allowed with argument (?P<other>.*)", "argparse.not_allowed"),
    (r"ignored explicit argument (?P<value>.*)", "argparse.ignored_explicit"),
)


def argparse_message(message: str, lang: str) -> str:
    """One of argparse's English error messages in ``lang`` (an argument's message is
    translated inside its frame); a message argparse may add later stays as it is."""
    for pattern, key in _ARGPARSE:
        found = re.fullmatch(pattern, message.strip(), flags=re.S)
        if found:
            params = found.groupdict()
            if "message" in params:
                params["message"] = argparse_message(params["message"], lang)
            if "type" in params and has_message(f"argparse.type_{params['type']}"):
                params["type"] = gettext(f"argparse.type_{params['type']}", lang)
            return gettext(key, lang, **params)
    return message


def argv_lang(argv: Sequence[str]) -> str | None:
    """The value of a ``--lang`` option anywhere in ``argv`` (read before the parser is built,
    because the help texts depend on it)."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _default_student() -> str:
    return os.environ.get("MEMBRANELAB_STUDENT") or os.environ.get("USER") or "student"


class _FormatNames:
    """The bank's output formats (``--format`` choices), asked of its registry only when a value
    is checked or the help lists them: building the parser loads no bank."""

    def __iter__(self):
        from membranelab.bank.render import format_names

        return iter(format_names())

    def __contains__(self, name: object) -> bool:
        return name in tuple(self)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The full command-line grammar, every option with its help text, in ``lang`` (default:
    :func:`resolve_lang`)."""
    lang = resolve_lang(lang)

    def _(key: str, **params: object) -> str:
        return gettext(key, lang, **params)

    def parser_class(**kwargs: Any) -> _Parser:
        return _Parser(lang=lang, **kwargs)

    parser = _Parser(prog=PROG, description=_("cli.description"), epilog=_("cli.examples"),
                     formatter_class=_TopHelp, lang=lang)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=_("cli.version"))
    parser.add_argument("--bank", metavar="DIR", default=None, help=_("cli.bank"))
    # typeshed asks for a class here; argparse only calls parser_class(**kwargs)
    sub = parser.add_subparsers(dest="command", metavar=_("cli.command_metavar"),  # type: ignore[call-overload]
                                title=_("cli.commands"), parser_class=parser_class)
    sub.required = True

    p = sub.add_parser("list", help=_("cli.list"))
    p.add_argument("--topic", help=_("cli.topic"))
    p.add_argument("--json", action="store_true", help=_("cli.json"))

    p = sub.add_parser("show", help=_("cli.show"))
    p.add_argument("id", help=_("cli.problem_id"))
    p.add_argument("--student", help=_("cli.student_show"))
    p.add_argument("--assignment", default="practice", help=_("cli.assignment"))
    p.add_argument("--solution", action="store_true", help=_("cli.solution"))
    p.add_argument("--json", action="store_true", help=_("cli.json"))
    p.add_argument("--format", choices=_FormatNames(), default="terminal", metavar="FORMAT",
                   help=_("cli.format"))

    p = sub.add_parser("practice", help=_("cli.practice"))
    p.add_argument("--topic", help=_("cli.topic"))
    p.add_argument("--student", default=None, help=_("cli.student_practice"))
    p.add_argument("--problem", action="append", metavar="ID", help=_("cli.problem"))
    p.add_argument("--reset", action="store_true", help=_("cli.reset"))
    p.add_argument("--yes", action="store_true", help=_("cli.yes"))
    p.add_argument("--notebook", action="store_true", help=_("cli.notebook"))
    p.add_argument("-o", "--output", metavar="FILE", help=_("cli.notebook_output"))

    p = sub.add_parser("grade", help=_("cli.grade"), description=_("cli.grade_description"))
    p.add_argument("answers", metavar="ANSWERS.csv", help=_("cli.answers_file"))
    p.add_argument("-o", "--output", metavar="GRADES.csv", help=_("cli.grades_file"))
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help=_("cli.jobs"))
    p.add_argument("--json", action="store_true", help=_("cli.grade_json"))
    p.add_argument("--no-progress", action="store_true", help=_("cli.no_progress"))
    p.add_argument("--columns", metavar="OURS=THEIRS,...", help=_("cli.columns"))
    p.add_argument("--assignments", metavar="FILE", help=_("cli.grade_assignments"))
    p.add_argument("--date-format", dest="date_format", metavar="FORMAT",
                   help=_("cli.date_format"))
    p.add_argument("--totals", metavar="TOTALS.csv", help=_("cli.totals"))
    p.add_argument("--totals-layout", choices=("long", "canvas"), default="long",
                   help=_("cli.totals_layout"))
    p.add_argument("--feedback", choices=FEEDBACK_LEVELS, default="named",
                   help=_("cli.feedback"))
    p.add_argument("--course-dir", default=None, metavar="DIR", help=_("cli.grade_course_dir"))

    p = sub.add_parser("regrade", help=_("cli.regrade"), description=_("cli.regrade_description"))
    p.add_argument("answers", nargs="?", metavar="ANSWERS.csv", help=_("cli.answers_file"))
    p.add_argument("--grades", metavar="GRADES.csv", help=_("cli.regrade_grades"))
    p.add_argument("--class-db", metavar="URL", help=_("cli.regrade_class_db"))
    p.add_argument("--config", dest="class_config", metavar="CLASS.yaml",
                   help=_("cli.regrade_class_config"))
    p.add_argument("-o", "--output", metavar="NEW.csv", help=_("cli.regrade_output"))
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help=_("cli.jobs"))
    p.add_argument("--no-progress", action="store_true", help=_("cli.no_progress"))
    p.add_argument("--columns", metavar="OURS=THEIRS,...", help=_("cli.columns"))
    p.add_argument("--feedback", choices=FEEDBACK_LEVELS, default="named",
                   help=_("cli.feedback"))
    p.add_argument("--course-dir", default=None, metavar="DIR", help=_("cli.grade_course_dir"))

    p = sub.add_parser("render", help=_("cli.render"), description=_("cli.render_description"))
    p.add_argument("ids", nargs="*", metavar="ID", help=_("cli.ids"))
    p.add_argument("--format", choices=_FormatNames(), default="markdown", metavar="FORMAT",
                   help=_("cli.format"))
    p.add_argument("-o", "--output", metavar="DIR", default="rendered", help=_("cli.output_dir"))
    p.add_argument("--student", help=_("cli.student_render"))
    p.add_argument("--assignment", default="practice", help=_("cli.assignment_render"))
    p.add_argument("--solution", action="store_true", help=_("cli.render_solution"))
    p.add_argument("--mathjax", metavar="URL", default=None, help=_("cli.mathjax"))

    p = sub.add_parser("course", help=_("cli.course"))
    course = p.add_subparsers(dest="course_command", metavar=_("cli.course_action"),
                              title=_("cli.commands"), parser_class=parser_class)
    course.required = True
    for name, key in (("build", "cli.course_build"), ("check", "cli.course_check")):
        c = course.add_parser(name, help=_(key))
        c.add_argument("--course-dir", default="course", metavar="DIR", help=_("cli.course_dir"))
    c = course.add_parser("secret", help=_("cli.course_secret"))
    c.add_argument("--course-dir", default="course", metavar="DIR", help=_("cli.course_dir"))
    c.add_argument("--move", action="store_true", help=_("cli.course_secret_move"))
    c = course.add_parser("grade", help=_("cli.course_grade"))
    c.add_argument("assignment", metavar="ASSIGNMENT", help=_("cli.assignment_id"))
    c.add_argument("--course-dir", default="course", metavar="DIR", help=_("cli.course_dir"))
    c.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help=_("cli.course_grade_jobs"))
    c.add_argument("--flags", metavar="CSV", default=None, help=_("cli.course_grade_flags"))
    c = course.add_parser("audit", help=_("cli.course_audit"))
    c.add_argument("assignment", metavar="ASSIGNMENT", help=_("cli.assignment_id"))
    c.add_argument("--course-dir", default="course", metavar="DIR", help=_("cli.course_dir"))

    sub.add_parser("demo", help=_("cli.demo"))

    p = sub.add_parser("report", help=_("cli.report"), description=_("cli.report_description"))
    p.add_argument("source", metavar="SOURCE", help=_("cli.report_source"))
    p.add_argument("-o", "--output", metavar="DIR", default="report", help=_("cli.report_output"))

    p = sub.add_parser("check", help=_("cli.check"))
    p.add_argument("ids", nargs="*", metavar="ID", help=_("cli.check_ids"))
    p.add_argument("--variants", type=int, default=2000, metavar="N", help=_("cli.check_variants"))
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="J", help=_("cli.check_jobs"))
    p.add_argument("--course-dir", default="course", metavar="DIR",
                   help=_("cli.check_course_dir"))
    p.add_argument("--boundary", type=int, default=None, metavar="N",
                   help=_("cli.check_boundary"))
    p.add_argument("--json", action="store_true", help=_("cli.check_json"))
    p.add_argument("--fingerprints", action="store_true", help=_("cli.check_fingerprints"))

    from membranelab.web.server import add_serve_parser

    add_serve_parser(sub, _("cli.student_default"), lang=lang)
    return parser


#: The module under :mod:`membranelab.app.commands` that runs each command (imported only when
#: that command runs); each has ``run(args, out, err) -> exit code``.  ``serve`` is the web
#: server's (:func:`membranelab.web.server.run_serve`).
#: command -> the module that runs it (``run(args, out, err)``): the app's commands, and the
#: front ends that own theirs (the course's, the notebook writer's; ``serve`` is the web's).
COMMANDS = {"list": "membranelab.app.commands.listing", "show": "membranelab.app.commands.show",
            "render": "membranelab.app.commands.render",
            "practice": "membranelab.app.commands.practice",
            "grade": "membranelab.app.commands.grade",
            "regrade": "membranelab.app.commands.regrade",
            "course": "membranelab.course.command", "check": "membranelab.app.commands.check",
            "demo": "membranelab.app.commands.demo",
            "report": "membranelab.app.commands.report"}
#: ``practice --notebook`` writes a notebook: the notebook front end's command.
NOTEBOOK_COMMAND = "membranelab.notebooks.writer"
#: ``regrade --class-db`` regrades a class's database: the web front end's command.
CLASS_REGRADE_COMMAND = "membranelab.web.regrade"


def _consoles() -> tuple[Console, Console]:
    from rich.console import Console

    return Console(), Console(stderr=True)


def _run(args: argparse.Namespace, lang: str = "en") -> int:
    """Run the parsed command; returns its exit code (errors propagate to :func:`main`)."""
    args.lang = lang  # resolved: --lang, else $MEMBRANELAB_LANG, else the locale, else English
    out, err = _consoles()
    if args.command == "serve":
        from membranelab.web.server import run_serve

        return run_serve(args, out, _default_student())
    if args.command == "practice" and not args.student:
        args.student = _default_student()
    name = COMMANDS[args.command]
    if args.command == "practice" and getattr(args, "notebook", False):
        name = NOTEBOOK_COMMAND
    if args.command == "regrade" and (getattr(args, "class_db", None)
                                      or getattr(args, "class_config", None)):
        name = CLASS_REGRADE_COMMAND
    module = importlib.import_module(name)
    return module.run(args, out, err)


def user_error(exc: BaseException, lang: str = "en") -> str | None:
    """The one line telling the user what went wrong, when ``exc`` is a user's error: the app's
    :class:`CliError` (unknown id, unreadable file, bad option), the grading service's refusal
    (a reserved id, a graded assignment without its secret; in ``lang``) or the bank's
    ``BankError`` (a malformed problem file, naming the file and the field); None for anything
    else (a bug)."""
    if isinstance(exc, CliError):
        return exc.text(lang)
    service = sys.modules.get("membranelab.service.errors")
    if service is not None and isinstance(exc, service.ServiceError):
        return exc.text(lang)
    # Not imported while checking: a bank that was never loaded raised nothing, and a bank that
    # fails to import is a bug, reported as one.
    errors = sys.modules.get("membranelab.bank.errors")
    if errors is not None and isinstance(exc, errors.BankError):
        return " ".join(str(exc).split())
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 user error, 70 internal error,
    130 interrupted).  Every user error of every command (:func:`user_error`) becomes one line
    here, and only here; an internal error is logged with its traceback to the incident log."""
    log_path = enable_incident_log()
    words = list(sys.argv[1:] if argv is None else argv)
    lang = resolve_lang(argv_lang(words) if argv_lang(words) in LANGS else None)
    try:
        args = build_parser(lang).parse_args(words)
        # SIGTERM saves and stops as Ctrl-C does.  Run as the process (argv None: the
        # ``membranelab`` command), a signal after the command's work is ignored: see
        # stop_signals; called from Python (tests, a notebook), the caller's handlers come back.
        with stop_signals(then_ignore=argv is None):
            return _run(args, lang)
    except KeyboardInterrupt as stop:
        print(gettext("cli.interrupted", lang, prog=PROG), file=sys.stderr)
        return 128 + getattr(stop, "signum", signal.SIGINT)
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else 0
    except Exception as exc:  # noqa: BLE001 - the last guard: a bug is an incident, not a traceback
        message = user_error(exc, lang)
        if message is not None:
            print(gettext("cli.error", lang, prog=PROG, message=message), file=sys.stderr)
            return EXIT_USAGE
        incident = record_incident(_log, "command line %r failed", words)
        print(gettext(INTERNAL_LINE, lang, prog=PROG, message=internal_error(incident, lang),
                      log=str(log_path)), file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
