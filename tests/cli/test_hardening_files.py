"""Files as an attacker (or an accident) names them (issue 23): ``grade -o`` onto a link to the
answers, devices and FIFOs as inputs or progress files, timestamps that are not times, and
"Progress saved" only when it was."""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import pytest
from rich.console import Console

from membranelab.errors import CliError
from membranelab.service.answers_csv import parse_timestamp, read_answers
from membranelab.service.progress_store import ProgressStore

HEADER = "student,assignment,problem,part,answer\n"
ROW = "alice,practice,nernst-potassium,E_K,-95.02 mV\n"


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    return path


class TestGradeOutput:
    @pytest.mark.parametrize("link", ["symlink", "hardlink"])
    def test_output_onto_a_link_to_the_answers_is_refused(self, run, tmp_path, link):
        """-o naming a symlink (or hard link) to the answers file is refused; the answers stay."""
        answers = _answers(tmp_path)
        output = tmp_path / "grades.csv"
        (os.symlink if link == "symlink" else os.link)(answers, output)
        code, _, err = run("grade", str(answers), "-o", str(output))
        assert code == 2 and "would overwrite the answers file" in err
        assert answers.read_text(encoding="utf-8") == HEADER + ROW

    @pytest.mark.parametrize("option", ["--totals", "journal"])
    def test_totals_or_journal_onto_the_answers_is_refused(self, run, tmp_path, option):
        """--totals, or the grades' journal (GRADES.csv.partial), linked to the answers: refused."""
        answers = _answers(tmp_path)
        if option == "--totals":
            (tmp_path / "totals.csv").symlink_to(answers)
            argv = ["-o", str(tmp_path / "g.csv"), "--totals", str(tmp_path / "totals.csv")]
        else:
            (tmp_path / "g.csv.partial").symlink_to(answers)
            argv = ["-o", str(tmp_path / "g.csv")]
        code, _, err = run("grade", str(answers), *argv)
        assert code == 2 and "would overwrite the answers file" in err
        assert answers.read_text(encoding="utf-8") == HEADER + ROW

    def test_formulas_in_answers_are_escaped_in_the_grades(self, run, tmp_path):
        """=, +, @ (and - before text) at a cell's start get OWASP's quote in grades.csv; a plain
        negative number does not; fed back to grade, the quote is taken off again."""
        answers = tmp_path / "answers.csv"
        answers.write_text(HEADER + ROW + "bob,practice,nernst-potassium,E_K,=1+1\n"
                           "carol,practice,nernst-potassium,E_K,@SUM(A1)\n"
                           "dan,practice,nernst-potassium,E_K,-95.02\n", encoding="utf-8")
        code, _, err = run("grade", str(answers), "-o", str(tmp_path / "g.csv"), "-j", "1")
        assert code == 0, err
        rows = read_answers(tmp_path / "g.csv")
        assert [r.answer for r in rows] == ["-95.02 mV", "=1+1", "@SUM(A1)", "-95.02"]
        text = (tmp_path / "g.csv").read_text(encoding="utf-8")
        assert ",'-95.02 mV," in text and ",'=1+1," in text and ",'@SUM(A1)," in text
        assert ",-95.02," in text


class TestNotRegularFiles:
    @pytest.mark.parametrize("kind", ["device", "fifo"])
    def test_answers_must_be_a_regular_file(self, run, tmp_path, kind):
        """/dev/zero or a FIFO as the answers file: one line, at once (no read, no wait)."""
        source = "/dev/zero"
        if kind == "fifo":
            source = str(tmp_path / "pipe")
            os.mkfifo(source)
        code, _, err = run("grade", source, "-o", str(tmp_path / "g.csv"))
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert "not a regular file" in err

    @pytest.mark.parametrize("kind", ["device", "fifo"])
    def test_progress_file_must_be_a_regular_file(self, data_dir, kind):
        """A progress file that is /dev/zero or a FIFO is refused with a message."""
        data_dir.mkdir(parents=True)
        target = data_dir / "progress.json"
        if kind == "device":
            target.symlink_to("/dev/zero")
        else:
            os.mkfifo(target)
        with pytest.raises(CliError, match="cannot read progress file .*not a regular file"):
            ProgressStore()

    def test_practice_refuses_dev_zero_progress(self, run, data_dir):
        """``practice`` with /dev/zero as its progress file: exit 2 and one line."""
        data_dir.mkdir(parents=True)
        (data_dir / "progress.json").symlink_to("/dev/zero")
        code, _, err = run("practice", "--problem", "nernst-potassium")
        assert code == 2 and "not a regular file" in err and "Traceback" not in err


class TestTimestamps:
    @pytest.mark.parametrize("text", ["nan", "NaN", "1e400", "-1e400", "inf", "-inf"])
    def test_not_a_time(self, text):
        """nan and infinities are not times."""
        with pytest.raises(ValueError):
            parse_timestamp(text)

    def test_a_time(self):
        """Seconds and ISO 8601 still read (2026-01-01T00:00Z = 1767225600 s, by calendar)."""
        assert parse_timestamp("1767225600.5") == 1767225600.5
        assert math.isclose(parse_timestamp("2026-01-01T00:00:00Z"), 1767225600)

    def test_rows_with_such_timestamps_are_not_graded(self, tmp_path):
        """A row timestamped nan is not graded (listed, no score: issue 24), not ordered among
        the others."""
        path = tmp_path / "a.csv"
        path.write_text("student,assignment,problem,part,answer,timestamp\n"
                        "alice,practice,nernst-potassium,E_K,1 mV,nan\n", encoding="utf-8")
        (row,) = read_answers(path)
        assert row.error is None and row.timestamp is None
        assert row.ungraded == {"msg": "batch.stamp_unreadable", "value": "'nan'"}


class TestProgressSavedMessage:
    def test_not_said_when_not_written(self, bank, tmp_path):
        """A progress file that cannot be written: practice never says "Progress saved"."""
        from membranelab.app.commands.practice import run_practice

        # /proc refuses new files even to root
        store = ProgressStore(Path("/proc/self/membranelab-test/progress.json"))
        out = io.StringIO()
        code = run_practice(bank, Console(file=out, width=120), store, student="alice",
                            problem_ids=["nernst-potassium"], read=lambda _prompt: "q")
        assert code == 0
        assert "Progress saved" not in out.getvalue() and "NOT saved" in out.getvalue()
