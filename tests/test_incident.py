"""Internal failures are logged with their traceback under an incident id the user is shown."""

from __future__ import annotations

import importlib
import logging
import re
import subprocess
import sys

import pytest

from membranelab import incident
from membranelab.incident import (
    enable_incident_log,
    internal_error,
    new_incident_id,
    record_incident,
)

ID = re.compile(r"incident ([0-9a-f]{6})\b")


def _incident_in(text: str) -> str:
    """The incident id quoted in ``text`` (fails the test when there is none)."""
    match = ID.search(text)
    assert match, f"no incident id in {text!r}"
    return match.group(1)


def _records_of(caplog, incident_id: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "incident", None) == incident_id]


def _assert_logged_with_traceback(caplog, incident_id: str, error: str) -> None:
    """Exactly one ERROR record carries ``incident_id``, with the traceback of ``error``."""
    (record,) = _records_of(caplog, incident_id)
    assert record.levelno == logging.ERROR and record.name.startswith("membranelab.")
    assert incident_id in record.getMessage()
    text = logging.Formatter().format(record)
    assert "Traceback (most recent call last)" in text and error in text


class TestRecordIncident:
    def test_ids_are_six_hex_digits_and_differ(self):
        """Ids are 6 lowercase hex digits; 200 draws give (almost surely) 200 ids."""
        ids = {new_incident_id() for _ in range(200)}
        assert all(re.fullmatch(r"[0-9a-f]{6}", i) for i in ids)
        assert len(ids) >= 199  # 200 draws from 16.7 million collide with probability ~0.1 %

    def test_logs_the_traceback_under_the_id(self, caplog):
        """Inside an except block the record has the id, the traceback and the context."""
        log = logging.getLogger("membranelab.test")
        try:
            {}["missing"]
        except KeyError:
            got = record_incident(log, "looking up %s", "missing")
        _assert_logged_with_traceback(caplog, got, "KeyError: 'missing'")
        assert _records_of(caplog, got)[0].getMessage() == f"incident {got}: looking up missing"

    def test_message_repeats_the_id(self):
        """The user's sentence quotes the id and asks them to tell their teacher."""
        assert internal_error("3f9a2c", lang="en") == (
            "internal error, incident 3f9a2c: please tell your teacher")
        assert "3f9a2c" in internal_error("3f9a2c", lang="zh")


class TestIncidentLog:
    def test_file_written_only_when_a_record_comes(self, tmp_path):
        """The log file appears at the first warning, with the traceback, and is reused."""
        path = tmp_path / "deep" / "m.log"
        assert enable_incident_log(path) == path
        assert enable_incident_log(path) == path  # idempotent: one handler
        logger = logging.getLogger("membranelab")
        handlers = [h for h in logger.handlers if getattr(h, "baseFilename", "") == str(path)]
        try:
            assert len(handlers) == 1 and not path.exists()
            try:
                raise ZeroDivisionError("division by zero")
            except ZeroDivisionError:
                got = record_incident(logging.getLogger("membranelab.test"), "dividing")
            handlers[0].flush()
            text = path.read_text(encoding="utf-8")
            assert f"incident {got}: dividing" in text and "ZeroDivisionError" in text
            assert "Traceback (most recent call last)" in text
        finally:
            for handler in handlers:
                logger.removeHandler(handler)
                handler.close()

    def test_unwritable_log_prints_nothing(self, tmp_path, capfd):
        """A log path that cannot be opened is ignored silently (no traceback on stderr)."""
        blocker = tmp_path / "file"
        blocker.write_text("x")
        path = blocker / "m.log"  # a file's child: cannot be created
        enable_incident_log(path)
        logger = logging.getLogger("membranelab")
        try:
            try:
                raise RuntimeError("x")
            except RuntimeError:
                record_incident(logging.getLogger("membranelab.test"), "unwritable")
            assert capfd.readouterr().err == ""
        finally:
            for handler in list(logger.handlers):
                if getattr(handler, "baseFilename", "") == str(path):
                    logger.removeHandler(handler)
                    handler.close()

    def test_default_path_honours_the_variable(self, monkeypatch, tmp_path):
        """``MEMBRANELAB_LOG`` names the file."""
        monkeypatch.setenv("MEMBRANELAB_LOG", str(tmp_path / "x.log"))
        assert incident.incident_log_path() == tmp_path / "x.log"


@pytest.fixture(scope="module")
def bank():
    from membranelab.bank import load_bank

    return load_bank()


def _broken(*_args, **_kwargs):
    raise RuntimeError("grader bug 42")


class TestForcedFailures:
    """A grader bug forced in each entry point: logged with traceback, id shown to the user."""

    def test_grade_part(self, bank, monkeypatch, caplog):
        """bank.grade_part: 0 points, note error.internal, the id in the student's feedback."""
        bank_grade = importlib.import_module("membranelab.bank.grade")  # the package exports grade()
        numeric = importlib.import_module("membranelab.bank.kinds.numeric")
        monkeypatch.setattr(numeric, "judge_quantity", _broken)
        problem = bank.problems["nernst-potassium"]
        variant = problem.variant("alice", "ps1")
        result = bank_grade.grade_part(problem, variant, problem.part("E_K"), "-90 mV")
        assert (result.correct, result.score, result.note) == (False, 0.0, "error.internal")
        got = _incident_in(result.feedback)
        assert result.feedback == internal_error(got, lang="en")
        assert result.message_id == "error.internal" and result.params == {"incident": got}
        assert got in result.render(lang="zh") and got in result.render(level="score")
        _assert_logged_with_traceback(caplog, got, "RuntimeError: grader bug 42")

    def test_batch_group(self, bank, monkeypatch, caplog):
        """app.batch.grade_group: the row scores 0 and its feedback quotes the incident."""
        from membranelab.app.batch import pipeline as batch

        monkeypatch.setattr(batch.GradingService, "grade_problem", _broken)
        [(index, row)] = batch.grade_group(bank, "al", "hw1", "nernst-potassium",
                                           [(0, "E_K", "1 mV")])
        assert index == 0 and row[:4] == ["0", "1", "false", "grader.error"]
        _assert_logged_with_traceback(caplog, _incident_in(row[4]), "grader bug 42")

    def test_notebook_check(self, monkeypatch, capfd, caplog, incident_log):
        """student.check: 0 points, the id on stdout, nothing on stderr, traceback in the log."""
        from membranelab.notebooks import assignment as student

        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        monkeypatch.setattr(student, "_grade", _broken)
        assert student.check("ps1", "nernst-potassium", "E_K", "-90 mV") == 0
        out, err = capfd.readouterr()
        got = _incident_in(out)
        assert err == "" and "Traceback" not in out
        _assert_logged_with_traceback(caplog, got, "grader bug 42")
        for handler in logging.getLogger("membranelab").handlers:
            handler.flush()
        assert f"incident {got}" in incident_log.read_text(encoding="utf-8")

    def test_command_line(self, tmp_path):
        """The CLI: exit 70, one stderr line quoting the id, the traceback only in the log."""
        log = tmp_path / "cli.log"
        code = ("import sys, membranelab.cli as c\n"
                "def boom(*args): raise RuntimeError('grader bug 42')\n"
                "c._run = boom\n"
                "sys.exit(c.main(['list']))\n")
        env = {**__import__("os").environ, "MEMBRANELAB_LOG": str(log)}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, timeout=600)
        assert done.returncode == 70 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        got = _incident_in(done.stderr)
        assert str(log) in done.stderr
        text = log.read_text(encoding="utf-8")
        assert f"incident {got}: command line ['list'] failed" in text
        assert "Traceback (most recent call last)" in text and "grader bug 42" in text

    def test_formula_equivalence(self, monkeypatch, caplog):
        """grading.check_formula: a failing equivalence test is needs_review, never a silent 0,
        and the student's message quotes the incident."""
        formula = importlib.import_module("membranelab.grading.formula")
        monkeypatch.setattr(formula, "equivalent", _broken)
        result = formula.check_formula("R*T/F", "R*T/F", ["R", "T", "F"])
        assert (result.correct, result.note) == (False, "needs_review")
        got = result.params["incident"]
        assert f"incident {got}" in result.render(lang="en")
        _assert_logged_with_traceback(caplog, got, "grader bug 42")

    def test_formula_parser(self, monkeypatch, caplog):
        """grading.parse_expression: a crash inside the parser refuses the answer (no try) and
        quotes the incident, instead of blaming the student's text."""
        from membranelab.grading import check_formula

        check_formula("R*T/F", "R*T/F", ["R", "T", "F"])  # the reference parsed and kept first
        # the one grammar both back ends run (the plain-tree fast path, then the sympy path)
        grammar = importlib.import_module("membranelab.grading.grammar")
        monkeypatch.setattr(grammar.Parser, "parse", _broken)
        # an answer not read before (a reading already made is kept: numtree.PARSED_KEPT)
        result = check_formula("T*R/F", "R*T/F", ["R", "T", "F"])
        assert (result.correct, result.readable) == (False, False)
        got = _incident_in(result.render(lang="en"))
        _assert_logged_with_traceback(caplog, got, "grader bug 42")

    def test_notebook_show_part(self, monkeypatch, capfd, caplog):
        """student.show_part: a failure prints the incident for the teacher, no traceback."""
        from membranelab.notebooks import assignment as student

        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        monkeypatch.setattr(student, "_variant", _broken)
        student.show_part("ps1", "nernst-potassium", "E_K")
        out, err = capfd.readouterr()
        assert err == "" and "Traceback" not in out
        _assert_logged_with_traceback(caplog, _incident_in(out), "grader bug 42")
