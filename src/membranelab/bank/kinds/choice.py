"""``choice``: one of a list of choices, fixed or picked by a condition on the variant's values.

Fields: ``choices`` (each a text, or ``{text, aliases: [..], why: "..."}``) and ``answer`` (a
choice, or ``{if: <condition>, then: <choice>, else: <choice>}``). Graded by
:func:`membranelab.grading.check_choice`; a choice's text in any language of the problem counts
as that choice (choices are keyed by the original's text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from membranelab.grading import PartResult, check_choice
from membranelab.messages import gettext

from ..model import Answer, Choice
from .base import AnswerKind, Example, KindFinding, Reading, SpecContext, register

if TYPE_CHECKING:
    from ..model import Part, Problem
    from ..variants import Variant

__all__ = ["Choices"]

_CHOICE_KEYS = {"text", "aliases", "why"}


def _entries(c: Any, spec: Any, fld: str
             ) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, str]]:
    """(choices, aliases by choice, why by choice): each entry is a text or a mapping
    ``{text, aliases: [..], why: "..."}``."""
    if not isinstance(spec, list) or len(spec) < 2:
        raise c.fail(fld, "expected a list of at least two choices")
    texts: list[str] = []
    aliases: dict[str, tuple[str, ...]] = {}
    why: dict[str, str] = {}
    for j, entry in enumerate(spec):
        f = f"{fld}[{j}]"
        if isinstance(entry, str):
            texts.append(c.text(entry, f))
            continue
        entry = c.mapping(entry, f)
        c.keys(entry, _CHOICE_KEYS, f)
        text = c.text(entry.get("text"), f"{f}.text")
        texts.append(text)
        if "aliases" in entry:
            al = entry["aliases"]
            if not isinstance(al, list) or not all(isinstance(a, str) and a.strip() for a in al):
                raise c.fail(f"{f}.aliases", "expected a list of texts")
            aliases[text] = tuple(al)
        if "why" in entry:
            why[text] = c.text(entry["why"], f"{f}.why")
    if len(set(texts)) != len(texts):
        raise c.fail(fld, f"duplicate choices in {texts}")
    taken = {t.casefold(): t for t in texts}
    for text, names in aliases.items():
        for a in names:
            other = taken.setdefault(a.casefold(), text)
            if other != text:
                raise c.fail(f"{fld}.aliases", f"alias {a!r} of {text!r} is also {other!r}")
    return tuple(texts), aliases, why


def _answer(c: Any, spec: Any, choices: tuple[str, ...], fld: str, known: frozenset[str]
            ) -> Choice:
    def member(value: Any, f: str) -> str:
        if value not in choices:
            raise c.fail(f, f"{value!r} is not one of the choices {list(choices)}")
        return value

    if isinstance(spec, str):
        return Choice(member(spec, fld))
    spec = c.mapping(spec, fld)
    for key in ("if", "then", "else"):
        if key not in spec:
            raise c.fail(f"{fld}.{key}", "missing (answer is a choice or {if, then, else})")
    return Choice(member(spec["then"], f"{fld}.then"),
                  c.expr(spec["if"], f"{fld}.if", set(known), True),
                  member(spec["else"], f"{fld}.else"))


def _check_gradeable(c: Any, choices: tuple[str, ...], fld: str) -> None:
    """Each choice, typed exactly, must be recognised by the grader (it reads "1", "-1", "a"
    and parentheses specially)."""
    for choice in choices:
        if not check_choice(choice, choice, choices).correct:
            raise c.fail(fld, f"the grader does not recognise the choice {choice!r} typed "
                         "exactly; avoid bare numbers, letters and parentheses")


@register
@dataclass(frozen=True)
class Choices(AnswerKind):
    """``choices`` as shown (in the part's language); ``answer`` picks the right one;
    ``aliases`` maps a choice to further accepted spellings, ``why`` a wrong choice to one
    sentence saying why it is wrong."""

    name = "choice"
    fields = frozenset({"choices", "answer"})

    choices: tuple[str, ...]
    answer: Choice
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    why: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: SpecContext) -> Choices:
        c, f = ctx.checker, ctx.field
        choices, aliases, why = _entries(c, spec.get("choices"), f"{f}.choices")
        _check_gradeable(c, choices, f"{f}.choices")
        if "answer" not in spec:
            raise c.fail(f"{f}.answer", "missing")
        answer = _answer(c, spec["answer"], choices, f"{f}.answer", ctx.known)
        if answer.condition is None and answer.then in why:
            raise c.fail(f"{f}.choices", f"{answer.then!r} is the answer: it takes no 'why'")
        return cls(choices=choices, answer=answer, aliases=aliases, why=why)

    @property
    def options(self) -> tuple[str, ...]:
        return self.choices

    def reference(self, part: Part, variant: Variant) -> Answer:
        return Answer(part.id, self.name, None, None, None, self.answer.pick(variant.values))

    def grade(self, part: Part, variant: Variant, answer: object) -> PartResult:
        """In the variant's language; a choice's text in any language of the problem counts as
        that choice."""
        from ..i18n import choice_index, choice_spellings

        given = answer
        if isinstance(answer, str):
            index = choice_index(variant.problem, part.id, answer)
            if index is not None:
                given = self.choices[index]
        # a sentence in any language of the problem names a choice by any of its spellings
        aliases = {choice: tuple(spellings) for choice, spellings in
                   zip(self.choices, choice_spellings(variant.problem, part.id), strict=True)}
        result = check_choice(given, variant.answer(part.id).text, self.choices,
                              part_id=part.id, weight=part.points, aliases=aliases,
                              why=self.why)
        # given is not answer only when answer is text (a choice written in another language)
        return replace(result, answer=str(answer)) if given is not answer else result

    def uses(self) -> frozenset[str]:
        """The names the right choice is picked from (its condition's; none for a literal)."""
        return self.answer.condition.names if self.answer.condition is not None else frozenset()

    def judge_env(self, part: Part, variant: Variant, answer: object,
                  env: Mapping[str, float]) -> PartResult:
        """The verdict on ``answer`` when the right choice is the one picked for the values
        ``env`` (SI; error carried forward: :mod:`membranelab.bank.carry`)."""
        from ..i18n import choice_index

        given = answer
        if isinstance(answer, str):
            index = choice_index(variant.problem, part.id, answer)
            if index is not None:
                given = self.choices[index]
        right = self.answer.pick(env)
        result = check_choice(given, right, self.choices, part_id=part.id, weight=part.points,
                              aliases=self.aliases, why=self.why)
        # given is not answer only when answer is text (a choice written in another language)
        return replace(result, answer=str(answer)) if given is not answer else result

    def how_to_answer(self, quote: str = '"', *, lang: str = "en") -> str:
        separator = gettext("how.choice_separator", lang)
        return gettext("how.choice", lang,
                       choices=separator.join(f"{quote}{c}{quote}" for c in self.choices))

    def read(self, part: Part, text: str, problem: Problem | None = None) -> Reading:
        given = text
        if problem is not None:  # a choice's text in any language of the problem, as graded
            from ..i18n import choice_index

            index = choice_index(problem, part.id, text)
            if index is not None:
                given = self.choices[index]
        for choice in self.choices:
            if check_choice(given, choice, self.choices, aliases=self.aliases).correct:
                return Reading("choice", {"choice": choice})
        listing = ", ".join(f"\u201c{c}\u201d" for c in self.choices)
        return Reading.refused("readback.not_a_choice", {"choices": listing})

    def localized(self, choices: Mapping[str, str], why: Mapping[str, str],
                  aliases: Mapping[str, tuple[str, ...]]) -> Choices:
        """The translated choices; the original's spellings still name each choice."""
        a = self.answer
        answer = Choice(then=choices.get(a.then, a.then), condition=a.condition,
                        otherwise=None if a.otherwise is None else choices.get(a.otherwise,
                                                                               a.otherwise))
        return replace(
            self, choices=tuple(choices[c] for c in self.choices), answer=answer,
            why=MappingProxyType({choices[c]: w for c, w in why.items()}) if self.why
            else self.why,
            aliases=MappingProxyType({
                choices[c]: tuple(self.aliases.get(c, ())) + (c,) + tuple(aliases.get(c, ()))
                for c in self.choices}))

    def examples(self, part: Part, variant: Variant) -> tuple[Example, ...]:
        """The right choice's text; another choice's; words naming none of them."""
        right = variant.answer(part.id).text
        other = next((c for c in self.choices if c != right), right)
        return (Example(right, "right"), Example(other, "wrong"),
                Example("qwzx vbnm", "unreadable"))

    def variant_findings(self, part: Part, variant: Variant) -> Iterable[KindFinding]:
        computed = variant.answer(part.id).text
        if computed not in self.choices:
            yield KindFinding("choice", "", {"answer": computed})
        elif computed in self.why:
            yield KindFinding("why", computed, {"choice": computed})
