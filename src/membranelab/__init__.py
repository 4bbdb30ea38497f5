"""membranelab: exercises on the resting membrane potential, solved and graded.

In a notebook, ``membranelab.set_student("<id>")`` sets the id whose numbers are shown and checked
(see :mod:`membranelab.student`); everything else lives in the subpackages ``physics``, ``grading``,
``bank`` and ``course``.
"""

import logging

from .notebooks.assignment import current_student, set_student

# Library convention: silent unless the application configures logging (see membranelab.incident).
logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
__all__ = ["__version__", "current_student", "set_student"]
