"""Plot kinds of worked-solution figures, found in a registry (the protocol:
:class:`membranelab.bank.protocols.PlotKind`).

Built in: :class:`~.sweep.Sweep` (``sweep``) and :class:`~.noise_trace.NoiseTrace`
(``noise_trace``). :mod:`membranelab.bank.figures` draws any registered kind.
"""

from __future__ import annotations

# The built-in kinds, registered in this order (the order messages list them in).
from . import sweep, noise_trace  # noqa: F401, I001  # isort: skip
from .base import (
    PLOTS,
    PlotContext,
    PlotKind,
    plot_class,
    plot_names,
    register,
    unregister,
)
from .noise_trace import NoiseTrace
from .sweep import Sweep

__all__ = ["PLOTS", "NoiseTrace", "PlotContext", "PlotKind", "Sweep", "plot_class", "plot_names",
           "register", "unregister"]
