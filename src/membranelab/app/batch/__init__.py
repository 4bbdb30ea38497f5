"""Batch grading of an answers CSV (``membranelab grade``; the web's class mode exports through
``totals`` and ``answers_csv`` too).

``pipeline``       read rows, drop those already journaled, group, grade on the pool, write the
                   grades file atomically (:func:`~membranelab.app.batch.pipeline.grade_file`)
``pool``           the worker processes: a deadline per row, none outliving the batch
``journal``        finished rows appended and fsynced, so an interrupted batch resumes
``answers_csv``    the answers and grades CSV formats (columns, numbers, timestamps)
``resubmissions``  of several answers to one part, the one graded (last or latest)
``totals``         totals per (student, assignment): long and Canvas gradebook layouts

Nothing is imported here, so importing one of them does not load the others (or the bank).
"""

__all__: list[str] = []
