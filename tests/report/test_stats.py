"""membranelab.report.stats against the hand-worked class (handclass.py) and, for a large random
class, against independent formulas (numpy.corrcoef, alpha from the covariance matrix, loops)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from membranelab.report import stats

from . import handclass as hc


def _matrix() -> np.ndarray:
    return np.array([[0.0 if v is None else float(v) for v in row] for row in hc.SCORES])


class TestHandClass:
    """Every statistic of the 8-student class equals the value worked out in handclass.py."""

    @pytest.mark.parametrize("j", range(4))
    def test_facility(self, j):
        """Mean score as a percentage of the part's points."""
        assert stats.facility(_matrix()[:, j], hc.POINTS[j]) == pytest.approx(hc.FACILITY[j])

    @pytest.mark.parametrize("j", range(4))
    def test_sd(self, j):
        """Sample SD (n - 1) as a percentage of the part's points."""
        assert stats.sd_percent(_matrix()[:, j], hc.POINTS[j]) == pytest.approx(hc.SD[j],
                                                                                abs=1e-4)

    @pytest.mark.parametrize("j", range(4))
    def test_discrimination(self, j):
        """Correlation with the rest of the test, in percent."""
        x = _matrix()
        rest = stats.rest_of_test(x)
        assert stats.discrimination(x[:, j], rest[:, j]) == pytest.approx(hc.DISCRIMINATION[j],
                                                                          abs=1e-4)

    @pytest.mark.parametrize("j", range(4))
    def test_efficiency(self, j):
        """Covariance over the covariance of the sorted lists, in percent."""
        x = _matrix()
        rest = stats.rest_of_test(x)
        assert stats.efficiency(x[:, j], rest[:, j]) == pytest.approx(hc.EFFICIENCY[j], abs=1e-4)

    def test_rest_of_test(self):
        """X = T - x, the table's rest columns."""
        rest = stats.rest_of_test(_matrix())
        assert rest[:, 0].tolist() == [4, 3, 3, 2, 3, 0, 1, 0]
        assert rest[:, 3].tolist() == [4, 4, 3, 3, 2, 1, 1, 0]

    def test_alpha(self):
        """24/35 by hand."""
        assert stats.alpha(_matrix()) == pytest.approx(hc.ALPHA)

    def test_summary(self):
        """Mean 2.625, median 3, SD sqrt(3.125)."""
        mean, median, sd = stats.summary(_matrix().sum(axis=1))
        assert (mean, median) == (hc.MEAN, hc.MEDIAN)
        assert sd == pytest.approx(hc.TOTAL_SD, abs=1e-6)

    def test_histogram(self):
        """Totals 100, 80, 80, 60, 60, 20, 20, 0 % in ten bands; 100 % in the last."""
        totals = _matrix().sum(axis=1)
        assert stats.histogram(100 * totals / 5) == hc.HISTOGRAM

    def test_thirds(self):
        """k = 3: s1-s3 on top, s6-s8 at the bottom."""
        top, bottom = stats.thirds(_matrix().sum(axis=1))
        names = np.array(hc.STUDENTS)
        assert tuple(names[top]) == hc.TOP and tuple(names[bottom]) == hc.BOTTOM


class TestThirdsTieRule:
    def test_ties_at_the_boundary_are_all_in(self):
        """Totals 9,8,8,8,5,2,1: k = ceil(7/3) = 3, the 3rd highest is 8, so all three 8s (4
        students) are on top; the 3rd lowest is 5: 5, 2, 1 at the bottom."""
        top, bottom = stats.thirds([9, 8, 8, 8, 5, 2, 1])
        assert top.tolist() == [True, True, True, True, False, False, False]
        assert bottom.tolist() == [False, False, False, False, True, True, True]

    def test_everyone_tied_is_in_both_groups(self):
        """Equal totals: both groups are the whole class (nothing tells them apart)."""
        top, bottom = stats.thirds([3, 3, 3, 3])
        assert top.all() and bottom.all()


class TestUndefined:
    def test_no_variance_gives_none(self):
        """A part everyone got gives no discrimination index and no efficiency (not 0)."""
        assert stats.discrimination([1, 1, 1], [0, 2, 1]) is None
        assert stats.efficiency([1, 1, 1], [0, 2, 1]) is None

    def test_one_student(self):
        """One student: no SD, no discrimination, no alpha."""
        assert stats.sd_percent([1], 1) is None
        assert stats.discrimination([1], [2]) is None
        assert stats.alpha([[1, 0]]) is None

    def test_one_part_has_no_alpha(self):
        """Alpha needs two parts."""
        assert stats.alpha([[1], [0], [1]]) is None

    def test_zero_points_has_no_facility(self):
        """A part worth nothing has no facility index."""
        assert stats.facility([0, 0], 0) is None

    def test_rejects_nan(self):
        """A NaN score is refused, naming the argument."""
        with pytest.raises(ValueError, match="scores must be finite"):
            stats.facility([1, float("nan")], 1)


@pytest.fixture(scope="module")
def scores():
    """300 students x 15 parts: integer scores driven by an ability, random points 1-4."""
    rng = np.random.default_rng(20261207)
    ability = rng.normal(size=(300, 1))
    points = rng.integers(1, 5, size=15)
    raw = rng.normal(size=(300, 15)) + ability + rng.normal(size=15)
    x = np.clip(np.round((raw + 1.5) / 3 * points), 0, points)
    return x, points


class TestLargeRandomClass:
    """A large random class against independent formulas."""

    def test_facility_and_sd(self, scores):
        """Column means and numpy's std (ddof=1) over the points."""
        x, points = scores
        for j in range(x.shape[1]):
            assert stats.facility(x[:, j], points[j]) == pytest.approx(
                100 * np.mean(x[:, j]) / points[j])
            assert stats.sd_percent(x[:, j], points[j]) == pytest.approx(
                100 * np.std(x[:, j], ddof=1) / points[j])

    def test_discrimination_is_corrcoef_with_the_rest(self, scores):
        """100 * numpy.corrcoef(part, total - part)."""
        x, _ = scores
        total = x.sum(axis=1)
        rest = stats.rest_of_test(x)
        for j in range(x.shape[1]):
            expected = 100 * np.corrcoef(x[:, j], total - x[:, j])[0, 1]
            assert stats.discrimination(x[:, j], rest[:, j]) == pytest.approx(expected)

    def test_efficiency_against_sorted_covariance(self, scores):
        """100 * numpy.cov(x, X)[0, 1] / numpy.cov(sorted x, sorted X)[0, 1]; never above 100."""
        x, _ = scores
        total = x.sum(axis=1)
        for j in range(x.shape[1]):
            other = total - x[:, j]
            expected = 100 * np.cov(x[:, j], other)[0, 1] / np.cov(np.sort(x[:, j]),
                                                                   np.sort(other))[0, 1]
            got = stats.efficiency(x[:, j], stats.rest_of_test(x)[:, j])
            assert got == pytest.approx(expected)
            assert got <= 100 + 1e-9

    def test_alpha_from_the_covariance_matrix(self, scores):
        """alpha = P/(P-1) * (1 - trace(C) / sum(C)), C the parts' covariance matrix."""
        x, _ = scores
        c = np.cov(x, rowvar=False)
        p = x.shape[1]
        assert stats.alpha(x) == pytest.approx(p / (p - 1) * (1 - np.trace(c) / c.sum()))

    def test_summary_and_histogram(self, scores):
        """statistics-module mean/median/stdev; histogram counts by a loop over the bands."""
        import statistics

        x, points = scores
        totals = x.sum(axis=1)
        mean, median, sd = stats.summary(totals)
        assert mean == pytest.approx(statistics.fmean(totals.tolist()))
        assert median == pytest.approx(statistics.median(totals.tolist()))
        assert sd == pytest.approx(statistics.stdev(totals.tolist()))
        percents = 100 * totals / points.sum()
        counts = [0] * 10
        for p in percents:
            counts[min(int(p // 10), 9)] += 1
        assert stats.histogram(percents) == tuple(counts)

    def test_thirds_by_rank(self, scores):
        """Top third: totals >= the ceil(n/3)-th largest, found by sorting a Python list."""
        x, _ = scores
        totals = x.sum(axis=1).tolist()
        k = math.ceil(len(totals) / 3)
        cut_top = sorted(totals, reverse=True)[k - 1]
        cut_bottom = sorted(totals)[k - 1]
        top, bottom = stats.thirds(totals)
        assert top.tolist() == [t >= cut_top for t in totals]
        assert bottom.tolist() == [t <= cut_bottom for t in totals]
        assert top.sum() >= k and bottom.sum() >= k
