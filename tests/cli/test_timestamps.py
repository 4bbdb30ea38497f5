"""Timestamps of an answers export in the forms spreadsheets and LMSs write: ISO 8601 with or
without a zone, Excel's regional and ISO-like forms, seconds since 1970; the day/month order
decided over the column or by --date-format; an ambiguous or unreadable one leaves its row
ungraded and listed by its line, never a 0.  Expected instants come from calendar.timegm."""

from __future__ import annotations

import calendar
import csv
import json

import pytest

from membranelab.service.answers_csv import read_answers
from membranelab.service.timestamps import (
    StampError,
    column_order,
    parse_date_format,
    parse_stamp,
)

#: 2026-12-07 14:03:00 UTC, and 2026-07-12 14:03:00 UTC (the month/day reading of 07/12).
DEC_7 = calendar.timegm((2026, 12, 7, 14, 3, 0))
JUL_12 = calendar.timegm((2026, 7, 12, 14, 3, 0))


class TestParseStamp:
    @pytest.mark.parametrize("text,expected", [
        ("2026-12-07T14:03:00Z", DEC_7),
        ("2026-12-07T14:03:00+00:00", DEC_7),
        ("2026-12-07T22:03:00+08:00", DEC_7),
        ("2026-12-07T09:03:00-0500", DEC_7),
        ("2026-12-07T14:03", DEC_7),
        ("2026-12-07 14:03:00", DEC_7),          # Excel's ISO-like export
        ("2026-12-07 14:03", DEC_7),
        ("2026/12/07 14:03", DEC_7),
        ("13/12/2026 14:03", DEC_7 + 6 * 86400),  # day first: 13 cannot be a month
        ("12/13/2026 2:03 PM", DEC_7 + 6 * 86400),  # month first, 12-hour clock
        ("07/07/2026 14:03", calendar.timegm((2026, 7, 7, 14, 3, 0))),  # the same either way
        (str(DEC_7), DEC_7),                      # seconds since 1970
        (f"{DEC_7}.5", DEC_7 + 0.5),
        ("  2026-12-07 14:03:00  ", DEC_7),
    ])
    def test_forms(self, text, expected):
        """Each common form reads to the same instant (no zone: UTC)."""
        assert parse_stamp(text) == expected

    @pytest.mark.parametrize("text,order,expected", [
        ("07/12/2026 14:03", "dmy", DEC_7),
        ("07/12/2026 14:03", "mdy", JUL_12),
        ("07.12.26 14:03", "dmy", DEC_7),
        ("07/12/2026 14:03", "%d/%m/%Y %H:%M", DEC_7),
    ])
    def test_an_order_decides(self, text, order, expected):
        """Excel's 07/12/2026 14:03 is the 7th of December day-first, July 12th month-first."""
        assert parse_stamp(text, order) == expected

    @pytest.mark.parametrize("text", ["07/12/2026 14:03", "7/12/26", "01.02.2026"])
    def test_ambiguous_without_an_order(self, text):
        """A date that reads both ways is refused as ambiguous, never guessed."""
        with pytest.raises(StampError) as caught:
            parse_stamp(text)
        assert caught.value.kind == "ambiguous"

    @pytest.mark.parametrize("text,order", [
        ("yesterday", None), ("31/02/2026", None), ("13/12/2026", "mdy"), ("nan", None),
        ("2026-13-07 14:03", None), ("25:00 07/12/2026", None), ("13:00 PM 07/07/2026", None),
        ("07/12/2026", "%Y-%m-%d")])
    def test_unreadable(self, text, order):
        """Not a date, an impossible one, or one that contradicts the order: unreadable."""
        with pytest.raises(StampError) as caught:
            parse_stamp(text, order)
        assert caught.value.kind == "unreadable"


class TestColumnOrder:
    def test_one_value_decides_the_column(self):
        """13/12 can only be day-first, so the whole column is read day-first."""
        assert column_order(["07/12/2026 14:03", "13/12/2026 10:00"]) == "dmy"
        assert column_order(["07/12/2026 14:03", "12/13/2026 10:00"]) == "mdy"

    def test_nothing_decides(self):
        """Only dates that read both ways (or ISO dates): no order."""
        assert column_order(["07/12/2026", "2026-12-07 10:00", "01/02/2026"]) is None

    def test_disagreeing_values_decide_nothing(self):
        """13/12 and 12/13 in one column: no order for the rest."""
        assert column_order(["13/12/2026", "12/13/2026", "07/12/2026"]) is None

    def test_the_option_wins(self):
        """--date-format overrides the inference."""
        assert column_order(["13/12/2026"], "mdy") == "mdy"

    @pytest.mark.parametrize("text,value", [("DMY", "dmy"), ("mdy", "mdy"), (None, None),
                                            ("%d.%m.%Y", "%d.%m.%Y")])
    def test_date_format_option(self, text, value):
        assert parse_date_format(text) == value

    def test_bad_date_format_option(self):
        with pytest.raises(ValueError, match="--date-format must be dmy, mdy, ymd"):
            parse_date_format("european")


def _answers(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["student", "assignment", "problem", "part", "answer", "timestamp"])
        out.writerows(rows)
    return path


class TestReadAnswers:
    def test_excel_column_inferred(self, tmp_path):
        """An Excel column whose 13/12 decides: 07/12/2026 14:03 is read as 7 December."""
        path = _answers(tmp_path / "a.csv", [("a", "hw", "p", "x", "1", "07/12/2026 14:03"),
                                             ("b", "hw", "p", "x", "1", "13/12/2026 14:03")])
        first, second = read_answers(path)
        assert first.timestamp == DEC_7 and first.ungraded is None
        assert second.timestamp == DEC_7 + 6 * 86400

    def test_ambiguous_row_is_ungraded_with_reason(self, tmp_path):
        """Nothing decides: the row is kept, ungraded, its reason naming the value."""
        path = _answers(tmp_path / "a.csv", [("a", "hw", "p", "x", "1", "07/12/2026 14:03")])
        (row,) = read_answers(path)
        assert row.error is None and row.timestamp is None
        assert row.ungraded == {"msg": "batch.stamp_ambiguous", "value": "'07/12/2026 14:03'"}

    def test_date_format_reads_it(self, tmp_path):
        """The same file with date_format='mdy' reads July 12th."""
        path = _answers(tmp_path / "a.csv", [("a", "hw", "p", "x", "1", "07/12/2026 14:03")])
        assert read_answers(path, date_format="mdy")[0].timestamp == JUL_12


@pytest.mark.slow  # grade's worker processes
class TestGrading:
    def _right(self, bank, student):
        return bank.problems["nernst-potassium"].variant(student, "hw1").answers()["E_K"].text

    def test_an_excel_timestamp_no_longer_costs_a_right_answer(self, run, bank, tmp_path):
        """The issue's case: a right answer stamped 07/12/2026 14:03 (the column day-first by
        another value) is graded right, and the later one supersedes the earlier."""
        right = self._right(bank, "cy")
        path = _answers(tmp_path / "a.csv", [
            ("cy", "hw1", "nernst-potassium", "E_K", "1 mV", "06/12/2026 09:00"),
            ("cy", "hw1", "nernst-potassium", "E_K", f"{right} mV", "07/12/2026 14:03"),
            ("dee", "hw1", "nernst-potassium", "E_K", "1 mV", "13/12/2026 14:03")])
        code, _, err = run("grade", str(path), "-o", str(tmp_path / "g.csv"))
        assert code == 0, err
        rows = list(csv.DictReader(open(tmp_path / "g.csv", encoding="utf-8")))
        assert [(r["note"], r["score"]) for r in rows[:2]] == [("row.superseded", "0"),
                                                             ("correct", "1")]

    def test_ambiguous_rows_are_listed_and_not_scored(self, run, bank, tmp_path):
        """Nothing decides the order: both answers to the part are listed by line, the other
        student's ISO-stamped answer is graded; the JSON gives no score for them."""
        right = self._right(bank, "cy")
        path = _answers(tmp_path / "a.csv", [
            ("cy", "hw1", "nernst-potassium", "E_K", "1 mV", "06/12/2026 09:00"),
            ("cy", "hw1", "nernst-potassium", "E_K", f"{right} mV", "2026-12-07 14:03:00"),
            ("dee", "hw1", "nernst-potassium", "E_K", "1 mV", "2026-12-07T14:03:00Z")])
        code, out, err = run("grade", str(path), "--json")
        assert code == 0
        assert "a.csv:2: cy, part E_K: not graded: timestamp '06/12/2026 09:00' could be" in err
        assert "a.csv:3: cy, part E_K: not graded: another answer to this part (line 2)" in err
        data = json.loads(out)
        assert [(r["note"], r["score"]) for r in data["rows"]] == [
            ("row.ungraded", None), ("row.ungraded", None), ("value.incorrect", 0.0)]
        assert [u["line"] for u in data["summary"]["ungraded"]] == [2, 3]

    def test_date_format_option_grades_them(self, run, bank, tmp_path):
        """--date-format dmy settles it: the later (right) answer counts."""
        right = self._right(bank, "cy")
        path = _answers(tmp_path / "a.csv", [
            ("cy", "hw1", "nernst-potassium", "E_K", f"{right} mV", "07/12/2026 14:03"),
            ("cy", "hw1", "nernst-potassium", "E_K", "1 mV", "06/12/2026 09:00")])
        code, _, err = run("grade", str(path), "-o", str(tmp_path / "g.csv"),
                           "--date-format", "dmy")
        assert code == 0 and "not graded" not in err
        rows = list(csv.DictReader(open(tmp_path / "g.csv", encoding="utf-8")))
        assert [r["note"] for r in rows] == ["correct", "row.superseded"]

    def test_bad_date_format_is_one_line(self, run, tmp_path):
        path = _answers(tmp_path / "a.csv", [("a", "hw", "p", "x", "1", "2026-12-07")])
        code, _, err = run("grade", str(path), "--json", "--date-format", "european")
        assert code == 2 and err.count("\n") == 1 and "--date-format must be" in err
