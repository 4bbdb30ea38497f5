"""Item statistics of a class's scores: numpy only, no I/O, no membranelab imports.

The definitions are Moodle's quiz statistics (Moodle developer documentation, "Quiz statistics
calculations", https://docs.moodle.org/dev/Quiz_statistics_calculations, implemented in Moodle's
``question/classes/statistics/questions/calculator.php`` and ``mod/quiz/report/statistics/``),
with a *part* in the role of Moodle's question and a *student* in the role of an attempt.
For S students and P parts, ``x[s, p]`` is student s's final credited score on part p (points,
0 .. ``m[p]``), ``T[s] = sum_p x[s, p]`` the total, ``X[s, p] = T[s] - x[s, p]`` the rest of the
test; ``V`` and ``C`` are the sample variance and covariance (divisor S - 1), as in Moodle:

* facility index ``F_p = 100 * mean_s(x[:, p]) / m[p]`` (the minimum score of a part is 0);
* standard deviation ``SD_p = 100 * sqrt(V(x[:, p])) / m[p]`` (as a percentage of the points);
* discrimination index ``D_p = 100 * C(x_p, X_p) / sqrt(V(x_p) V(X_p))``: the correlation of the
  part's score with the rest of the test (not with the total, which contains the part);
* discriminative efficiency ``DE_p = 100 * C(x_p, X_p) / C_max(x_p, X_p)``, where ``C_max`` is the
  covariance of the same two lists each sorted ascending (the largest covariance these scores
  could have: the discrimination index as a share of what the part's score distribution allows);
* Cronbach's alpha (Moodle's coefficient of internal consistency, as a fraction here)
  ``alpha = P / (P - 1) * (1 - sum_p V(x_p) / V(T))``.

A statistic that is undefined (fewer than two students, a variance or ``C_max`` of zero, fewer
than two parts for alpha, a part worth 0 points) is ``None``, never NaN and never a made-up 0.

Top and bottom thirds (classical distractor analysis): with ``k = ceil(S / 3)``, the top group is
every student whose total is at least the k-th highest total, the bottom group every student whose
total is at most the k-th lowest. **Tie rule:** students tied with the k-th student are all in the
group, so a group can hold more than a third (and, when most totals are equal, the two groups can
overlap: then the option shares of the groups differ little, which is what such a class shows).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["HISTOGRAM_BINS", "alpha", "discrimination", "efficiency", "facility", "histogram",
           "rest_of_test", "sd_percent", "summary", "thirds"]

#: Bins of the score histogram: 0-10 %, 10-20 %, ..., 90-100 % (the last one includes 100 %).
HISTOGRAM_BINS = 10

Floats = NDArray[np.float64]


def _vector(values: ArrayLike, name: str) -> Floats:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers")
    return array


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def facility(scores: ArrayLike, points: float) -> float | None:
    """``100 * mean(scores) / points`` (percent); None without students or points."""
    x = _vector(scores, "scores")
    if x.size == 0 or points <= 0:
        return None
    return _number(100.0 * float(x.mean()) / points)


def sd_percent(scores: ArrayLike, points: float) -> float | None:
    """``100 * sample SD(scores) / points`` (percent); None for fewer than 2 students."""
    x = _vector(scores, "scores")
    if x.size < 2 or points <= 0:
        return None
    return _number(100.0 * float(x.std(ddof=1)) / points)


def rest_of_test(matrix: ArrayLike) -> Floats:
    """``X[s, p] = T[s] - x[s, p]`` for a students x parts matrix of scores."""
    x = np.asarray(matrix, dtype=np.float64)
    return x.sum(axis=1, keepdims=True) - x


def _covariance(a: Floats, b: Floats) -> float:
    return float(((a - a.mean()) * (b - b.mean())).sum() / (a.size - 1))


def discrimination(scores: ArrayLike, rest: ArrayLike) -> float | None:
    """``100 * r(scores, rest)`` (Pearson); None when undefined (n < 2 or a variance of 0)."""
    x, y = _vector(scores, "scores"), _vector(rest, "rest")
    if x.size != y.size:
        raise ValueError("scores and rest must have the same length")
    if x.size < 2:
        return None
    vx, vy = _covariance(x, x), _covariance(y, y)
    if vx <= 0 or vy <= 0:
        return None
    return _number(100.0 * _covariance(x, y) / math.sqrt(vx * vy))


def efficiency(scores: ArrayLike, rest: ArrayLike) -> float | None:
    """``100 * C(scores, rest) / C(sorted scores, sorted rest)``; None when that maximum is 0."""
    x, y = _vector(scores, "scores"), _vector(rest, "rest")
    if x.size != y.size:
        raise ValueError("scores and rest must have the same length")
    if x.size < 2:
        return None
    c_max = _covariance(np.sort(x), np.sort(y))
    if c_max <= 0:
        return None
    return _number(100.0 * _covariance(x, y) / c_max)


def alpha(matrix: ArrayLike) -> float | None:
    """Cronbach's alpha of a students x parts matrix; None for < 2 parts, < 2 students or a
    total of zero variance."""
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"matrix must be two-dimensional, got shape {x.shape}")
    students, parts = x.shape
    if parts < 2 or students < 2:
        return None
    total_variance = float(x.sum(axis=1).var(ddof=1))
    if total_variance <= 0:
        return None
    part_variances = float(x.var(axis=0, ddof=1).sum())
    return _number(parts / (parts - 1) * (1.0 - part_variances / total_variance))


def summary(totals: ArrayLike) -> tuple[float | None, float | None, float | None]:
    """(mean, median, sample SD) of the totals; None where undefined."""
    t = _vector(totals, "totals")
    if t.size == 0:
        return None, None, None
    sd = _number(float(t.std(ddof=1))) if t.size > 1 else None
    return float(t.mean()), float(np.median(t)), sd


def histogram(percents: ArrayLike) -> tuple[int, ...]:
    """Counts of totals (percent of the maximum) in :data:`HISTOGRAM_BINS` bins of equal width
    over 0-100 % (``[0, 10), [10, 20), ..., [90, 100]``); values are clipped into 0-100."""
    p = np.clip(_vector(percents, "percents"), 0.0, 100.0)
    counts, _ = np.histogram(p, bins=HISTOGRAM_BINS, range=(0.0, 100.0))
    return tuple(int(c) for c in counts)


def thirds(totals: ArrayLike) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """(top, bottom) masks of the top and bottom thirds of ``totals`` (tie rule in the module's
    docstring: everyone tied with the ``ceil(S/3)``-th student is in the group)."""
    t = _vector(totals, "totals")
    if t.size == 0:
        empty = np.zeros(0, dtype=bool)
        return empty, empty
    k = math.ceil(t.size / 3)
    ordered = np.sort(t)
    return t >= ordered[-k], t <= ordered[k - 1]
