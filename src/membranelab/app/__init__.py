"""The command line's application layer, by job (above the bank; :mod:`membranelab.cli` is its
argparse front end, :mod:`membranelab.notebooks` holds the notebook runtimes).

=========================  =======================================================================
module                     job
=========================  =======================================================================
``commands/``              one module per command (``listing``, ``show``, ``render``,
                           ``practice``, ``grade``, ``course``, ``check``, ``demo``), each with
                           ``run(args, out, err)``; ``serve`` is :mod:`membranelab.web.server`'s
``problems``               which problems and variants a command works on (typed: Bank, Problem,
                           Variant): the bank of ``--bank``, a problem by id with suggestions, the
                           selection by ids or topic, a student's or the canonical variant
``site``                   the static site of ``render``: pages per problem, HTML index, MathJax
``batch/``                 batch grading of an answers CSV: ``pipeline`` (grade_file), ``pool``
                           (worker processes, deadlines), ``journal`` (resume), ``answers_csv``
                           (the CSV formats), ``resubmissions``, ``totals`` (gradebook export)
``study``                  self-study's rules (tries per part, feedback level) shared by the
                           terminal, the notebook and the browser
``progress_store``         a student's self-study progress file (locked, atomic)
``errors``                 ``CliError`` and the exit codes (turned into one line by ``cli.main``)
``selfstudy``              PUBLIC path kept for written notebooks: re-exports
                           :class:`membranelab.notebooks.selfstudy.SelfStudy`
=========================  =======================================================================

Text for the terminal (Markdown with TeX as Unicode) is the bank's terminal renderer,
:mod:`membranelab.bank.render.formats.terminal`.
"""

__all__: list[str] = []
