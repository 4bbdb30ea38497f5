"""``choice``: one of a list of choices, fixed or picked by a condition on the variant's values.

Fields: ``choices`` (each a text, or ``{text, aliases: [..], why: "..."}``) and ``answer`` (a
choice, or ``{if: <condition>, then: <choice>, else: <choice>}``). Graded by
:func:`membranelab.grading.check_choice`; a choice's text in any language of the problem counts
as that choice (choices are keyed by the original's text: :func:`choice_index`).

Translated (:mod:`membranelab.bank.i18n`): an overlay's part gives ``choices`` (choice id ->
text), ``why`` (choice id -> text, for the choices the original explains) and ``aliases``
(choice id -> further spellings in that language, e.g. 去极化 for 使细胞去极化); no text may name
two choices in either language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from membranelab.grading import PartResult, check_choice
from membranelab.messages import gettext

from ..model import Answer, Choice
from .base import AnswerKind, Example, KindFinding, Reading, SpecContext, register

if TYPE_CHECKING:
    from ..model import Part, Problem, Variant

__all__ = ["ChoiceTexts", "Choices", "Picked", "choice_index", "choice_spellings"]

_CHOICE_KEYS = {"text", "aliases", "why"}

Fail = Callable[[str, str], Exception]


@dataclass(frozen=True)
class ChoiceTexts:
    """A translation overlay's texts of a choice part, each keyed by choice id: ``choices``
    (the choice's text), ``why`` (why it is wrong) and ``aliases`` (further spellings)."""

    choices: Mapping[str, str] = field(default_factory=dict)
    why: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _texts_by_id(fail: Fail, value: Any, fld: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise fail(fld, "expected a mapping of choice id to text")
    out = {}
    for k, v in value.items():
        if not isinstance(v, str) or not v.strip():
            raise fail(f"{fld}.{k}", f"expected non-empty text, found {v!r}")
        out[str(k)] = v
    return out


def _aliases_by_id(fail: Fail, value: Any, fld: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise fail(fld, "expected a mapping of choice id to a list of spellings")
    out = {}
    for cid, spellings in value.items():
        if not isinstance(spellings, list) or not spellings:
            raise fail(f"{fld}.{cid}", "expected a non-empty list of spellings")
        for a in spellings:
            if not isinstance(a, str) or not a.strip():
                raise fail(f"{fld}.{cid}", f"expected non-empty text, found {a!r}")
        out[str(cid)] = tuple(spellings)
    return out


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


@dataclass(frozen=True)
class Picked:
    """What the grade phase judges of a choice answer: the ``answer`` as given, and ``given``,
    the choice's text in the part's language when the answer is a choice's text in any
    language of the problem (else the answer itself)."""

    answer: object
    given: object


@register
@dataclass(frozen=True)
class Choices(AnswerKind):
    """``choices`` as shown (in the part's language); ``answer`` picks the right one;
    ``aliases`` maps a choice to further accepted spellings, ``why`` a wrong choice to one
    sentence saying why it is wrong."""

    name = "choice"
    fields = frozenset({"choices", "answer"})
    overlay_fields = frozenset({"choices", "why", "aliases"})

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

    def grade(self, part: Part, variant: Variant, reading: Reading) -> PartResult:
        """In the variant's language; a choice's text in any language of the problem counts as
        that choice (:meth:`parse` found which, given the problem)."""
        picked = reading.parsed
        if not isinstance(picked, Picked):
            raise TypeError(f"a choice part graded on a reading of {type(picked).__name__}")
        answer, given = picked.answer, picked.given
        result = check_choice(given, variant.answer(part.id).text, self.choices,
                              part_id=part.id, weight=part.points,
                              aliases=self._every_spelling(part, variant), why=self.why)
        # given is not answer only when answer is text (a choice written in another language)
        return replace(result, answer=str(answer)) if given is not answer else result

    def _every_spelling(self, part: Part, variant: Variant) -> Mapping[str, tuple[str, ...]]:
        """Each choice -> every spelling that names it in any language of the problem (a
        sentence names a choice by any of them), worked out once per variant."""
        return variant.memo(("choice spellings", part.id, self.choices), lambda: {
            choice: tuple(spellings) for choice, spellings in
            zip(self.choices, choice_spellings(variant.problem, part.id), strict=True)})

    def uses(self) -> frozenset[str]:
        """The names the right choice is picked from (its condition's; none for a literal)."""
        return self.answer.condition.names if self.answer.condition is not None else frozenset()

    def judge_env(self, part: Part, variant: Variant, answer: object,
                  env: Mapping[str, float]) -> PartResult:
        """The verdict on ``answer`` when the right choice is the one picked for the values
        ``env`` (SI; error carried forward: :mod:`membranelab.bank.carry`)."""
        given = answer
        if isinstance(answer, str):
            index = choice_index(variant.problem, part.id, answer)
            if index is not None:
                given = self.choices[index]
        right = self.answer.pick(env)
        result = check_choice(given, right, self.choices, part_id=part.id, weight=part.points,
                              aliases=self._every_spelling(part, variant), why=self.why)
        # given is not answer only when answer is text (a choice written in another language)
        return replace(result, answer=str(answer)) if given is not answer else result

    def how_to_answer(self, quote: str = '"', *, lang: str = "en") -> str:
        separator = gettext("how.choice_separator", lang)
        return gettext("how.choice", lang,
                       choices=separator.join(f"{quote}{c}{quote}" for c in self.choices))

    def parse(self, part: Part, text: object, problem: Problem | None = None) -> Reading:
        """The choice ``text`` is, when it is a choice's text in any language of the problem
        (``problem``: the problem in every language; form ``choice``), else the text as given
        (form ``text``: which choice the grader's matching makes of it is :meth:`grade`'s,
        and :meth:`shown`'s for a person). The reading keeps what grade judges
        (:class:`Picked`)."""
        if problem is not None and isinstance(text, str):  # in any language of the problem
            index = choice_index(problem, part.id, text)
            if index is not None:
                given = self.choices[index]
                return Reading("choice", {"choice": given}, parsed=Picked(text, given))
        return Reading("text", {"text": str(text).strip()}, parsed=Picked(text, text))

    def shown(self, part: Part, reading: Reading) -> Reading:
        """A text read as the grader's matching reads it: the one choice it names (form
        ``choice``), or why it names none."""
        picked = reading.parsed
        if reading.form != "text" or not isinstance(picked, Picked):
            return reading
        found = check_choice(picked.given, self.choices[0], self.choices, aliases=self.aliases)
        choice = found.params.get("choice") if found.readable else None
        if isinstance(choice, str):
            return Reading("choice", {"choice": choice}, parsed=picked)
        listing = ", ".join(f"\u201c{c}\u201d" for c in self.choices)
        return Reading.refused("readback.not_a_choice", {"choices": listing}, parsed=picked)

    # -- translation ----------------------------------------------------------------------------
    def translation(self, texts: Mapping[str, Any], fail: Fail, field: str) -> ChoiceTexts:
        """An overlay's ``choices``, ``why`` and ``aliases``, each a mapping by choice id."""
        return ChoiceTexts(
            choices=MappingProxyType(_texts_by_id(fail, texts.get("choices"), f"{field}.choices")),
            why=MappingProxyType(_texts_by_id(fail, texts.get("why"), f"{field}.why")),
            aliases=MappingProxyType(_aliases_by_id(fail, texts.get("aliases"),
                                                    f"{field}.aliases")))

    def check_translation(self, translation: Any, fail: Fail,
                          same: Callable[[str, str, str], None], field: str) -> None:
        """The same choice ids, each translated without changing its numbers; aliases of known
        choices; no text naming two choices; the same choices explained."""
        text = translation if isinstance(translation, ChoiceTexts) else ChoiceTexts()
        if set(text.choices) != set(self.choices):
            raise fail(f"{field}.choices", f"choice ids {sorted(text.choices)} differ from "
                       f"the original's {sorted(self.choices)}")
        for cid in self.choices:
            same(f"{field}.choices.{cid}", cid, text.choices[cid])
        unknown = sorted(set(text.aliases) - set(self.choices))
        if unknown:
            raise fail(f"{field}.aliases", f"{unknown} are not choice ids of the original")
        seen: dict[str, int] = {}
        for index, spelling in self._spellings(text):
            key = _fold(spelling)
            if seen.setdefault(key, index) != index:
                raise fail(f"{field}.choices", f"{spelling!r} would name two choices "
                           f"({self.choices[seen[key]]!r} and {self.choices[index]!r})")
        if set(text.why) != set(self.why):
            raise fail(f"{field}.why", f"explanations for {sorted(text.why)} differ from "
                       f"the original's {sorted(self.why)}")
        for cid, original in self.why.items():
            same(f"{field}.why.{cid}", original, text.why[cid])

    def _spellings(self, text: ChoiceTexts) -> list[tuple[int, str]]:
        """(choice index, a text that names it): the original's texts and aliases, then the
        translation's."""
        out = []
        for i, cid in enumerate(self.choices):
            out.append((i, cid))
            out.extend((i, a) for a in self.aliases.get(cid, ()))
            out.append((i, text.choices[cid]))
            out.extend((i, a) for a in text.aliases.get(cid, ()))
        return out

    def localized(self, translation: Any) -> Choices:
        """The translated choices; the original's spellings still name each choice."""
        if not isinstance(translation, ChoiceTexts):
            return self
        choices, why, aliases = translation.choices, translation.why, translation.aliases
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


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2212", "-")
    return " ".join(folded.replace("_", " ").split()).strip(" .\u3002")


def choice_spellings(problem: Problem, part_id: str) -> tuple[tuple[str, ...], ...]:
    """Per choice of part ``part_id`` (in order), every text that names it in any language of
    the problem: the choice's text and aliases in the original and in every translation."""
    out: list[list[str]] = []
    for version in problem.every_language():
        kind = version.part(part_id).answer_kind
        if not isinstance(kind, Choices):
            continue
        for i, choice in enumerate(kind.options):
            if i == len(out):
                out.append([])
            out[i].extend(s for s in (choice, *kind.aliases.get(choice, ())) if s not in out[i])
    return tuple(tuple(texts) for texts in out)


def choice_index(problem: Problem, part_id: str, answer: str) -> int | None:
    """The index of the choice of part ``part_id`` whose text, in any language of the problem
    (the original and every translation), is ``answer`` (case, width and spacing ignored); None
    if no choice's text matches (letters and numbers are the grader's to read)."""
    given = _fold(answer)
    if not given:
        return None
    for version in problem.every_language():
        kind = version.part(part_id).answer_kind
        if not isinstance(kind, Choices):
            continue
        for i, choice in enumerate(kind.options):
            spellings = (choice,) + tuple(kind.aliases.get(choice, ()))
            if any(_fold(s) == given for s in spellings):
                return i
    return None
