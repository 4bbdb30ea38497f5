"""``python -m membranelab``: the same as the ``membranelab`` command."""

import sys

from membranelab.cli import main

sys.exit(main())
