"""``membranelab grade``: batch grading of an answers CSV, resumable after SIGKILL."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import time

import pytest

from membranelab.service.spreadsheet import unescape_cell

from .conftest import command, subprocess_env, write_answers

HEADER = "student,assignment,problem,part,answer\n"


def read_grades(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


class TestGradeHappyPath:
    def test_grades_in_input_order_with_summary(self, run, bank, tmp_path):
        """Every row is graded, in input order, with the summary table on stdout."""
        answers = write_answers(tmp_path / "answers.csv", bank, 30)
        out_file = tmp_path / "grades.csv"
        code, out, err = run("grade", str(answers), "-o", str(out_file), "-j", "1")
        assert code == 0, err
        assert "Grading summary" in out and "graded 30" in out
        grades = read_grades(out_file)
        given = list(csv.DictReader(answers.open(encoding="utf-8")))
        # answers starting with "-" carry OWASP's leading quote in the grades file
        assert [(g["student"], g["problem"], g["part"], unescape_cell(g["answer"]))
                for g in grades] == [
            (a["student"], a["problem"], a["part"], a["answer"]) for a in given]
        assert not (tmp_path / "grades.csv.partial").exists()

    def test_right_wrong_and_hostile_answers(self, run, bank, tmp_path):
        """A right answer scores its points, a typical mistake is named, a hostile one scores 0."""
        problem = bank.problems["nernst-potassium"]
        right = problem.variant("alice", "hw1").answers()["E_K"].text
        log10 = problem.variant("bob", "hw1").mistake_values("E_K")["log10"]
        (tmp_path / "a.csv").write_text(
            HEADER + f"alice,hw1,nernst-potassium,E_K,{right} mV\n"
            f"bob,hw1,nernst-potassium,E_K,{log10:.4g} mV\n"
            "cy,hw1,nernst-potassium,E_K,\"__import__('os').system('rm -rf /')\"\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"))
        assert code == 0, err
        rows = read_grades(tmp_path / "g.csv")
        assert [r["score"] for r in rows] == ["1", "0", "0"]
        assert rows[0]["correct"] == "true"
        assert "log10" in rows[1]["note"] and "log10" in rows[1]["feedback"]
        assert rows[2]["note"].startswith("parse")

    def test_malformed_rows_graded_zero_not_fatal(self, run, bank, tmp_path):
        """Malformed rows, unknown problems and parts are reported and graded 0; the rest graded."""
        right = bank.problems["nernst-potassium"].variant("bob", "hw1").answers()["E_K"].text
        (tmp_path / "a.csv").write_text(
            HEADER + "bob,hw1,nernst-potassium\n"
            ",hw1,nernst-potassium,E_K,1 mV\n"
            "bob,hw1,no-such-problem,E_K,1 mV\n"
            "bob,hw1,nernst-potassium,no_part,1 mV\n"
            f"bob,hw1,nernst-potassium,E_K,{right} mV\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"))
        assert code == 0
        assert "a.csv:2: malformed row (row has 3 fields, expected 5); graded 0" in err
        assert "a.csv:3: malformed row (empty student); graded 0" in err
        notes = [r["note"] for r in read_grades(tmp_path / "g.csv")]
        assert notes == ["row.malformed", "row.malformed", "problem.unknown", "part.unknown",
                         "correct"]

    def test_resubmission_keeps_the_last_row(self, run, bank, tmp_path):
        """The same part answered twice: the last row is graded, the first is superseded (0
        points, not counted) and the summary says so."""
        right = bank.problems["nernst-potassium"].variant("cy", "hw1").answers()["E_K"].text
        (tmp_path / "a.csv").write_text(HEADER + f"cy,hw1,nernst-potassium,E_K,{right} mV\n"
                                        "cy,hw1,nernst-potassium,E_K,1 mV\n")
        code, out, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"))
        assert code == 0, err
        rows = read_grades(tmp_path / "g.csv")
        assert [(r["note"], r["score"], r["points"]) for r in rows] == [
            ("row.superseded", "0", "0"), (rows[1]["note"], "0", "1")]
        assert rows[1]["correct"] == "false" and "line 3" in rows[0]["feedback"]
        assert "1 superseded by a later answer" in " ".join(out.split())

    def test_latest_timestamp_wins_over_file_order(self, run, bank, tmp_path):
        """With a timestamp column, the latest answer counts wherever it is in the file."""
        right = bank.problems["nernst-potassium"].variant("cy", "hw1").answers()["E_K"].text
        (tmp_path / "a.csv").write_text(
            "student,assignment,problem,part,answer,timestamp\n"
            f"cy,hw1,nernst-potassium,E_K,{right} mV,2025-03-03T10:20:00+01:00\n"
            "cy,hw1,nernst-potassium,E_K,1 mV,2025-03-03T09:15:00Z\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"))
        assert code == 0, err
        rows = read_grades(tmp_path / "g.csv")
        # 10:20+01:00 is 09:20Z, later than 09:15Z: the first row (right) wins
        assert [r["note"] for r in rows] == ["correct", "row.superseded"]

    def test_unreadable_timestamp_leaves_the_row_ungraded(self, run, bank, tmp_path):
        """A timestamp that cannot be read is reported with its line, never guessed, and its
        row is not graded (no score, not a 0)."""
        (tmp_path / "a.csv").write_text(
            "student,assignment,problem,part,answer,timestamp\n"
            "cy,hw1,nernst-potassium,E_K,1 mV,next tuesday\n")
        code, _, err = run("grade", str(tmp_path / "a.csv"), "-o", str(tmp_path / "g.csv"))
        assert code == 0
        assert "a.csv:2: cy, part E_K: not graded: timestamp 'next tuesday' cannot be read" in err
        row = read_grades(tmp_path / "g.csv")[0]
        assert (row["note"], row["score"], row["points"]) == ("row.ungraded", "", "")

    def test_json_output(self, run, bank, tmp_path):
        """--json prints the summary and every row, machine-readable."""
        answers = write_answers(tmp_path / "answers.csv", bank, 12)
        code, out, _ = run("grade", str(answers), "--json", "-j", "1")
        assert code == 0
        data = json.loads(out)
        assert data["summary"]["rows"] == 12 and data["summary"]["graded"] == 12
        assert len(data["rows"]) == 12
        assert set(data["rows"][0]) >= {"student", "problem", "part", "score", "feedback"}
        assert isinstance(data["rows"][0]["score"], float)

    def test_parallel_equals_serial(self, run, bank, tmp_path):
        """Two worker processes write the same bytes as one."""
        answers = write_answers(tmp_path / "answers.csv", bank, 200)
        run("grade", str(answers), "-o", str(tmp_path / "g1.csv"), "-j", "1")
        code, _, err = run("grade", str(answers), "-o", str(tmp_path / "g2.csv"), "-j", "2")
        assert code == 0, err
        assert (tmp_path / "g1.csv").read_bytes() == (tmp_path / "g2.csv").read_bytes()


class TestGradeErrors:
    @pytest.mark.parametrize(("content", "message"), [
        (None, "no such file"),
        ("", "the file is empty"),
        ("a,b\n1,2\n", "missing column(s) student, assignment, problem, part, answer"),
        (b"student,assignment,problem,part,answer\n\xff\xfe,x\n", "not UTF-8 text"),
    ])
    def test_unreadable_answers(self, run, tmp_path, content, message):
        """A missing, empty, header-less or non-UTF-8 file: one line on stderr, exit code 2."""
        path = tmp_path / "a.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content)
        code, out, err = run("grade", str(path), "-o", str(tmp_path / "g.csv"))
        assert code == 2 and out == ""
        assert err.startswith("membranelab: error: ") and message in err
        assert err.count("\n") == 1

    def test_directory_as_answers(self, run, tmp_path):
        """A directory is not a CSV file."""
        code, _, err = run("grade", str(tmp_path), "-o", str(tmp_path / "g.csv"))
        assert code == 2 and "is a directory" in err

    def test_needs_output_or_json(self, run, tmp_path):
        """Without -o or --json there is nowhere to put the grades."""
        (tmp_path / "a.csv").write_text(HEADER)
        code, _, err = run("grade", str(tmp_path / "a.csv"))
        assert (code, err) == (2, "membranelab: error: grade needs -o GRADES.csv "
                                  "(or --json to print the grades)\n")

    def test_bad_jobs(self, run, tmp_path):
        """-j 0 is refused; -j abc is refused by the option parser in one line."""
        (tmp_path / "a.csv").write_text(HEADER)
        assert run("grade", str(tmp_path / "a.csv"), "--json", "-j", "0")[0] == 2
        code, _, err = run("grade", str(tmp_path / "a.csv"), "--json", "-j", "abc")
        assert code == 2 and err.count("\n") == 1 and "invalid int value" in err


def _journal_rows(path) -> int:
    """Distinct rows in a journal's complete lines."""
    if not path.exists():
        return 0
    keys = set()
    for line in path.read_bytes().splitlines(keepends=True):
        if line.endswith(b"\n"):
            try:
                keys.add(json.loads(line)["k"])
            except (ValueError, KeyError):
                pass
    return len(keys)


class TestGradeResume:
    ROWS = 15000

    def test_sigkill_then_resume_is_byte_identical(self, bank, tmp_path):
        """Kill -9 mid-batch, re-run: only the rest is graded and the file equals a clean run's."""
        answers = write_answers(tmp_path / "answers.csv", bank, self.ROWS)
        env = subprocess_env(tmp_path / "data")
        reference = tmp_path / "reference.csv"
        subprocess.run(command() + ["grade", str(answers), "-o", str(reference), "-j", "1"],
                       env=env, check=True, capture_output=True, timeout=600)

        output = tmp_path / "grades.csv"
        journal = tmp_path / "grades.csv.partial"
        proc = subprocess.Popen(command() + ["grade", str(answers), "-o", str(output), "-j", "2"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 600  # a hang detector, not a speed claim
        while _journal_rows(journal) < 300 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its worker processes too
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL, "the batch finished before it could be killed"
        assert not output.exists()
        done = _journal_rows(journal)
        assert 0 < done < self.ROWS

        result = subprocess.run(command() + ["grade", str(answers), "-o", str(output), "-j", "2"],
                                env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        graded = int(re.search(r"graded (\d+) in", result.stdout).group(1))
        resumed = int(re.search(r"resumed (\d+) from the journal", result.stdout).group(1))
        assert (resumed, graded) == (done, self.ROWS - done)
        assert output.read_bytes() == reference.read_bytes()
        assert not journal.exists()

    def test_ctrl_c_saves_and_resumes(self, bank, tmp_path):
        """SIGINT (Ctrl-C): exit 130 with a one-line message, the journal kept, then resumed."""
        answers = write_answers(tmp_path / "answers.csv", bank, 12000)
        env = subprocess_env(tmp_path / "data")
        output, journal = tmp_path / "grades.csv", tmp_path / "grades.csv.partial"
        proc = subprocess.Popen(command() + ["grade", str(answers), "-o", str(output), "-j", "2"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 600  # a hang detector, not a speed claim
        while _journal_rows(journal) < 100 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 130, err
        assert err.strip().endswith("run the same command again to resume")
        assert err.count("\n") == 1 and "Traceback" not in err
        done = _journal_rows(journal)
        result = subprocess.run(command() + ["grade", str(answers), "-o", str(output), "-j", "1"],
                                env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert f"resumed {done} from the journal" in result.stdout
        assert len(read_grades(output)) == 12000

    def test_torn_journal_line_is_ignored(self, run, bank, tmp_path):
        """A half-written last journal line is dropped and that row graded again."""
        answers = write_answers(tmp_path / "answers.csv", bank, 20)
        run("grade", str(answers), "-o", str(tmp_path / "reference.csv"), "-j", "1")
        from membranelab.app.batch.pipeline import grade_file

        journal = tmp_path / "g.csv.partial"
        report = grade_file(answers, tmp_path / "first.csv", jobs=1, progress=False)
        lines = [json.dumps({"k": r.key, "o": report.results[r.index]}) for r in report.rows]
        journal.write_text("\n".join(lines[:10]) + "\n" + lines[10][:15])
        code, out, _ = run("grade", str(answers), "-o", str(tmp_path / "g.csv"), "-j", "1")
        assert code == 0 and "resumed 10 from the journal" in out and "graded 10 in" in out
        assert (tmp_path / "g.csv").read_bytes() == (tmp_path / "reference.csv").read_bytes()

    def test_changed_row_is_regraded(self, run, bank, tmp_path):
        """A journal entry whose row changed since (same position, new answer) is not reused."""
        answers = write_answers(tmp_path / "answers.csv", bank, 10)
        from membranelab.app.batch.pipeline import grade_file

        report = grade_file(answers, None, jobs=1, progress=False)
        (tmp_path / "g.csv.partial").write_text("".join(
            json.dumps({"k": r.key, "o": report.results[r.index]}) + "\n" for r in report.rows))
        text = answers.read_text().splitlines()
        text[1] = ",".join(text[1].split(",")[:4] + ["42 mV"])
        answers.write_text("\n".join(text) + "\n")
        code, out, _ = run("grade", str(answers), "-o", str(tmp_path / "g.csv"), "-j", "1")
        assert code == 0 and "resumed 9 from the journal" in out and "graded 1 in" in out


class TestGradeOutput:
    def test_output_in_new_directory(self, run, bank, tmp_path):
        """The grades file's directory is created if needed."""
        answers = write_answers(tmp_path / "answers.csv", bank, 3)
        code, _, err = run("grade", str(answers), "-o", str(tmp_path / "new" / "g.csv"), "-j", "1")
        assert code == 0, err
        assert (tmp_path / "new" / "g.csv").exists()

    def test_unwritable_output(self, run, bank, tmp_path):
        """A grades file that cannot be written: exit 2, one line."""
        answers = write_answers(tmp_path / "answers.csv", bank, 3)
        (tmp_path / "blocker").write_text("a file, not a directory")
        code, _, err = run("grade", str(answers), "-o", str(tmp_path / "blocker" / "g.csv"))
        assert code == 2 and err.startswith("membranelab: error: ") and err.count("\n") == 1

    def test_no_progress_bar_without_terminal(self, run, bank, tmp_path):
        """With stderr not a terminal, nothing but warnings goes to stderr (here: the review
        line of the one unreadable, hostile, answer)."""
        answers = write_answers(tmp_path / "answers.csv", bank, 5)
        code, _, err = run("grade", str(answers), "-o", str(tmp_path / "g.csv"), "-j", "1")
        assert code == 0
        assert [line for line in err.splitlines() if "unreadable answer" not in line] == []
        assert err.count("\n") == 1

    def test_progress_bar_in_terminal(self, bank, tmp_path):
        """In a terminal the progress bar is drawn, then the summary."""
        import pexpect

        answers = write_answers(tmp_path / "answers.csv", bank, 300)
        argv = command() + ["grade", str(answers), "-o", str(tmp_path / "g.csv"), "-j", "2"]
        child = pexpect.spawn(argv[0], argv[1:], env=subprocess_env(tmp_path / "d"),
                              encoding="utf-8", timeout=300, dimensions=(40, 120))
        child.expect("grading")
        child.expect("300/300")
        child.expect("Grading summary")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0


def _die(_group):
    """A worker request that ends its process abruptly (stands in for an OOM kill); the pool
    sends it by reference, so the worker imports it from this module."""
    os._exit(1)


class TestWorkerCrash:
    def test_dead_worker_is_one_line_and_resumable(self, run, bank, tmp_path, monkeypatch):
        """A worker process dying: exit 2, one line saying how to resume, no traceback."""
        from membranelab.app.batch import pool as batch_pool

        answers = write_answers(tmp_path / "answers.csv", bank, 100)
        monkeypatch.setattr(batch_pool, "_grade", _die)
        code, _, err = run("grade", str(answers), "-o", str(tmp_path / "g.csv"), "-j", "2")
        assert code == 2 and err.count("\n") == 1
        assert "a grading worker process died" in err and "run the same command again" in err
        assert not (tmp_path / "g.csv").exists()


class TestGradeGroup:
    def test_grader_exception_is_zero_not_fatal(self, bank, monkeypatch):
        """If the grader ever raised, the rows get 0 with a note, and the batch goes on."""
        from membranelab.app.batch import pipeline as batch

        def broken(*_args):
            raise RuntimeError("bug")

        monkeypatch.setattr(batch.GradingService, "grade_problem", broken)
        [(index, row)] = batch.grade_group(bank, "al", "hw1", "nernst-potassium",
                                           [(0, "E_K", "1 mV")])
        assert index == 0 and row[:4] == ["0", "1", "false", "grader.error"] and row[5] == ""
        assert re.fullmatch(r"internal error, incident [0-9a-f]{6}: please tell your teacher",
                            row[4])
