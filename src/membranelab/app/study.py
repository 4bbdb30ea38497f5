"""Self-study's rules, the same in the terminal (``practice``), the notebook
(:class:`membranelab.notebooks.selfstudy.SelfStudy`) and the browser (``serve``): how many graded
tries a part allows, and the feedback level a student working alone gets."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from membranelab.grading.result import PartResult

__all__ = ["MAX_TRIES", "SELF_STUDY_LEVEL", "feedback"]

#: Feedback level of self-study (practice and the self-study notebook).
SELF_STUDY_LEVEL = "full"
#: Graded attempts per part before the answer is revealed.
MAX_TRIES = 3


def feedback(result: PartResult, lang: str | None = None) -> str:
    """A result's feedback at the self-study level (``full``: direction and size of an error),
    in ``lang`` (default: the language chosen for this session, see ``resolve_lang``)."""
    from membranelab.messages import part_text, resolve_lang

    return part_text(result, lang=resolve_lang(lang), level=SELF_STUDY_LEVEL)
