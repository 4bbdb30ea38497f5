"""A small class worked by hand: 8 students, 4 parts of assignment ``hw``.

Final credited scores (points; P3 is worth 2 points, the others 1; P4 is a choice part)::

    student  P1  P2  P3  P4 | total T   rest X1=T-P1  X2  X3  X4
    s1        1   1   2   1 |  5             4         4   3   4
    s2        1   1   2   0 |  4             3         3   2   4
    s3        1   0   2   1 |  4             3         4   2   3
    s4        1   1   1   0 |  3             2         2   2   3
    s5        0   1   1   1 |  3             3         2   2   2
    s6        1   0   0   0 |  1             0         1   1   1
    s7        0   0   1   0 |  1             1         1   0   1
    s8        0   -   0   0 |  0             0         0   0   0     (- : no record; counts 0)

Every statistic below is worked out from this table with fractions (n = 8, divisor n - 1 = 7):

P1: x = 1,1,1,1,0,1,0,0; mean 5/8; facility 100*(5/8)/1 = 62.5.
    SS_x = 5*(3/8)^2 + 3*(5/8)^2 = 45/64 + 75/64 = 15/8; SD = sqrt(15/8 / 7) = 0.517549 -> 51.7549 %.
    X1 = 4,3,3,2,3,0,1,0; mean 2; SS_X = 4+1+1+0+1+4+1+4 = 16.
    S_xX = (3/8)(2) + (3/8)(1) + (3/8)(1) + (3/8)(0) + (-5/8)(1) + (3/8)(-2) + (-5/8)(-1) + (-5/8)(-2)
         = 6/8 + 3/8 + 3/8 + 0 - 5/8 - 6/8 + 5/8 + 10/8 = 16/8 = 2.
    D = 100 * 2 / sqrt(15/8 * 16) = 100 * 2 / sqrt(30) = 36.5148.
    Sorted: x 0,0,0,1,1,1,1,1 and X 0,0,1,2,3,3,3,4:
    S_max = (-5/8)(-2) + (-5/8)(-2) + (-5/8)(-1) + (3/8)(0) + (3/8)(1)*3 + (3/8)(2)
          = 10/8 + 10/8 + 5/8 + 0 + 9/8 + 6/8 = 40/8 = 5;  DE = 100 * 2 / 5 = 40.
P2: x = 1,1,0,1,1,0,0,0; mean 1/2; facility 50; SS_x = 8 * 1/4 = 2; SD = sqrt(2/7) = 53.4522 %.
    X2 = 4,3,4,2,2,1,1,0; mean 17/8; SS_X = sum X^2 - 8*(17/8)^2 = 51 - 289/8 = 119/8.
    S_xX = sum x*X - 8 * (1/2)(17/8) = (4+3+2+2) - 17/2 = 11 - 8.5 = 5/2.
    D = 100 * (5/2) / sqrt(2 * 119/8) = 100 * 2.5 / sqrt(29.75) = 45.8349.
    Sorted: x 0,0,0,0,1,1,1,1 and X 0,1,1,2,2,3,4,4: sum x*X = 2+3+4+4 = 13;
    S_max = 13 - 17/2 = 9/2;  DE = 100 * (5/2) / (9/2) = 55.5556.
P3 (2 points): x = 2,2,2,1,1,0,1,0; mean 9/8; facility 100 * (9/8) / 2 = 56.25.
    SS_x = sum x^2 - 8*(9/8)^2 = 15 - 81/8 = 39/8; SD = sqrt(39/56) = 0.834523 -> 100*0.834523/2 = 41.7261 %.
    X3 = 3,2,2,2,2,1,0,0; mean 3/2; SS_X = 26 - 8 * 9/4 = 8.
    S_xX = sum x*X - 8 * (9/8)(3/2) = (6+4+4+2+2+0+0+0) - 27/2 = 18 - 13.5 = 9/2.
    D = 100 * 4.5 / sqrt(39/8 * 8) = 100 * 4.5 / sqrt(39) = 72.0577.
    Sorted: x 0,0,1,1,1,2,2,2 and X 0,0,1,2,2,2,2,3: sum x*X = 1+2+2+4+4+6 = 19;
    S_max = 19 - 27/2 = 11/2;  DE = 100 * 4.5 / 5.5 = 81.8182.
P4: x = 1,0,1,0,1,0,0,0; mean 3/8; facility 37.5; SS_x = 3 - 8*(9/64) = 15/8; SD 51.7549 %.
    X4 = 4,4,3,3,2,1,1,0; mean 9/4; SS_X = 56 - 8 * 81/16 = 31/2.
    S_xX = (4+3+2) - 8 * (3/8)(9/4) = 9 - 27/4 = 9/4.
    D = 100 * (9/4) / sqrt(15/8 * 31/2) = 100 * 2.25 / sqrt(29.0625) = 41.7365.
    Sorted: x 0,0,0,0,0,1,1,1 and X 0,1,1,2,3,3,4,4: sum x*X = 3+4+4 = 11;
    S_max = 11 - 27/4 = 17/4;  DE = 100 * (9/4) / (17/4) = 52.9412.
Totals T = 5,4,4,3,3,1,1,0: sum 21, mean 21/8 = 2.625; sorted 0,1,1,3,3,4,4,5: median (3+3)/2 = 3;
    SS_T = 77 - 8*(21/8)^2 = 77 - 441/8 = 175/8; SD = sqrt(175/56) = sqrt(3.125) = 1.767767.
Cronbach's alpha = 4/3 * (1 - (15/8 + 2 + 39/8 + 15/8) / (175/8)) = 4/3 * (1 - 85/175)
    = 4/3 * 90/175 = 24/35 = 0.685714 (the divisors n - 1 cancel).
Percent of the maximum 5: 100, 80, 80, 60, 60, 20, 20, 0 -> histogram bins [0,10): 1, [20,30): 2,
    [60,70): 2, [80,90): 2, [90,100]: 1.
Thirds: k = ceil(8/3) = 3; 3rd highest total 4 -> top = s1, s2, s3 (T >= 4);
    3rd lowest total 1 -> bottom = s6, s7, s8 (T <= 1).
"""

from __future__ import annotations

from membranelab.report import PartRecord

ASSIGNMENT = "hw"
STUDENTS = ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8")
PARTS = (("p", "P1"), ("p", "P2"), ("q", "P3"), ("q", "P4"))
POINTS = (1.0, 1.0, 2.0, 1.0)
#: Scores; None: no record.
SCORES = ((1, 1, 2, 1), (1, 1, 2, 0), (1, 0, 2, 1), (1, 1, 1, 0), (0, 1, 1, 1), (1, 0, 0, 0),
          (0, 0, 1, 0), (0, None, 0, 0))

FACILITY = (62.5, 50.0, 56.25, 37.5)
SD = (51.7549, 53.4522, 41.7261, 51.7549)
DISCRIMINATION = (36.5148, 45.8349, 72.0577, 41.7365)
EFFICIENCY = (40.0, 55.5556, 81.8182, 52.9412)
MEAN, MEDIAN, TOTAL_SD, ALPHA = 2.625, 3.0, 1.767767, 24 / 35
HISTOGRAM = (1, 0, 2, 0, 0, 0, 2, 0, 2, 1)
TOP, BOTTOM = ("s1", "s2", "s3"), ("s6", "s7", "s8")

#: First tries: (student, part index) -> (note, answer, choice, hints).  P4's right choice is
#: "A"; s7's P4 answer selected no choice.  On P3, s3 first used log10 and then got it right
#: (final 2 of 2); s4 and s5 used log10 and ended at 1 of 2; s7 swapped in/out and ended at 1.
FIRST = {
    ("s5", 0): ("mistake.log10", "-40 mV", None, 0),
    ("s7", 0): ("needs_review", "R*T/F*ln(...)", None, 0),
    ("s8", 0): ("mistake.celsius_as_kelvin", "-3 mV", None, 0),
    ("s3", 1): ("value.incorrect", "2", None, 0),
    ("s6", 1): ("value.incorrect", "2", None, 0),
    ("s7", 1): ("value.incorrect", "2", None, 0),
    ("s3", 2): ("mistake.log10", "-40 mV", None, 0),
    ("s4", 2): ("mistake.log10", "-40 mV", None, 1),
    ("s5", 2): ("mistake.log10", "-41 mV", None, 0),
    ("s6", 2): ("answer.empty", "", None, 0),
    ("s7", 2): ("mistake.swapped_in_out", "+90 mV", None, 2),
    ("s8", 2): ("parse.error", "banana", None, 0),
    ("s1", 3): ("correct", "A", "A", 0),
    ("s2", 3): ("choice.wrong", "B", "B", 0),
    ("s3", 3): ("correct", "a", "A", 0),
    ("s4", 3): ("choice.wrong", "C", "C", 0),
    ("s5", 3): ("correct", "A", "A", 0),
    ("s6", 3): ("choice.wrong", "B", "B", 0),
    ("s7", 3): ("choice.invalid", "zzz", None, 0),
    ("s8", 3): ("choice.wrong", "b", "B", 0),
}


def records() -> list[PartRecord]:
    """The class as records, plus s9, who only submitted another assignment (left out of hw)."""
    out = []
    for student, row in zip(STUDENTS, SCORES, strict=True):
        for j, score in enumerate(row):
            if score is None:
                continue
            note, answer, choice, hints = FIRST.get((student, j), ("correct", "ok", None, 0))
            out.append(PartRecord(student, ASSIGNMENT, PARTS[j][0], PARTS[j][1], float(score),
                                  POINTS[j], note, answer, choice, hints, 1))
    out.append(PartRecord("s9", "other", "p", "P1", 1.0, 1.0, "correct", "1", None, 0, 1))
    return out
