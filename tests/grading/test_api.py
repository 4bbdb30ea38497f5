"""Tests of the public surface of membranelab.grading."""

from __future__ import annotations

import membranelab.grading as grading


def test_all_is_exactly_the_public_names() -> None:
    """__all__ lists the public API, and each name exists."""
    assert set(grading.__all__) == {
        "DEFAULT_LIMITS", "NEEDS_REVIEW", "GradeResult", "Limits", "MISTAKES", "Mistake",
        "NAMED_KEEPS", "ParseFailure", "ParseSuccess", "PartResult", "Verdict", "check_choice",
        "check_formula",
        "check_quantity", "equivalent", "evaluate_mistakes", "parse_expression", "render_part",
    }
    assert all(hasattr(grading, name) for name in grading.__all__)


def test_no_eval_sympify_or_parse_expr_in_grading() -> None:
    """No grading module calls eval, exec, sympify or parse_expr."""
    import re
    from pathlib import Path

    pattern = re.compile(r"\b(eval|exec|sympify|parse_expr)\s*\(")
    sources = Path(grading.__file__).parent.glob("*.py")
    assert [path.name for path in sources if pattern.search(path.read_text("utf-8"))] == []
