"""membranelab.report.analysis: the hand-worked class (handclass.py) as records."""

from __future__ import annotations

import pytest

from membranelab.report import PartRecord, analyse
from membranelab.report.analysis import NoteShare, OptionShare

from . import handclass as hc


@pytest.fixture(scope="module")
def hw():
    report = analyse(hc.records())
    return {a.assignment: a for a in report.assignments}


class TestAnalyse:
    def test_assignments_in_order_and_nonsubmitters_left_out(self, hw):
        """hw has the 8 students who submitted to it; s9 (only in 'other') is not among them."""
        assert list(hw) == ["hw", "other"]
        assert [s.student for s in hw["hw"].students] == list(hc.STUDENTS)

    def test_part_statistics(self, hw):
        """Facility, SD, discrimination and efficiency of each part as worked by hand."""
        a = hw["hw"]
        assert [(p.problem, p.part) for p in a.parts] == list(hc.PARTS)
        for j, p in enumerate(a.parts):
            assert p.points == hc.POINTS[j]
            assert p.facility == pytest.approx(hc.FACILITY[j])
            assert p.sd == pytest.approx(hc.SD[j], abs=1e-4)
            assert p.discrimination == pytest.approx(hc.DISCRIMINATION[j], abs=1e-4)
            assert p.efficiency == pytest.approx(hc.EFFICIENCY[j], abs=1e-4)

    def test_missing_part_counts_zero(self, hw):
        """s8 has no record for P2: it counts 0 (P2's facility is 4/8 = 50)."""
        s8 = hw["hw"].students[-1]
        assert s8.scores == (0.0, 0.0, 0.0, 0.0) and s8.total == 0.0

    def test_assignment_summary(self, hw):
        """Maximum 5, mean 2.625, median 3, SD 1.7678, alpha 24/35, histogram, groups of 3."""
        a = hw["hw"]
        assert a.maximum == 5.0
        assert (a.mean, a.median) == (hc.MEAN, hc.MEDIAN)
        assert a.sd == pytest.approx(hc.TOTAL_SD, abs=1e-6)
        assert a.alpha == pytest.approx(hc.ALPHA)
        assert a.histogram == hc.HISTOGRAM
        assert (a.top_group, a.bottom_group) == (3, 3)

    def test_mistakes_of_p3(self, hw):
        """log10: s3, s4, s5 (3/8), of whom s4 and s5 ended below 2 points (cost 2); hints: s4
        and s7, both below 2; then blank (s6), swapped (s7), unreadable (s8), one each."""
        assert hw["hw"].parts[2].mistakes == (
            NoteShare("mistake", "mistake.log10", 3, 3 / 8, 2),
            NoteShare("hints", "hints", 2, 2 / 8, 2),
            NoteShare("blank", "blank", 1, 1 / 8, 1),
            NoteShare("mistake", "mistake.swapped_in_out", 1, 1 / 8, 1),
            NoteShare("unreadable", "unreadable", 1, 1 / 8, 1),
        )

    def test_mistakes_of_p1_p2_p4(self, hw):
        """P1: celsius (s8), log10 (s5), needs_review (s7), each 1/8 at a cost; P2: s8's missing
        record is a blank (value.incorrect is no kind); P4: s7's choice.invalid is unreadable."""
        parts = hw["hw"].parts
        assert parts[0].mistakes == (
            NoteShare("mistake", "mistake.celsius_as_kelvin", 1, 1 / 8, 1),
            NoteShare("mistake", "mistake.log10", 1, 1 / 8, 1),
            NoteShare("needs_review", "needs_review", 1, 1 / 8, 1))
        assert parts[1].mistakes == (NoteShare("blank", "blank", 1, 1 / 8, 1),)
        assert parts[3].mistakes == (NoteShare("unreadable", "unreadable", 1, 1 / 8, 1),)

    def test_options_of_the_choice_part(self, hw):
        """All: A 3/8 (s1 s3 s5), B 3/8 (s2 s6 s8), C 1/8 (s4), none 1/8 (s7); top third
        (s1 s2 s3): A 2/3, B 1/3; bottom third (s6 s7 s8): B 2/3, none 1/3.  A is the key."""
        assert hw["hw"].parts[3].options == (
            OptionShare("A", True, 3 / 8, 2 / 3, 0.0),
            OptionShare("B", False, 3 / 8, 1 / 3, 2 / 3),
            OptionShare("C", False, 1 / 8, 0.0, 0.0),
            OptionShare(None, False, 1 / 8, 0.0, 1 / 3),
        )
        assert all(p.options == () for p in hw["hw"].parts[:3])

    def test_students(self, hw):
        """Totals and percents; hints summed over parts; s7 flagged for review."""
        rows = {s.student: s for s in hw["hw"].students}
        assert [rows[s].total for s in hc.STUDENTS] == [5, 4, 4, 3, 3, 1, 1, 0]
        assert rows["s2"].percent == pytest.approx(80.0)
        assert (rows["s4"].hints, rows["s7"].hints) == (1, 2)
        assert rows["s7"].flags == ("needs_review",) and rows["s1"].flags == ()

    def test_top_mistakes(self, hw):
        """Named mistakes over all parts by count, then part, then note."""
        assert hw["hw"].top_mistakes == (("q/P3", "mistake.log10", 3),
                                         ("p/P1", "mistake.celsius_as_kelvin", 1),
                                         ("p/P1", "mistake.log10", 1),
                                         ("q/P3", "mistake.swapped_in_out", 1))

    def test_duplicate_record_is_refused(self):
        """Two records for one student's part: ValueError naming it."""
        r = PartRecord("s1", "hw", "p", "P1", 1.0, 1.0)
        with pytest.raises(ValueError, match="two records for s1 / hw / p / P1"):
            analyse([r, r])


class TestPartRecord:
    def test_negative_score_refused(self):
        """A negative or non-finite score is not a record."""
        with pytest.raises(ValueError, match="score must be a finite number"):
            PartRecord("s", "a", "p", "x", -1.0, 1.0)
        with pytest.raises(ValueError, match="points must be a finite number"):
            PartRecord("s", "a", "p", "x", 1.0, float("inf"))
