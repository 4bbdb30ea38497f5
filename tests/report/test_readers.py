"""The readers: a grades CSV as ``membranelab grade`` writes it and a real class-mode database
(written with the web front end's own ClassDB, read back without it)."""

from __future__ import annotations

import os
import stat

import pytest

from membranelab.report import PartRecord, ReportInputError, read_source
from membranelab.report.read_csv import read_grades_csv
from membranelab.report.sources import source_kind

HEADER = "student,assignment,problem,part,answer,score,points,correct,note,feedback,expected\n"


def _choice(problem: str, part: str, answer: str) -> str | None:
    """A stand-in for the bank: part 'dir' of problem 'p' has choices in/out (or a/b)."""
    if (problem, part) != ("p", "dir"):
        return None
    return {"in": "in", "a": "in", "out": "out", "b": "out"}.get(answer.strip().lower())


class TestGradesCsv:
    def test_rows_become_records(self, tmp_path):
        """Score and points as written; first try's note and answer; ids as in the file."""
        path = tmp_path / "grades.csv"
        path.write_text(HEADER +
                        "alice,hw1,p,E_K,-89 mV,2,2,true,correct,Correct.,-89 mV\n"
                        "alice,hw1,p,dir,b,0,1,false,choice.wrong,Not correct.,in\n"
                        "bob,hw1,p,E_K,-39 mV,0,2,false,mistake.log10,log10?,-89 mV\n",
                        encoding="utf-8")
        records = read_grades_csv(path, _choice)
        assert records == [
            PartRecord("alice", "hw1", "p", "E_K", 2.0, 2.0, "correct", "-89 mV", None, 0, 1),
            PartRecord("alice", "hw1", "p", "dir", 0.0, 1.0, "choice.wrong", "b", "out", 0, 1),
            PartRecord("bob", "hw1", "p", "E_K", 0.0, 2.0, "mistake.log10", "-39 mV", None, 0, 1),
        ]

    def test_resubmissions_first_try_and_counted_score(self, tmp_path):
        """Of bob's two rows the first (superseded, 0 points) is the first try and the counted
        one gives the score; a malformed row is left out."""
        path = tmp_path / "grades.csv"
        path.write_text(HEADER +
                        "bob,hw1,p,E_K,-39 mV,0,0,false,row.superseded,Superseded,\n"
                        "bob,hw1,p,E_K,-89 mV,2,2,true,correct,Correct.,-89 mV\n"
                        ",,,,,0,0,false,row.malformed,empty student,\n",
                        encoding="utf-8")
        [record] = read_grades_csv(path)
        assert (record.score, record.points, record.tries) == (2.0, 2.0, 2)
        assert (record.note, record.answer) == ("row.superseded", "-39 mV")

    def test_bom_and_extra_columns(self, tmp_path):
        """A UTF-8 BOM (spreadsheet export) and extra columns in another order are fine;
        Chinese ids are kept."""
        path = tmp_path / "grades.csv"
        path.write_text("\ufeffnote,extra,points,score,answer,part,problem,assignment,student\n"
                        "correct,x,1,1,－８９ｍＶ,E_K,p,作业一,张三\n", encoding="utf-8")
        [record] = read_grades_csv(path)
        assert (record.student, record.assignment, record.answer) == ("张三", "作业一", "－８９ｍＶ")

    @pytest.mark.parametrize(("text", "key"), [
        ("student,assignment\nalice,hw1\n", "report.error.columns"),
        (HEADER + "alice,hw1,p,E_K,1,two,2,false,x,,\n", "report.error.bad_number"),
        (HEADER + "alice,hw1,p,E_K,1,-1,2,false,x,,\n", "report.error.bad_number"),
        (HEADER + "alice,hw1,p,E_K,1,nan,2,false,x,,\n", "report.error.bad_number"),
    ])
    def test_bad_files_are_one_error(self, tmp_path, text, key):
        """A missing column or a score that is not a number of points: ReportInputError."""
        path = tmp_path / "grades.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ReportInputError) as caught:
            read_grades_csv(path)
        assert caught.value.key == key

    def test_not_utf8(self, tmp_path):
        """A GBK-encoded export is refused naming the byte."""
        path = tmp_path / "grades.csv"
        path.write_bytes((HEADER + "张三,hw1,p,E_K,1,1,1,true,correct,,\n").encode("gbk"))
        with pytest.raises(ReportInputError) as caught:
            read_grades_csv(path)
        assert caught.value.key == "report.error.not_utf8"


@pytest.fixture
def class_db(tmp_path):
    """A class database written by the web front end: alice got E_K wrong (log10) then right
    after one hint (credit 0.8), answered the choice 'b' (unreadable first, not counted);
    bob used log10 twice; carol never submitted."""
    from membranelab.web.db import ClassDB, Submission

    path = tmp_path / "class.db"
    db = ClassDB(f"sqlite:///{path}")
    db.add_students([("alice", "Alice"), ("bob", "Bob"), ("carol", "Carol")])
    n = iter(range(100))

    def sub(student, part, answer, score, note, counted=True, weight=2.0):
        return Submission(uid=f"u{next(n)}", student=student, assignment="hw1",
                          problem="p", part=part, seq=0, answer=answer, score=score,
                          weight=weight, correct=score == 1.0, note=note, feedback="",
                          level="named", counted=counted, created=0.0)

    db.record(sub("alice", "E_K", "-39 mV", 0.0, "mistake.log10"), 3)
    db.show_hint("alice", "hw1", "p", "E_K", 1, 2)
    db.record(sub("alice", "E_K", "-89 mV", 1.0, "correct"), 3, credit=lambda k: 1 - 0.2 * k)
    db.record(sub("alice", "dir", "zzz", 0.0, "choice.invalid", counted=False, weight=1.0), 3)
    db.record(sub("alice", "dir", "b", 1.0, "correct", weight=1.0), 3)
    db.record(sub("bob", "E_K", "-39 mV", 0.0, "mistake.log10"), 3)
    db.record(sub("bob", "E_K", "-40 mV", 0.0, "mistake.log10"), 3)
    db.close()
    return path


class TestClassDb:
    def test_records(self, class_db):
        """Best counted score x weight after hint credit; first try by seq; counted tries;
        hints from the hints table; carol (no submission) absent."""
        records = {(r.student, r.part): r for r in read_source(class_db, _choice)}
        assert set(records) == {("alice", "E_K"), ("alice", "dir"), ("bob", "E_K")}
        alice = records[("alice", "E_K")]
        assert alice.score == pytest.approx(2.0 * 0.8)  # 1.0 x credit(1 hint) x weight 2
        assert (alice.points, alice.note, alice.answer, alice.hints, alice.tries) == (
            2.0, "mistake.log10", "-39 mV", 1, 2)
        choice = records[("alice", "dir")]
        assert (choice.score, choice.note, choice.choice, choice.tries) == (
            1.0, "choice.invalid", None, 1)
        bob = records[("bob", "E_K")]
        assert (bob.score, bob.tries, bob.hints) == (0.0, 2, 0)

    def test_opened_read_only(self, class_db):
        """The file is opened read-only: a read-only file can be reported, and is unchanged."""
        before = class_db.read_bytes()
        os.chmod(class_db, stat.S_IRUSR)
        try:
            assert read_source(class_db)
        finally:
            os.chmod(class_db, stat.S_IRUSR | stat.S_IWUSR)
        assert class_db.read_bytes() == before

    def test_sqlite_file_is_recognised_by_its_header(self, class_db, tmp_path):
        """A database with any file name is a class database; a text file is a grades CSV."""
        renamed = tmp_path / "export.csv"
        renamed.write_bytes(class_db.read_bytes())
        assert source_kind(renamed) == "classdb"
        text = tmp_path / "grades.db"
        text.write_text(HEADER, encoding="utf-8")
        assert source_kind(text) == "grades"

    def test_other_database_is_refused(self, tmp_path):
        """An SQLite file without a submissions table: not a class database."""
        import sqlite3

        path = tmp_path / "other.db"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (x)")
        with pytest.raises(ReportInputError) as caught:
            read_source(path)
        assert caught.value.key == "report.error.not_class_db"

    def test_missing_and_empty_sources(self, tmp_path):
        """No such file; a directory; a grades file without rows."""
        for source, key in ((tmp_path / "nope.csv", "report.error.no_file"),
                            (tmp_path, "report.error.not_a_source")):
            with pytest.raises(ReportInputError) as caught:
                read_source(source)
            assert caught.value.key == key
        empty = tmp_path / "empty.csv"
        empty.write_text(HEADER, encoding="utf-8")
        with pytest.raises(ReportInputError) as caught:
            read_source(empty)
        assert caught.value.key == "report.error.empty"
