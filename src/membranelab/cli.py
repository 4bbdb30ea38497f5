"""The ``membranelab`` command: argparse front end over :mod:`membranelab.app`.

Every user error (unknown id, unreadable file, bad option) is one line on stderr and exit code 2;
an interrupt is exit code 130.  Heavy modules (the bank, sympy) load only when a command needs them.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from membranelab import __version__
from membranelab.app.errors import EXIT_INTERNAL, EXIT_USAGE, CliError
from membranelab.incident import enable_incident_log, internal_error, record_incident
from membranelab.messages import FEEDBACK_LEVELS

__all__ = ["build_parser", "main"]

PROG = "membranelab"

#: The line printed for an internal failure (the traceback goes to the incident log only).
INTERNAL_LINE = "{prog}: {message} (details in {log})"

_log = logging.getLogger(__name__)


EXAMPLES = """examples:
  membranelab demo                                  see a variant graded, three ways
  membranelab list --topic nernst                   the problems of a topic
  membranelab show nernst-potassium --student alice --solution
  membranelab practice --student alice              answer your own variants (resumes)
  membranelab practice --notebook -o study.ipynb    the same, as a Jupyter notebook
  membranelab grade answers.csv -o grades.csv -j 4  grade a class export
  membranelab render --format html -o site --solution
  membranelab serve                                 practise in the browser (127.0.0.1:8000)
"""


class _WholeWords:
    """Help text wrapped at spaces only, so paths and URLs (``es5/tex-chtml.js``) stay whole."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


class _Help(_WholeWords, argparse.HelpFormatter):
    """The commands' help."""


class _TopHelp(_WholeWords, argparse.RawDescriptionHelpFormatter):
    """The top-level help (its examples keep their lines)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (no usage block) and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see `{self.prog} --help`)")


def _default_student() -> str:
    return os.environ.get("MEMBRANELAB_STUDENT") or os.environ.get("USER") or "student"


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar, every option with its help text."""
    parser = _Parser(prog=PROG, description="Exercises on the resting membrane potential: "
                     "practise, render, and grade answers.", epilog=EXAMPLES,
                     formatter_class=_TopHelp)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--bank", metavar="DIR", default=None,
                        help="bank root holding problems/ and solutions/ "
                             "(default: $MEMBRANELAB_BANK, else the source checkout, else the installed copy)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("list", help="a table of the problems")
    p.add_argument("--topic", help="only problems of this topic")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("show", help="one problem's statement (a student's variant), its solution")
    p.add_argument("id", help="problem id (see `membranelab list`)")
    p.add_argument("--student", help="show this student's variant (default: canonical)")
    p.add_argument("--assignment", default="practice",
                   help="assignment the variant belongs to (default: practice)")
    p.add_argument("--solution", action="store_true", help="also show the worked solution")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("practice", help="answer your own variants interactively (resumes)")
    p.add_argument("--topic", help="only problems of this topic")
    p.add_argument("--student", default=None,
                   help="whose variants and progress (default: $MEMBRANELAB_STUDENT or $USER)")
    p.add_argument("--problem", action="append", metavar="ID",
                   help="practise this problem (repeatable; default: all, or all of --topic)")
    p.add_argument("--reset", action="store_true",
                   help="forget this student's progress first: only on the problems named by "
                        "--problem/--topic, else on every problem (after asking)")
    p.add_argument("--yes", action="store_true",
                   help="with --reset and no --problem/--topic: do not ask before forgetting "
                        "every problem's progress")
    p.add_argument("--notebook", action="store_true",
                   help="write a self-study Jupyter notebook instead of asking in the terminal")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="notebook file to write (default: membranelab-practice-STUDENT.ipynb)")

    p = sub.add_parser("grade", help="grade an answers CSV (student,assignment,problem,part,answer)",
                       description="Grade every row of an answers export on all cores. Output "
                       "columns: student, assignment, problem, part, answer, score, points, "
                       "correct, note, feedback, expected. A malformed row (wrong number of "
                       "fields, a blank student, assignment, problem or part, an unreadable "
                       "timestamp) is reported and graded 0. IDS ARE MATCHED AFTER TRIMMING AND "
                       "CASE-FOLDING: 'HW-CA' is 'hw-ca', ' Alice' is 'alice' (also in the "
                       "variant seed). A part answered twice by a student: the last row counts, "
                       "or the latest 'timestamp' column where there is one (ISO 8601; no zone "
                       "means UTC); the others are marked superseded and counted in the summary. "
                       "An interrupted run resumes from GRADES.csv.partial.")
    p.add_argument("answers", metavar="ANSWERS.csv", help="the answers export")
    p.add_argument("-o", "--output", metavar="GRADES.csv",
                   help="grades file to write (atomically); resumes from GRADES.csv.partial")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: every core)")
    p.add_argument("--json", action="store_true",
                   help="print the summary and every graded row as JSON on stdout")
    p.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    p.add_argument("--columns", metavar="OURS=THEIRS,...",
                   help="map our column names onto the export's own, e.g. "
                        "student=Username,answer=Response,timestamp=Completed")
    p.add_argument("--assignments", metavar="FILE",
                   help="assignments.yaml listing each assignment's problems (default: "
                        "course/assignments.yaml when it exists): a problem outside its "
                        "assignment is a row error, and maxima count every part")
    p.add_argument("--totals", metavar="TOTALS.csv",
                   help="also write one row per (student, assignment): score, maximum, "
                        "percentage, parts answered (see README for Moodle and Canvas)")
    p.add_argument("--totals-layout", choices=("long", "canvas"), default="long",
                   help="long: one row per (student, assignment) (default; Moodle); canvas: one "
                        "row per student, one column per assignment")
    p.add_argument("--feedback", choices=FEEDBACK_LEVELS, default="named",
                   help="how much the feedback column says about a wrong answer (default: named: "
                        "the named mistake, no direction, size or digits of the expected value)")

    p = sub.add_parser("render", help="write statements (and solutions) as Markdown, HTML or notebooks",
                       description="Write one file per problem into DIR. HTML pages load MathJax "
                       "(see --mathjax), carry their figures as PNG files beside them (with "
                       "--solution) and are listed with their titles and topics in DIR/index.html.")
    p.add_argument("ids", nargs="*", metavar="ID", help="problem ids (default: all)")
    p.add_argument("--format", choices=("markdown", "html", "notebook"), default="markdown",
                   help="output format (default: markdown)")
    p.add_argument("-o", "--output", metavar="DIR", default="rendered",
                   help="directory to write into (default: rendered)")
    p.add_argument("--student", help="render this student's variant (default: canonical)")
    p.add_argument("--assignment", default="practice", help="assignment of the variant")
    p.add_argument("--solution", action="store_true", help="append the worked solution")
    p.add_argument("--mathjax", metavar="URL", default=None,
                   help="HTML only: where pages load MathJax 3 from (default: jsDelivr's CDN). "
                        "Give a local copy to read the pages offline, e.g. after "
                        "`npm install mathjax@3`: node_modules/mathjax/es5/tex-chtml.js; an "
                        "existing file path becomes a file:// URL, anything else (http(s) URL, "
                        "path relative to the pages) is used as written")

    p = sub.add_parser("course", help="the nbgrader course")
    course = p.add_subparsers(dest="course_command", metavar="ACTION", parser_class=_Parser)
    course.required = True
    for name, text in (("build", "build the nbgrader course from course/assignments.yaml"),
                       ("check", "report drift between the course and the bank")):
        c = course.add_parser(name, help=text)
        c.add_argument("--course-dir", default="course", metavar="DIR",
                       help="course root (default: ./course)")
    c = course.add_parser("secret", help="make the course secret of a graded course "
                                         "(DIR/.membranelab-secret, mode 0600)")
    c.add_argument("--course-dir", default="course", metavar="DIR",
                   help="course root (default: ./course)")
    c = course.add_parser("audit", help="re-grade autograded answers without running student code "
                                        "and classify where nbgrader's scores differ: tampered "
                                        "(exit 1), computed, missing, lower")
    c.add_argument("assignment", help="assignment id, e.g. ps1-equilibrium")
    c.add_argument("--course-dir", default="course", metavar="DIR",
                   help="course root (default: ./course)")

    sub.add_parser("demo", help="a student's variants graded: right, typical mistake, hostile input")

    p = sub.add_parser("check", help="check the bank over many variants per problem (invariants, "
                       "distinguishable mistakes, constraints, domains); exit 1 on any error")
    p.add_argument("ids", nargs="*", metavar="ID", help="problems to check (default: all)")
    p.add_argument("--variants", type=int, default=2000, metavar="N",
                   help="students drawn per problem (default: 2000)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="J",
                   help="worker processes (default: one per CPU core)")
    p.add_argument("--course-dir", default="course", metavar="DIR",
                   help="course root whose assignments.yaml may record released fingerprints "
                        "(default: ./course)")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.add_argument("--fingerprints", action="store_true",
                   help="print the problems' variant fingerprints as a 'released:' mapping for "
                        "course/assignments.yaml, and exit")

    from membranelab.web.server import add_serve_parser

    add_serve_parser(sub, "$MEMBRANELAB_STUDENT or $USER")
    return parser


def _consoles() -> tuple[object, object]:
    from rich.console import Console

    return Console(), Console(stderr=True)


def _run(args: argparse.Namespace) -> int:
    from membranelab.app import bankapi

    out, err = _consoles()
    if args.command == "grade":
        from membranelab.app.grade_cmd import run_grade

        return run_grade(args, out, err)
    if args.command == "course":
        from membranelab.app.course_cmd import run_course

        return run_course(args, out)
    if args.command == "serve":
        from membranelab.web.server import run_serve

        return run_serve(args, out, _default_student())
    bank = bankapi.load(args.bank)
    if args.command == "list":
        from membranelab.app.browse import list_problems

        return list_problems(bank, out, topic=args.topic, as_json=args.json)
    if args.command == "show":
        from membranelab.app.browse import show_problem

        return show_problem(bank, out, args.id, student=args.student, assignment=args.assignment,
                            solution=args.solution, as_json=args.json)
    if args.command == "render":
        from membranelab.app.browse import render_files

        return render_files(bank, out, ids=args.ids, fmt=args.format, out_dir=Path(args.output),
                            student=args.student, assignment=args.assignment,
                            solution=args.solution, mathjax=args.mathjax)
    if args.command == "practice":
        student = args.student or _default_student()
        if args.notebook:
            from membranelab.app.notebook import write_practice_notebook

            return write_practice_notebook(bank, out, student=student, topic=args.topic,
                                           output=args.output, bank_dir=args.bank,
                                           problem_ids=args.problem)
        if args.output:
            raise CliError("-o/--output only applies with --notebook")
        from membranelab.app.practice import run_practice
        from membranelab.app.progress_store import ProgressStore

        return run_practice(bank, out, ProgressStore(), student=student, topic=args.topic,
                            problem_ids=args.problem, reset=args.reset, yes=args.yes)
    if args.command == "check":
        from membranelab.app.check_cmd import run_check

        return run_check(bank, out, ids=args.ids or None, variants=args.variants, jobs=args.jobs,
                         course_dir=args.course_dir, as_json=args.json,
                         fingerprints=args.fingerprints)
    if args.command == "demo":
        from membranelab.app.demo import run_demo

        return run_demo(bank, out)
    raise CliError(f"unknown command {args.command!r}")  # pragma: no cover - argparse guards


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 user error, 70 internal error,
    130 interrupted).  An internal error is logged with its traceback to the incident log."""
    log_path = enable_incident_log()
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except CliError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else 0
    except Exception as exc:  # noqa: BLE001 - the last guard: a bug is an incident, not a traceback
        from membranelab.app.bankapi import bank_error_types

        if isinstance(exc, bank_error_types()):
            print(f"{PROG}: error: {' '.join(str(exc).split())}", file=sys.stderr)
            return EXIT_USAGE
        incident = record_incident(_log, "command line %r failed",
                                   list(sys.argv[1:] if argv is None else argv))
        print(INTERNAL_LINE.format(prog=PROG, message=internal_error(incident), log=log_path),
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
