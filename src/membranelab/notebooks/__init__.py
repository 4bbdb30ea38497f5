"""The notebook runtimes: what runs inside a Jupyter kernel or an nbgrader process.

=====================  ==========================================================================
module                 job
=====================  ==========================================================================
``assignment``         the runtime of an nbgrader assignment notebook (graded course or not):
                       the student id in force, the student's numbers, ``check`` (public path:
                       :mod:`membranelab.student`)
``selfstudy``          the self-study notebook's runtime: ``SelfStudy`` and its ``%%answer``,
                       ``%hint``, ``%solution`` magics
``preprocessors``      nbgrader preprocessors around the grader's Execute step (public path:
                       :mod:`membranelab.nbgrader_ext`)
``writer``             writes the self-study notebook and the read-only notebook of a problem
=====================  ==========================================================================

Nothing is imported here: a student's kernel loads only what its cells use (never nbgrader).
"""

__all__: list[str] = []
