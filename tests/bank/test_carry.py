"""Error carried forward: a part right given the student's own earlier answers earns credit.

Expected values are computed here by hand (Nernst with log10, a driving force, Q10 scaling),
never by the solver.
"""

import math
from dataclasses import replace

import pytest
from bankfixture import MINIMAL, write

from membranelab.bank import grade, grade_part, load_bank
from membranelab.bank.carry import CARRIED
from membranelab.bank.scoring import Layer

R, F = 8.314462618, 96485.33212


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def sodium(bank):
    """nernst-sodium's canonical case: 145 / 15 mM at 37 °C, V_rest −70 mV (E_Na 60.6 mV,
    drive −131 mV)."""
    problem = bank["nernst-sodium"]
    return problem, problem.variant()


def log10_e_na() -> float:
    """E_Na with log10 for ln: (RT/F) log10(145/15) at 310.15 K, in mV (26.3 mV)."""
    return 1000 * R * 310.15 / F * math.log10(145 / 15)


class TestGradeCarries:
    def test_wrong_e_na_and_drive_from_it(self, sodium):
        """A wrong E_Na (log10) and the drive computed from it: E_Na scores 0 for its mistake,
        the drive earns the carried credit naming E_Na (not charged twice)."""
        problem, variant = sodium
        e_na = round(log10_e_na(), 1)  # 26.3
        result = grade(problem, variant, {"E_Na": f"{e_na} mV", "drive": f"{-70 - e_na:.1f} mV"})
        assert result.part("E_Na").note == "mistake.log10"
        assert result.part("E_Na").score == 0
        drive = result.part("drive")
        assert (drive.note, drive.score, drive.correct) == (CARRIED, 1.0, True)
        assert drive.params["earlier"] == "E_Na"
        assert drive.message_id == "carried.right_given"

    def test_without_earlier_answers_the_drive_is_a_named_mistake(self, sodium):
        """The same drive alone (no earlier answers) is the named mistake log10, scoring 0."""
        problem, variant = sodium
        drive = grade_part(problem, variant, problem.part("drive"),
                           f"{-70 - round(log10_e_na(), 1):.1f} mV")
        assert (drive.note, drive.score) == ("mistake.log10", 0.0)

    @pytest.mark.parametrize(("e_na", "drive"), [
        ("50.0 mV", "-120.0 mV"),          # a slip in E_Na, the drive right from it
        ("50,0 mV", "-120,0 mV"),          # decimal commas
        ("５０．０ ｍＶ", "－１２０．０ ｍＶ"),  # full-width characters of a Chinese IME
        ("0.0500 V", "-120 mV"),           # E_Na in volts
        ("E_Na = 50.0 mv", "-0.120 V"),    # an assignment, a unit in lower case; volts
    ])
    def test_any_wrong_value_carries(self, sodium, e_na, drive):
        """Whatever the earlier value, a drive right from it is carried, as students write."""
        problem, variant = sodium
        result = grade(problem, variant, {"E_Na": e_na, "drive": drive})
        assert result.part("E_Na").score == 0
        assert (result.part("drive").note, result.part("drive").score) == (CARRIED, 1.0)

    def test_drive_not_from_the_earlier_answer_is_wrong(self, sodium):
        """A drive that matches neither the reference nor the student's E_Na scores 0."""
        problem, variant = sodium
        result = grade(problem, variant, {"E_Na": "50.0 mV", "drive": "-100 mV"})
        assert result.part("drive").note == "value.incorrect"
        assert result.part("drive").score == 0

    def test_right_answers_stay_correct(self, sodium):
        """Right E_Na and drive are simply correct (not carried)."""
        problem, variant = sodium
        result = grade(problem, variant, {"E_Na": "60.6 mV", "drive": "-131 mV"})
        assert [p.note for p in result.parts[:2]] == ["correct", "correct"]

    def test_drive_from_right_rounded_e_na(self, sodium):
        """A right E_Na written to 2 decimals and the drive from it: correct, not carried."""
        problem, variant = sodium
        e_na = 1000 * R * 310.15 / F * math.log(145 / 15)
        result = grade(problem, variant, {"E_Na": f"{e_na:.2f} mV",
                                          "drive": f"{-70 - round(e_na, 2):.2f} mV"})
        assert result.part("drive").note == "correct"

    @pytest.mark.parametrize(("credit", "score", "key"), [
        (0.5, 0.5, "carried.right_given"), (0.0, 0.0, "carried.no_credit")])
    def test_credit_option(self, sodium, credit, score, key):
        """``carry_forward`` sets the credit; 0 gives none and says so."""
        problem, variant = sodium
        drive = grade(problem, variant, {"E_Na": "50.0 mV", "drive": "-120.0 mV"},
                      carry_forward=credit).part("drive")
        assert (drive.note, drive.score, drive.correct, drive.message_id) == (
            CARRIED, score, score > 0, key)

    def test_problem_file_rule(self, sodium):
        """The problem file's ``scoring: {carry_forward: 0.25}`` is the default credit."""
        problem, _ = sodium
        ruled = replace(problem, scoring=Layer(carry_forward=0.25))
        drive = grade(ruled, ruled.variant(), {"E_Na": "50.0 mV", "drive": "-120.0 mV"}
                      ).part("drive")
        assert drive.score == 0.25

    def test_bad_credit_refused(self, sodium):
        """A credit outside 0..1 is the caller's error (ValueError naming the option)."""
        problem, variant = sodium
        with pytest.raises(ValueError, match="carry_forward must be a number in"):
            grade(problem, variant, {"E_Na": "50 mV"}, carry_forward=2)

    def test_message_in_english_and_chinese(self, sodium):
        """The message names the earlier part, in English and in Chinese."""
        problem, variant = sodium
        drive = grade(problem, variant, {"E_Na": "50.0 mV", "drive": "-120.0 mV"}).part("drive")
        assert "Right, given your E_Na" in drive.render(lang="en")
        assert "以你的 E_Na 为前提" in drive.render(lang="zh")
        assert "E_Na" in drive.render(lang="en", level="named")


class TestGradePartEarlier:
    def test_earlier_as_read_value(self, sodium):
        """``earlier`` may hold the value read (a number in the earlier part's unit)."""
        problem, variant = sodium
        drive = grade_part(problem, variant, problem.part("drive"), "-120.0 mV",
                           earlier={"E_Na": 50.0})
        assert (drive.note, drive.params["parts"]) == (CARRIED, ["E_Na"])

    def test_unreadable_earlier_is_ignored(self, sodium):
        """An unreadable earlier answer carries nothing: the drive is judged alone."""
        problem, variant = sodium
        drive = grade_part(problem, variant, problem.part("drive"), "-120.0 mV",
                           earlier={"E_Na": "fifty"})
        assert drive.note == "value.incorrect"

    def test_later_parts_are_not_earlier(self, sodium):
        """Only parts before this one carry: E_Na is not graded on the student's drive."""
        problem, variant = sodium
        e_na = grade_part(problem, variant, problem.part("E_Na"), "50.0 mV",
                          earlier={"drive": "-120.0 mV"})
        assert e_na.note == "value.incorrect"

    def test_chain_of_three(self, bank):
        """warming-q10 (canonical: 27 -> 37 °C, pump Q10 3): a wrong I_pump of 300 pA and
        I_pump2 = 300 × 3 = 900 pA from it is carried, naming I_pump."""
        problem = bank["warming-q10"]
        variant = problem.variant()
        result = grade(problem, variant, {"I_pump": "300 pA", "I_pump2": "900 pA"})
        assert result.part("I_pump").score == 0
        assert (result.part("I_pump2").note, result.part("I_pump2").params["earlier"]) == (
            CARRIED, "I_pump")


class TestScoringField:
    def test_problem_file_scoring_loads(self, tmp_path):
        """A problem file's ``scoring:`` mapping is read into its rules."""
        text = MINIMAL.replace("parts:\n", "scoring: {carry_forward: 0.5, tries: 2, parts: "
                               "{sign: {tries: 1}}}\nparts:\n", 1)
        problem = load_bank(write(tmp_path, text))["demo"]
        assert problem.scoring.carry_forward == 0.5
        assert problem.scoring.parts["sign"].tries == 1

    @pytest.mark.parametrize(("scoring", "field", "message"), [
        ("{tries: 0}", "scoring", "tries must be an integer >= 1 or None, got 0"),
        ("{penalty: 2}", "scoring", "penalty must be a number in \\[0, 1\\], got 2"),
        ("{bonus: 1}", "scoring", "unknown keys \\['bonus'\\]"),
        ("{parts: {nope: {tries: 1}}}", "scoring.parts.nope", "no such part"),
    ])
    def test_problem_file_scoring_refused(self, tmp_path, scoring, field, message):
        """A bad ``scoring:`` is a BankError naming the field."""
        from membranelab.bank import BankError

        text = MINIMAL.replace("parts:\n", f"scoring: {scoring}\nparts:\n", 1)
        with pytest.raises(BankError, match=message) as info:
            load_bank(write(tmp_path, text))
        assert info.value.field == field


class TestGradeCommand:
    @pytest.mark.slow
    def test_membranelab_grade_carries(self, tmp_path, capsys):
        """``membranelab grade`` credits the drive computed from a student's wrong E_Na (ann in
        hw1: 137 / 15 mM at 20 °C, V_rest −75 mV; her E_Na 50.0 mV, drive −75 − 50 = −125)."""
        import csv

        from membranelab.cli import main

        answers = tmp_path / "answers.csv"
        answers.write_text("student,assignment,problem,part,answer\n"
                           "ann,hw1,nernst-sodium,E_Na,50.0 mV\n"
                           "ann,hw1,nernst-sodium,drive,-125.0 mV\n", encoding="utf-8")
        out = tmp_path / "grades.csv"
        assert main(["grade", str(answers), "-o", str(out), "-j", "1", "--no-progress",
                     "--lang", "en"]) == 0
        rows = {r["part"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
        assert (rows["E_Na"]["score"], rows["drive"]["score"]) == ("0", "1")
        assert rows["drive"]["note"] == "carried"
        assert "given your E_Na" in rows["drive"]["feedback"]


class TestChoiceCarries:
    def test_direction_given_a_wrong_e_na(self, sodium):
        """nernst-sodium: with E_Na written as −80 mV (a sign slip), V_rest = −70 mV lies above
        it, so "out of the cell" is right given the student's E_Na: carried, naming E_Na."""
        problem, variant = sodium
        result = grade(problem, variant, {"E_Na": "-80 mV", "drive": "10 mV",
                                          "direction": "out of the cell"})
        assert result.part("E_Na").score == 0
        assert (result.part("drive").note, result.part("drive").score) == (CARRIED, 1.0)
        direction = result.part("direction")
        assert (direction.note, direction.score, direction.params["earlier"]) == (
            CARRIED, 1.0, "E_Na")

    def test_direction_right_anyway(self, sodium):
        """The right direction stays right whatever E_Na the student wrote."""
        problem, variant = sodium
        result = grade(problem, variant, {"E_Na": "50 mV", "direction": "into the cell"})
        assert result.part("direction").note == "correct"

    def test_direction_in_chinese(self, bank):
        """The same carried choice answered in Chinese on the Chinese variant."""
        problem = bank["nernst-sodium"]
        variant = problem.variant(lang="zh")
        zh = variant.problem.part("direction").answer_kind.choices
        out = zh[problem.part("direction").answer_kind.choices.index("out of the cell")]
        result = grade(problem, variant, {"E_Na": "－８０ 毫伏", "direction": out})
        assert result.part("direction").note == CARRIED

    def test_direction_as_a_sentence_in_another_language(self, sodium):
        """A sentence naming the choice by a spelling only the translation has ("钠离子外流":
        efflux) is read on the English variant when carried, as grade reads it when right."""
        problem, variant = sodium
        result = grade(problem, variant, {"E_Na": "-80 mV", "direction": "钠离子外流"})
        assert (result.part("direction").note, result.part("direction").score) == (CARRIED, 1.0)

