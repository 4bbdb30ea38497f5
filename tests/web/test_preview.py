"""The live preview: how an answer is read, through the grader's own readers (never eval)."""

from __future__ import annotations

import pytest

from membranelab.web.preview import preview_answer

from .conftest import csrf_of


@pytest.fixture
def parts(bank):
    problem = bank.problems["nernst-potassium"]
    return {p.id: p for p in problem.parts}


class TestNumbers:
    def test_number_and_unit(self, parts):
        """-95.0 mV is read as written (three figures) in millivolt."""
        p = preview_answer(parts["E_K"], "-95.0 mV")
        assert p.ok and p.tex == r"-95.0\,\mathrm{mV}" and p.detail == "(millivolt)"

    @pytest.mark.parametrize(("answer", "gloss"), [
        ("-95.0 mV", "（毫伏）"), ("-95.0 毫伏", "（毫伏）"), ("-0.095 V", "（伏）"),
        ("-95 MV", "（兆伏）"),
    ])
    def test_unit_named_in_chinese(self, parts, answer, gloss):
        """A Chinese page names the unit read in Chinese, not pint's English (not （millivolt）)."""
        p = preview_answer(parts["E_K"], answer, lang="zh")
        assert p.ok and p.detail == gloss

    def test_megavolt_is_named(self, parts):
        """MV is shown as megavolt, so the student sees the slip before submitting."""
        assert preview_answer(parts["E_K"], "-95 MV").detail == "(megavolt)"

    def test_power_of_ten(self, parts):
        """3.46×10⁻¹³ is typeset as a power of ten."""
        p = preview_answer(parts["E_K"], "3.46×10⁻¹³ V")
        assert p.ok and p.tex.startswith(r"3.46 \times 10^{-13}")

    def test_unknown_unit_is_not_read(self, parts):
        """An unknown unit gets the grader's message, no TeX."""
        p = preview_answer(parts["E_K"], "-95 zorks")
        assert not p.ok and "zorks" in p.message and p.tex == ""

    def test_no_number(self, parts):
        """Words are not a number."""
        p = preview_answer(parts["E_K"], "minus ninety")
        assert not p.ok and "number" in p.message

    def test_empty(self, parts):
        """Nothing typed: a prompt, not an error."""
        assert preview_answer(parts["E_K"], "   ").message == "Type your answer."


class TestFormulas:
    def test_formula_typeset(self, parts):
        """The Nernst formula with implicit products is read and typeset as a fraction."""
        p = preview_answer(parts["formula"], "R T/(z F) ln(c_out/c_in)")
        assert p.ok and p.tex.startswith(r"\frac{R T \ln")

    def test_unknown_name(self, parts):
        """A name that is not one of the part's symbols is refused with the grader's message."""
        p = preview_answer(parts["formula"], "R*T/(q*F)")
        assert not p.ok and "q" in p.message

    @pytest.mark.parametrize("hostile", ["__import__('os').system('true')", "10^10^10^10",
                                         "(" * 500 + "R" + ")" * 500, "exec('1')"])
    def test_hostile_text_is_refused(self, parts, hostile):
        """Code and exponent towers are refused by the bounded parser (nothing evaluated)."""
        assert not preview_answer(parts["formula"], hostile).ok


def test_preview_endpoint_needs_csrf_and_json(study):
    """POST /api/preview needs the page's CSRF header and a JSON body."""
    body = {"problem": "nernst-potassium", "part": "E_K", "answer": "-95 mV"}
    assert study.post("/api/preview", json=body).status_code == 403
    csrf = csrf_of(study.get("/").text)
    assert study.post("/api/preview", data=body, headers={"X-CSRF-Token": csrf}
                      ).status_code == 400
    reply = study.post("/api/preview", json=body, headers={"X-CSRF-Token": csrf})
    assert reply.status_code == 200 and reply.json()["ok"] is True
