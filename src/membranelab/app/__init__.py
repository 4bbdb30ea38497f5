"""The command line's application layer, by job (above the bank; :mod:`membranelab.cli` is its
argparse front end, :mod:`membranelab.notebooks` holds the notebook runtimes).

=========================  ================================================================"""

__all__: list[str] = []
