"""The problem bank: exercises as data (``problems/*.md``, ``solutions/*.md``), variants, rendering
and grading.

Public API (stable; the CLI and the nbgrader course build on it):

``load_bank(path=None) -> Bank``
    Every problem under ``path/problems`` with its worked solution ``path/solutions/<id>.md``.
    Default root: ``$MEMBRANELAB_BANK`` when set, else the source checkout's project root.
    Cached while the files are unchanged. ``bank.problems`` maps id -> :class:`Problem`.
``Problem``
    ``.id .title .topic .source .params .parts .derived .errata .figures``;
    ``.variant(student="canonical", assignment="")`` -> :class:`Variant`;
    ``.part(part_id)`` -> :class:`Part`.
``Part``
    ``.id .prompt .hints .points .answer_kind`` (an :class:`~membranelab.bank.kinds.AnswerKind`:
    :class:`~.kinds.Numeric`, :class:`~.kinds.Symbolic`, :class:`~.kinds.Choices`, or any
    registered kind; callers outside the kinds ask it through the protocol only: ``parse``,
    ``grade``, ``options``, ``quantity_unit``, ``value_name``, ``named_mistakes()``...) and
    ``.kind``, its name.
``Parameter``
    ``.name .unit .canonical .values`` (the grid or choices), ``.to_si(x)``.
``Variant``
    ``.problem .params`` (display values in the parameters' units) ``.values`` (every SI value)
    ``.student .assignment .key`` ("canonical" or the seed in hex); ``.answers()`` -> part id ->
    ``Answer(part_id, kind, value, unit, si, text)``; ``.mistake_values(part_id)``.
    Seed: first 8 bytes of sha256("\\x1f".join((assignment, student, problem_id))).
``BankError(file, field, message)``
    Any malformed bank file.
``grade(problem, variant, answers, *, carry_forward=None) -> GradeResult``
    Every part, each also on the student's own earlier answers (error carried forward).
``grade_part(problem, variant, part, answer, *, earlier=None, carry_forward=None) -> PartResult``
    One part's verdict (0 for a missing answer; never raises on the answer): the part's kind
    reads the answer once (``parse`` -> a ``Reading``) and grades that reading (``grade``); an
    unreadable answer is wrong at no try. ``earlier``:
    part id -> the student's earlier answer (text or the number read); an answer right given
    them earns ``carry_forward`` (None: the problem's rule, default 1), note ``carried``.
    Answers computed from rounded displayed values are right (:mod:`.rounding`).
``scoring``
    Tries and credit as a policy: ``Rules``, ``Layer`` (precedence), ``credit(results, rules)``.
``render_statement(variant, fmt="markdown"|"html"|..., *, standalone=False) -> str``
``render_solution(variant, fmt=..., figures_dir=None, *, standalone=False) -> str``
    ``fmt``: any registered format (:func:`membranelab.bank.render.format_names`).
``render_model(variant, lang=None, *, solution=False) -> RenderedVariant`` (figures described, not drawn)
    The one model every format lays out (:mod:`membranelab.bank.render`).
``fill_text(variant, template) -> str``
    A prompt, hint or any text with its ``{{placeholders}}`` filled for the variant.

Layers (top to bottom; a module imports only from layers below its own, never from a sibling
in its layer; the ``bank`` contract in pyproject.toml enforces it, lazy and typing-only
imports included):

============================================  ===============================================
``check``                                     ``membranelab check``: the bank over N variants
``load | grade | render | drift``             files -> problems; answers -> results; variants
                                              -> Markdown, HTML...; released numbers' drift
``schema | carry | errata_text | boundary |   front-matter checks; error carried forward;
soundness``                                   errata text; grid boundary; what load refuses
``kinds | plots | i18n``                      answer kinds, plot kinds (registries: a new kind
                                              is one module), translation overlays
``rounding | figures``                        values as shown; drawing figures
``model``                                     Part, Figure, Problem, Variant (re-exporting
                                              the protocols their kinds follow)
``protocols``                                 the AnswerKind / PlotKind protocols (phases:
                                              spec, reference, parse, grade, describe...)
``variants | phases``                         seeds, sampling, evaluating the chain; what the
                                              kinds' phases exchange (Reading, Example...)
``values | dimensions | frontmatter |         Parameter, Derived, Choice, Answer; units of
choice_invariants``                           expressions; YAML front matter; choice rules
``cache | errors | expr | fonts | registry |  leaves: the variant cache, BankError, bank
scoring | template | view``                   expressions, CJK font, registries, scoring
                                              rules, placeholders, views
============================================  ===============================================

The model sits below what implements it: a :class:`Problem` finds its translations through
the ``localizer`` the loader gives it (:func:`.i18n.localize`), and a part's or figure's kind
through the protocol it holds, so neither the model nor the kinds import the translations.
"""

from .errors import BankError
from .grade import grade, grade_part
from .load import Bank, load_bank
from .model import Answer, Parameter, Part, Problem, Variant
from .render import build as render_model
from .render import fill_text, render_solution, render_statement

__all__ = [
    "Answer",
    "Bank",
    "BankError",
    "Parameter",
    "Part",
    "Problem",
    "Variant",
    "fill_text",
    "grade",
    "grade_part",
    "load_bank",
    "render_model",
    "render_solution",
    "render_statement",
]
