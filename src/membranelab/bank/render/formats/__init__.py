"""One module per output format; each registers its :class:`~membranelab.bank.render.registry.
Format` when imported (the registry imports every module here).  A new format is a new module."""
