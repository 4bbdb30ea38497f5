"""The pieces that keep data safe: atomic writes, the progress store, the CSV reader, the journal."""

from __future__ import annotations

import json
import os

import pytest

from membranelab.app.batch.journal import Journal, journal_path
from membranelab.atomic import append_durably, atomic_write_text
from membranelab.errors import CliError
from membranelab.service.answers_csv import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    grades_csv_text,
    read_answers,
)
from membranelab.service.progress_store import DATA_DIR_ENV, ProgressStore, data_dir


class TestAtomicWriteText:
    def test_replaces_content_and_leaves_no_temp_file(self, tmp_path):
        """The target holds the new text and no temporary file remains."""
        target = tmp_path / "f.txt"
        target.write_text("old")
        atomic_write_text(target, "new")
        assert target.read_text() == "new"
        assert os.listdir(tmp_path) == ["f.txt"]

    def test_failure_keeps_old_file(self, tmp_path, monkeypatch):
        """If the rename fails, the old file is intact and the temp file removed."""
        target = tmp_path / "f.txt"
        target.write_text("old")

        def boom(*_args):
            raise OSError("disk on fire")

        monkeypatch.setattr(os, "replace", boom)
        with pytest.raises(OSError, match="disk on fire"):
            atomic_write_text(target, "new")
        assert target.read_text() == "old" and os.listdir(tmp_path) == ["f.txt"]

    def test_creates_parent_directories(self, tmp_path):
        """Missing parent directories are created."""
        atomic_write_text(tmp_path / "a" / "b" / "f.txt", "x")
        assert (tmp_path / "a" / "b" / "f.txt").read_text() == "x"

    def test_append_durably(self, tmp_path):
        """Appends accumulate."""
        append_durably(tmp_path / "j", "a\n")
        append_durably(tmp_path / "j", "b\n")
        assert (tmp_path / "j").read_text() == "a\nb\n"


class TestProgressStore:
    def test_data_dir_env_override(self, tmp_path, monkeypatch):
        """$MEMBRANELAB_DATA_DIR wins over the platform directory."""
        monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "x"))
        assert data_dir() == tmp_path / "x"
        monkeypatch.delenv(DATA_DIR_ENV)
        assert "membranelab" in str(data_dir())

    def test_round_trip(self, data_dir):
        """Saved progress is read back by a new store."""
        store = ProgressStore()
        progress = store.get("alice", "p1")
        progress.part, progress.tries["a"], progress.scores["a"] = 1, 2, 0.5
        store.save()
        again = ProgressStore().get("alice", "p1")
        assert (again.part, again.tries, again.scores) == (1, {"a": 2}, {"a": 0.5})
        assert (data_dir / "progress.json").exists()

    def test_reset_forgets_one_student(self):
        """reset() drops one student's entries only."""
        store = ProgressStore()
        store.get("alice", "p").part = 1
        store.get("bob", "p").part = 2
        store.reset("alice")
        store.save()
        again = ProgressStore()
        assert not again.known("alice", "p") and again.get("bob", "p").part == 2

    def test_concurrent_sessions_of_two_students(self):
        """Two stores open at once, each saving its own student: neither loses the other's."""
        first, second = ProgressStore(), ProgressStore()
        first.get("alice", "p").part = 1
        first.save()
        second.get("bob", "p").part = 2
        second.save()
        first.get("alice", "p").part = 3
        first.save()
        again = ProgressStore()
        assert (again.get("alice", "p").part, again.get("bob", "p").part) == (3, 2)

    @pytest.mark.parametrize("content", ["{not json", '{"version": 99}', '[1, 2]',
                                         '{"version": 1, "students": [1]}'])
    def test_corrupt_file_is_a_cli_error(self, data_dir, content):
        """A corrupt or foreign file is a CliError naming the file."""
        data_dir.mkdir(parents=True)
        (data_dir / "progress.json").write_text(content)
        with pytest.raises(CliError, match="cannot read progress file"):
            ProgressStore()


class TestReadAnswers:
    def test_columns_in_any_order_with_extras(self, tmp_path):
        """Header names are matched case-insensitively; extra columns are ignored."""
        path = tmp_path / "a.csv"
        path.write_text("Answer,Part,extra,Problem,Assignment,Student\n"
                        "-90 mV,E_K,zz,p1,hw1,alice\n", encoding="utf-8-sig")
        (row,) = read_answers(path)
        assert (row.student, row.assignment, row.problem, row.part, row.answer) == (
            "alice", "hw1", "p1", "E_K", "-90 mV")
        assert row.error is None and row.line == 2

    @pytest.mark.parametrize("delimiter", [";", "\t"])
    def test_spreadsheet_delimiters(self, tmp_path, delimiter):
        """Semicolon- and tab-separated exports are read too."""
        path = tmp_path / "a.csv"
        path.write_text(delimiter.join(INPUT_COLUMNS) + "\n" + delimiter.join(
            ["alice", "hw1", "p1", "E_K", "-90,5 mV"]) + "\n")
        (row,) = read_answers(path)
        assert (row.student, row.answer, row.error) == ("alice", "-90,5 mV", None)

    def test_quoted_commas_and_newlines(self, tmp_path):
        """A quoted answer may contain commas and newlines."""
        path = tmp_path / "a.csv"
        path.write_text(",".join(INPUT_COLUMNS) + '\na,h,p,q,"1,5\nmV"\nb,h,p,q,2\n')
        rows = read_answers(path)
        assert rows[0].answer == "1,5\nmV" and rows[1].line == 4

    def test_blank_lines_skipped(self, tmp_path):
        """Blank lines are not rows."""
        path = tmp_path / "a.csv"
        path.write_text(",".join(INPUT_COLUMNS) + "\n\na,h,p,q,1\n\n")
        assert len(read_answers(path)) == 1

    def test_keys_depend_on_position_and_content(self, tmp_path):
        """Two identical rows get different keys; the same file gives the same keys."""
        path = tmp_path / "a.csv"
        path.write_text(",".join(INPUT_COLUMNS) + "\na,h,p,q,1\na,h,p,q,1\n")
        first, second = read_answers(path)
        assert first.key != second.key
        assert [r.key for r in read_answers(path)] == [first.key, second.key]


class TestGradesCsv:
    def test_header_and_rows(self):
        """Header first, then the rows, LF line endings."""
        text = grades_csv_text([["a"] * len(OUTPUT_COLUMNS)])
        assert text.splitlines()[0] == ",".join(OUTPUT_COLUMNS) and text.endswith("a\n")


#: One row's result fields as the batch journals them.
ROW_RESULT = ["1", "1", "true", "correct", "Correct.", "-95 mV"]


class TestJournal:
    def test_path_beside_output(self, tmp_path):
        """GRADES.csv -> GRADES.csv.partial."""
        assert journal_path(tmp_path / "g.csv") == tmp_path / "g.csv.partial"

    def test_append_load_remove(self, tmp_path):
        """Appended entries load back by key; remove deletes the file."""
        journal = Journal(tmp_path / "j")
        one, two = ROW_RESULT, ["0", "1", "false", "value.incorrect", "Not correct.", "-95 mV"]
        journal.append([("k1", one), ("k2", two)])
        assert journal.load() == {"k1": one, "k2": two}
        journal.remove()
        assert not (tmp_path / "j").exists() and journal.load() == {}

    def test_torn_tail_dropped_and_cut(self, tmp_path):
        """An unterminated last line is ignored and truncated so appends stay line-aligned."""
        path = tmp_path / "j"
        path.write_text(json.dumps({"k": "a", "o": ROW_RESULT}) + "\n" + '{"k": "b", "o"')
        journal = Journal(path)
        assert journal.load() == {"a": ROW_RESULT}
        journal.append([("c", ROW_RESULT)])
        assert journal.load() == {"a": ROW_RESULT, "c": ROW_RESULT}


class TestJournalShapes:
    @pytest.mark.parametrize("line", [
        b"[1, 2]", b"42", b'"text"', b'{"k": 1, "o": []}', b'{"k": "a", "o": ["1"]}',
        b'{"k": "a", "o": ["x", "1", "true", "n", "f", "e"]}',
        b'{"k": "a", "o": ["1e400", "1", "true", "n", "f", "e"]}',
        b'{"k": "a", "o": ["1", "1", "maybe", "n", "f", "e"]}',
        b'{"k": "a", "o": [1, 1, true, "n", "f", "e"]}', b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe", b"null",
    ])
    def test_wrong_shape_line_is_ignored(self, tmp_path, line):
        """A journal line that is not one of ours is skipped (the row is regraded), never a
        crash; the good lines around it are kept."""
        path = tmp_path / "g.csv.partial"
        good = b'{"k": "b", "o": ["1", "1", "true", "correct", "Correct.", "-95 mV"]}\n'
        path.write_bytes(good + line + b"\n" + good.replace(b'"b"', b'"c"'))
        done = Journal(path).load()
        assert sorted(done) == ["b", "c"]
        assert done["b"] == ["1", "1", "true", "correct", "Correct.", "-95 mV"]

    def test_grade_resumes_over_a_bad_journal_line(self, tmp_path, bank):
        """grade with a journal holding a wrong-shape line: exit 0, every row graded."""
        import subprocess
        import sys

        from .conftest import write_answers

        answers = write_answers(tmp_path / "a.csv", bank, 6)
        out = tmp_path / "g.csv"
        journal_path(out).write_text('{"k": "x", "o": ["1"]}\n[[[]]]\n')
        result = subprocess.run([sys.executable, "-m", "membranelab", "grade", str(answers),
                                 "-o", str(out), "-j", "1", "--no-progress"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert len(out.read_text().splitlines()) == 7
