"""PUBLIC import path of the self-study notebook runtime, for notebooks already written.

Notebooks written by ``membranelab practice --notebook`` before the notebook runtimes moved to
:mod:`membranelab.notebooks` start with ``from membranelab.app.selfstudy import SelfStudy``; this
module keeps that line working by re-exporting :class:`membranelab.notebooks.selfstudy.SelfStudy`.
"""

from membranelab.notebooks.selfstudy import SelfStudy

__all__ = ["SelfStudy"]
