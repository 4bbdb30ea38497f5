"""The command line's parts: one module per command or concern, all behind :mod:`membranelab.cli`.

``bankapi`` (the one door into the bank), ``browse`` (list, show, render), ``practice``,
``notebook`` + ``selfstudy`` (self-study notebooks), ``batch`` + ``grade_cmd`` (batch grading),
``answers_csv``, ``journal``, ``atomic``, ``progress_store``, ``termtext``, ``demo``,
``course_cmd``, ``errors``.
"""

__all__: list[str] = []
