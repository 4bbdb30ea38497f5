"""The scoring policy: rules resolved by precedence, and the credit of a sequence of tries."""

import itertools
import math
from fractions import Fraction

import pytest

from membranelab.bank import scoring
from membranelab.bank.scoring import DEFAULTS, Layer, Rules, Scoring, credit, standing, step
from membranelab.grading import PartResult

RIGHT = PartResult(True, 1.0, "", "correct")
WRONG = PartResult(False, 0.0, "", "value.incorrect")
SIGN = PartResult(False, 0.0, "", "sign.flipped")
UNREADABLE = PartResult(False, 0.0, "", "parse.error", readable=False)
DIGITS = PartResult(False, 0.5, "", "sigfigs.wrong_digits")  # right value, other digits


def expected_elimination_credit(k: int, rules: Rules) -> Fraction:
    """The exact expected credit of a student who picks among ``k`` options at random without
    repeating one, until right: every order of the options is equally likely, so the mean over
    all k! orders (the right option is option 0)."""
    total = Fraction(0)
    orders = list(itertools.permutations(range(k)))
    for order in orders:
        tries = [RIGHT if pick == 0 else WRONG for pick in order]
        total += Fraction(credit(tries, rules, choice=True).score)
    return total / len(orders)


class TestPrecedence:
    def test_defaults(self):
        """Without layers: 3 tries, no penalty, choices first try only, no sign credit,
        full carried credit."""
        assert Scoring().part("x") == Rules(tries=3, penalty=0.0, choice_first_try=True,
                                            sign_credit=0.0, carry_forward=1.0)

    def test_problem_then_assignment_then_extension(self):
        """A later layer wins: problem file < assignment or class file < student extension."""
        problem = Layer(tries=2, penalty=0.1)
        assignment = Layer(tries=4)
        extension = Layer(tries=6)
        assert Scoring((problem,)).part("E_K").tries == 2
        assert Scoring((problem, assignment)).part("E_K").tries == 4
        assert Scoring((problem, assignment, extension)).part("E_K").tries == 6
        assert Scoring((problem, assignment, extension)).part("E_K").penalty == 0.1

    def test_part_entry_wins_within_its_layer(self):
        """A part's own entry wins over its layer's default, not over a later layer."""
        problem = Layer(tries=2, parts={"sign": Layer(tries=1)})
        assert Scoring((problem,)).part("sign").tries == 1
        assert Scoring((problem,)).part("E_K").tries == 2
        assert Scoring((problem, Layer(tries=5))).part("sign").tries == 5

    def test_then_adds_layers_on_top(self):
        """``then`` stacks layers, skipping None."""
        rules = Scoring((Layer(carry_forward=0.5),)).then(None, Layer(carry_forward=0.0))
        assert rules.part("drive").carry_forward == 0.0

    def test_unlimited_tries(self):
        """``tries: unlimited`` in a file means no limit (None), even over a lower layer."""
        layer = Layer.from_mapping({"tries": "unlimited"})
        assert Scoring((Layer(tries=2), layer)).part("x").tries is None

    def test_from_mapping(self):
        """A file's mapping with per-part entries."""
        layer = Layer.from_mapping({"penalty": 0.25, "parts": {"zero": {"tries": 1}}})
        assert Scoring((layer,)).part("zero") == Rules(tries=1, penalty=0.25)

    @pytest.mark.parametrize(("data", "message"), [
        ({"tries": 0}, "scoring: tries must be an integer >= 1 or None, got 0"),
        ({"tries": 2.5}, "scoring: tries must be an integer >= 1 or None, got 2.5"),
        ({"penalty": -0.1}, r"scoring: penalty must be a number in \[0, 1\], got -0.1"),
        ({"sign_credit": "half"}, r"scoring: sign_credit must be a number in \[0, 1\]"),
        ({"choice_first_try": "yes"}, "scoring: choice_first_try must be true or false"),
        ({"tries": 2, "extra": 1}, r"scoring: unknown keys \['extra'\]"),
        ({"parts": {"a": {"parts": {}}}}, "scoring.parts.a: a part has no parts"),
        ({"parts": ["a"]}, "scoring.parts: expected a mapping of part ids"),
        ("tries: 2", "scoring: expected a mapping, found str"),
    ])
    def test_from_mapping_refuses(self, data, message):
        """A bad setting is a ValueError naming where and what."""
        with pytest.raises(ValueError, match=message):
            Layer.from_mapping(data)

    def test_all(self):
        """The module's ``__all__`` lists what it defines."""
        assert set(scoring.__all__) == {"DEFAULTS", "SIGN_ONLY", "Credit", "Layer", "Rules",
                                        "Scoring", "Try", "credit", "problem_rules",
                                        "standing", "step"}
        assert all(hasattr(scoring, name) for name in scoring.__all__)


class TestCredit:
    def test_first_try_right(self):
        """Right at once: full credit, closed."""
        got = credit([RIGHT])
        assert (got.score, got.tries, got.tries_left, got.closed) == (1.0, 1, 2, True)

    def test_penalty_per_wrong_try(self):
        """Two wrong tries then right, penalty 0.1: 0.8 of the points."""
        got = credit([WRONG, WRONG, RIGHT], Rules(penalty=0.1))
        assert math.isclose(got.score, 0.8)

    def test_penalty_never_below_zero(self):
        """A penalty larger than what is left earns 0, not less."""
        assert credit([WRONG, WRONG, RIGHT], Rules(penalty=0.6)).score == 0.0

    def test_out_of_tries(self):
        """Right on the fourth try with 3 tries earns nothing."""
        got = credit([WRONG, WRONG, WRONG, RIGHT])
        assert (got.score, got.tries, got.tries_left, got.closed) == (0.0, 3, 0, True)

    def test_unlimited(self):
        """With unlimited tries the tenth try still counts."""
        assert credit([WRONG] * 9 + [RIGHT], Rules(tries=None)).score == 1.0

    def test_unreadable_is_not_a_try(self):
        """Unreadable answers cost no try."""
        got = credit([UNREADABLE, UNREADABLE, UNREADABLE, RIGHT])
        assert (got.score, got.tries) == (1.0, 1)

    def test_partial_score_kept(self):
        """A right answer's own score (a carried credit of 0.5) is what is credited."""
        carried = PartResult(True, 0.5, "", "carried")
        assert credit([carried], Rules(penalty=0.2)).score == 0.5

    def test_sign_only_credit(self):
        """With sign_credit 0.5, an answer right but for its sign earns half; a later right
        try still earns full credit."""
        rules = Rules(sign_credit=0.5)
        assert credit([SIGN], rules).score == 0.5
        assert credit([SIGN, RIGHT], rules).score == 1.0
        assert credit([SIGN]).score == 0.0

    def test_choice_wrong_first_try_closes(self):
        """A choice wrong on its first try earns nothing later, under the defaults."""
        got = credit([WRONG, RIGHT], choice=True)
        assert (got.score, got.closed) == (0.0, True)

    def test_numeric_right_on_second_try(self):
        """A numeric part right on its second try earns full credit (no penalty by default)."""
        assert credit([WRONG, RIGHT]).score == 1.0


class TestElimination:
    @pytest.mark.parametrize("k", [2, 3, 4, 5])
    def test_defaults_give_exactly_one_over_k(self, k):
        """Under the defaults, guessing a k-option choice by elimination earns exactly 1/k."""
        assert expected_elimination_credit(k, DEFAULTS) == Fraction(1, k)

    @pytest.mark.parametrize("k", [2, 3, 4, 5])
    @pytest.mark.parametrize("tries", [1, 2, 3, None])
    def test_never_more_than_one_over_k_with_first_try_rule(self, k, tries):
        """With choices first try only, no number of tries lifts guessing above 1/k."""
        rules = Rules(tries=tries)
        assert expected_elimination_credit(k, rules) <= Fraction(1, k)

    def test_without_the_rule_three_tries_win_a_three_option_choice(self):
        """What the rule prevents: 3 tries without it win every 3-option choice."""
        rules = Rules(choice_first_try=False)
        assert expected_elimination_credit(3, rules) == 1

    def test_penalty_without_the_rule(self):
        """Without the rule, penalty 0.25 and 3 tries: (1 + 0.75 + 0.5)/3 = 3/4 for k = 3."""
        rules = Rules(choice_first_try=False, penalty=0.25)
        assert expected_elimination_credit(3, rules) == Fraction(3, 4)


class TestStep:
    """One try at a time, as a front end that stores a part's standing between tries scores."""

    def test_partly_right_keeps_its_own_score(self):
        """A right value with the wrong digits (score 0.5) earns 0.5 and leaves the part open."""
        got = step(standing(), DIGITS)
        assert (got.earned, got.counted, got.after.closed, got.after.tries) == (0.5, True,
                                                                                 False, 1)

    def test_partly_right_then_right_with_penalty(self):
        """0.5 for the digits, then right on the second try less one penalty of 0.2: 0.8."""
        assert math.isclose(credit([DIGITS, RIGHT], Rules(penalty=0.2)).score, 0.8)

    def test_penalty_from_the_tries_before(self):
        """Right after two stored wrong tries, penalty 0.25: the try earns 1 - 2 x 0.25."""
        got = step(standing(2, 0.0, False, Rules(penalty=0.25)), RIGHT, Rules(penalty=0.25))
        assert (got.earned, got.after.closed, got.after.right) == (0.5, True, True)

    def test_closed_part_takes_no_try(self):
        """After a right try the part takes none: nothing earned, nothing counted."""
        got = step(standing(1, 1.0, True), RIGHT)
        assert (got.earned, got.counted, got.after.tries) == (0.0, False, 1)

    def test_choice_closed_after_first_try(self):
        """A choice tried once is closed under the defaults (elimination earns nothing)."""
        assert standing(1, 0.0, False, choice=True).closed
        assert not standing(1, 0.0, False, Rules(choice_first_try=False), choice=True).closed

    def test_choice_has_one_try_left(self):
        """Under the first-try rule a fresh choice shows one try left, not the part's three."""
        assert standing(choice=True).tries_left == 1
        assert standing(rules=Rules(choice_first_try=False), choice=True).tries_left == 3

    def test_unreadable_changes_nothing(self):
        """An unreadable answer is no try."""
        before = standing(1)
        assert step(before, UNREADABLE).after == before

    @pytest.mark.parametrize("rules", [DEFAULTS, Rules(penalty=0.3, sign_credit=0.5),
                                       Rules(tries=None, choice_first_try=False, penalty=0.1)])
    @pytest.mark.parametrize("choice", [False, True])
    def test_stored_standing_equals_the_whole_sequence(self, rules, choice):
        """Rebuilding the standing from (tries, best, right) before each try, as a front end
        does from its store, gives the same credit as scoring the whole sequence at once."""
        for seq in itertools.product([RIGHT, WRONG, SIGN, DIGITS, UNREADABLE], repeat=4):
            tries, best, right = 0, 0.0, False
            for result in seq:
                now = standing(tries, best, right, rules, choice=choice)
                if now.closed:
                    break
                done = step(now, result, rules, choice=choice)
                tries, right = done.after.tries, done.after.right
                best = max(best, done.earned)
            assert math.isclose(best, credit(seq, rules, choice=choice).score), seq
