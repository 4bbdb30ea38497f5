"""membranelab.course.codescan: what a student's cells attempt, read without running them."""

from __future__ import annotations

import pytest

from membranelab.course.codescan import KINDS, scan

#: The notebook's own locked cells: their imports bind names, they are never flagged.
CONTEXT = ["from membranelab.student import read_back, check\nread_back('a', 'p', 'x', 1)"]


class TestScan:
    @pytest.mark.parametrize("source", [
        "import membranelab.student as ms\nms.check = lambda *a, **k: 1",
        "from membranelab import student\nsetattr(student, 'check', lambda *a, **k: 1)",
        "def check(*a, **k):\n    return 1",  # shadows the notebook's own import
        "import membranelab\nmembranelab.student.check = print",
        "from unittest import mock\nmock.patch('membranelab.student.check', lambda *a: 1).start()",
        "import membranelab.notebooks.assignment as a\ndel a._grade",
    ])
    def test_patching_membranelab(self, source):
        """Every spelling of changing membranelab is a patch."""
        assert "patch" in scan([source], CONTEXT)

    @pytest.mark.parametrize("source", [
        "from membranelab.course.key import answer_text",
        "import membranelab.service.secret",
        "import importlib\nimportlib.import_module('membranelab.course.key')",
        "k = __import__('membranelab.course.key')",
        "from membranelab.nbgrader_ext import InjectStudentId",
    ])
    def test_course_internals(self, source):
        """Imports of the course's internals, however spelled."""
        assert "internals" in scan([source], CONTEXT)

    @pytest.mark.parametrize("source", [
        "import os\nprint(os.environ)",
        "import os\nos.getenv('MEMBRANELAB_COURSE_SECRET')",
        "from os import environ",
        "%env",
        "!env | grep SECRET",
    ])
    def test_environment(self, source):
        """Reading the environment, in Python, by magic or by shell."""
        assert "environment" in scan([source], CONTEXT)

    @pytest.mark.parametrize("source", [
        "x = open('../../../.membranelab-secret').read()",
        "import pathlib\npathlib.Path.home().joinpath('.config').glob('*')",
        "import os\nos.listdir('..')",
        "import subprocess",
        "!cat ~/.config/membranelab/courses/*.secret",
    ])
    def test_files(self, source):
        """Reading or listing files."""
        assert "files" in scan([source], CONTEXT)

    @pytest.mark.parametrize("source", [
        'E_K = "-95.2 mV"',
        "from membranelab.physics import nernst_potential\n"
        'E_K = f"{1000 * nernst_potential(4, 140, 1, 310.15):.1f} mV"',
        "import math\nE = 61.5 * math.log10(4 / 140)",
        "%matplotlib inline\nimport numpy as np",
        "this is not python (",
    ])
    def test_honest_work_is_not_flagged(self, source):
        """Typed answers, computing with the package's physics, plain maths, a broken cell."""
        assert scan([source], CONTEXT) == ()

    def test_kinds_in_report_order(self):
        """Several attempts come back once each, in KINDS order."""
        source = ("import os, membranelab.student as s\nprint(os.environ)\nopen('x')\n"
                  "s.check = 1\nfrom membranelab.course import key")
        assert scan([source]) == KINDS
