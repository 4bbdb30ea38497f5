"""The command line's application layer, by job: one front end over the grading service
(:mod:`membranelab.service`), a sibling of :mod:`membranelab.notebooks`, :mod:`membranelab.course`
and :mod:`membranelab.web`, none of which it imports (import-linter's independence contract);
:mod:`membranelab.cli` is the argparse front end above them all.

=========================  =======================================================================
module                     job
=========================  =======================================================================
``commands/``              one module per command (``listing``, ``show``, ``render``,
                           ``practice``, ``grade``, ``regrade``, ``check``, ``demo``), each with
                           ``run(args, out, err)``; ``course`` is the course front end's
                           (:mod:`membranelab.course.command`), ``practice --notebook`` the
                           notebooks' (:mod:`membranelab.notebooks.writer`), ``serve`` the web's
``site``                   the static site of ``render``: pages per problem, HTML index, MathJax
``batch/``                 batch grading of an answers CSV: ``pipeline`` (grade_file), ``pool``
                           (worker processes, deadlines), ``journal`` (resume), ``resubmissions``
``selfstudy``              PUBLIC path kept for written notebooks: re-exports
                           :class:`membranelab.notebooks.selfstudy.SelfStudy`
=========================  =======================================================================

What every front end shares is the service's: which problems and whose numbers
(``service.problems``, ``service.numbers``), the answers and grades CSV formats
(``service.answers_csv``), totals (``service.totals``), the self-study rules and progress store
(``service.study``, ``service.progress_store``); the one user error is :mod:`membranelab.errors`.
Text for the terminal (Markdown with TeX as Unicode) is the bank's terminal renderer,
:mod:`membranelab.bank.render.formats.terminal`.
"""

__all__: list[str] = []
