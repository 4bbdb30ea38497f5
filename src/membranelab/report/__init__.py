"""The class report: what a class got right and wrong, per part, per assignment, per student.

Layers (each its own module; the statistics know no source, the readers no statistics):

* :mod:`.model`: :class:`PartRecord`, the one record every reader produces;
* readers: :mod:`.read_csv` (grades CSV), :mod:`.read_db` (class-mode database, read-only
  through SQLAlchemy), :mod:`.read_gradebook` (an nbgrader course's gradebook), found by
  :mod:`.sources`, each reading its rows back as the grading service's verdicts
  (:func:`membranelab.service.stored.stored_verdict`); :mod:`.from_service` makes records of
  verdicts, stored or live (the service's result model); :mod:`.choices` names the choice an
  answer selects, read again with the service's ``read_answer``;
* :mod:`.stats` (numpy only: Moodle's quiz statistics, Cronbach's alpha, thirds) and
  :mod:`.analysis` (records -> :class:`ClassReport`), :mod:`.notes` (what a note is);
* output: :mod:`.figures` (matplotlib), :mod:`.drawing` (the figures in a worker process),
  :mod:`.render` (HTML from a Jinja template, JSON, CSV), :mod:`.labels` (every word from the
  message catalog).

This package imports no front end (``app``, ``web``, ``course``, ``notebooks``, ``cli``): an
import-linter layer of its own, between them and the bank.  Importing the package loads
neither the bank nor matplotlib: :func:`membranelab.report.render.write_report` draws and writes.
"""

from .analysis import ClassReport, analyse
from .model import PartRecord, ReportInputError
from .sources import read_source

__all__ = ["ClassReport", "PartRecord", "ReportInputError", "analyse", "read_source"]
