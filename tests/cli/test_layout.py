"""The app layer's shape: public import paths that released notebooks and course configs name,
one module per command behind ``cli.main``, and user errors turned into one line only there."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from membranelab.cli import COMMANDS, build_parser, main, user_error

REPO = Path(__file__).resolve().parents[2]


class TestPublicPaths:
    def test_student_reexports_the_assignment_runtime(self):
        """``membranelab.student`` (what released notebooks import) is the assignment runtime."""
        import membranelab
        import membranelab.student as public
        from membranelab.notebooks import assignment as runtime

        assert public.__all__ == runtime.__all__
        for name in public.__all__ + ["ENV_VAR", "HUB_VAR", "FEEDBACK_VAR", "DEFAULT_FEEDBACK"]:
            assert getattr(public, name) is getattr(runtime, name), name
        assert membranelab.set_student is runtime.set_student

    def test_every_name_a_course_notebook_imports_exists(self):
        """Every ``from membranelab.student import a, b`` line of the built course resolves."""
        import membranelab.student as public

        names = set()
        for notebook in (REPO / "course" / "source").glob("*/*.ipynb"):
            text = notebook.read_text(encoding="utf-8")
            for found in re.findall(r"from membranelab\.student import ([\w, ]+)", text):
                names.update(n.strip() for n in found.split(","))
        assert {"check", "show_part", "show_variant"} <= names  # the course really uses them
        assert all(hasattr(public, name) for name in names), names

    def test_nbgrader_config_names_resolve(self):
        """The preprocessors course/nbgrader_config.py names import as nbgrader imports them."""
        from traitlets.utils.importstring import import_item

        from membranelab.notebooks import preprocessors

        config = (REPO / "course" / "nbgrader_config.py").read_text(encoding="utf-8")
        named = re.findall(r'"(membranelab\.nbgrader_ext\.\w+)"', config)
        assert len(named) == 4  # InjectStudentId, StripStudentId, RestoreAnswerCells, RestoreHiddenTests
        for dotted in named:
            assert import_item(dotted) is getattr(preprocessors, dotted.rsplit(".", 1)[1])

    def test_written_selfstudy_notebooks_still_import(self):
        """Notebooks written before the move start with ``from membranelab.app.selfstudy``."""
        from membranelab.app.selfstudy import SelfStudy
        from membranelab.notebooks.selfstudy import SelfStudy as runtime

        assert SelfStudy is runtime


class TestCommands:
    def test_one_module_with_run_per_command(self):
        """Every command of the parser but ``serve`` is one module with run(): the app's in
        app.commands, the course's in the course front end, and practice --notebook's in the
        notebooks front end."""
        from membranelab.cli import NOTEBOOK_COMMAND

        parser = build_parser("en")
        sub = next(a for a in parser._actions if a.dest == "command")
        assert set(sub.choices) == set(COMMANDS) | {"serve"}
        for module in [*COMMANDS.values(), NOTEBOOK_COMMAND]:
            assert callable(importlib.import_module(module).run)
        owners = {m.split(".")[1] for m in [*COMMANDS.values(), NOTEBOOK_COMMAND]}
        assert owners == {"app", "course", "notebooks"}


class TestOneLineErrors:
    def test_user_errors_and_bugs(self):
        """CliError and BankError are a user's error (their text, on one line); others a bug."""
        from membranelab.bank import BankError
        from membranelab.errors import CliError

        assert user_error(CliError("no such\n  file")) == "no such file"
        error = BankError("/x/demo.md", "parts[0].unit", "unknown unit\n'blorp'")
        assert user_error(error) == "demo.md: parts[0].unit: unknown unit 'blorp'"
        assert user_error(ValueError("a bug")) is None
        assert user_error(KeyError("demo")) is None

    @pytest.mark.parametrize("command", [("show", "nernst-potassium"), ("demo",),
                                         ("practice", "--notebook", "-o", "nb.ipynb")])
    def test_bank_error_of_a_variant_is_one_line(self, command, bank, monkeypatch, capsys,
                                                 tmp_path):
        """A BankError raised while a command builds a variant (not only while loading) is
        translated by main: exit 2 and one line, no incident, no traceback."""
        from membranelab.bank import BankError, Problem

        assert bank.problems  # loaded (and cached) before variants start failing

        def refuse(self, *args, **kwargs):
            raise BankError("demo.md", "constraints", "no parameter draw satisfies them")

        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(Problem, "variant", refuse)
        code = main(list(command))
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err and "incident" not in err
        assert err == ("membranelab: error: demo.md: constraints: no parameter draw "
                       "satisfies them\n")
