"""Tries and credit: the scoring rules of a part, and the credit a sequence of tries earns.

A pure policy: no front end, file or clock here. The rules of a part (:class:`Rules`) are
resolved from layers (:class:`Layer`) in this precedence, later wins:

1. the defaults (:data:`DEFAULTS`);
2. the problem file's ``scoring:`` mapping (``problems/README.md``, "Scoring");
3. the assignment's or class file's rules;
4. a student's extension.

Within a layer, a part's own entry (``parts: {<part id>: {...}}``) wins over that layer's
defaults; a field a layer does not set is left to the layers below. :func:`credit` turns the
results of a part's tries, in order, into the credited share of its points; :func:`step` is
one try of it, for a front end that keeps a part's :func:`standing` between tries (every front
end takes its scoring from here, through :mod:`membranelab.service.scoring`).

The defaults (documented in ``problems/README.md``): 3 tries, no penalty per wrong try, a choice
earns credit only on its first try (so a choice of k options cannot be won by elimination: the
expected credit of guessing is exactly 1/k), no credit for a sign-only error, full credit for an
answer right given the student's own earlier answers (error carried forward). Where a context
has one answer per part (nbgrader, CSV), that answer is the first try and these rules apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from membranelab.grading import PartResult

__all__ = ["DEFAULTS", "SIGN_ONLY", "Credit", "Layer", "Rules", "Scoring", "Try", "credit",
           "problem_rules", "standing", "step"]

#: The note of an answer right but for its sign (:func:`membranelab.grading.check_quantity`).
SIGN_ONLY = "sign.flipped"


@dataclass(frozen=True)
class Rules:
    """The scoring rules of one part, resolved.

    ``tries``: tries that count (an unreadable answer is not a try); None: unlimited.
    ``penalty``: share of the points lost per wrong try before the right one (0..1).
    ``choice_first_try``: a choice earns credit only on its first try.
    ``sign_credit``: credit for an answer right but for its sign (0: none).
    ``carry_forward``: credit for an answer right given the student's own wrong earlier
    answers (:mod:`membranelab.bank.carry`)."""

    tries: int | None = 3
    penalty: float = 0.0
    choice_first_try: bool = True
    sign_credit: float = 0.0
    carry_forward: float = 1.0

    def __post_init__(self) -> None:
        if self.tries is not None and (isinstance(self.tries, bool)
                                       or not isinstance(self.tries, int) or self.tries < 1):
            raise ValueError(f"tries must be an integer >= 1 or None, got {self.tries!r}")
        for name in ("penalty", "sign_credit", "carry_forward"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
        if not isinstance(self.choice_first_try, bool):
            raise ValueError(f"choice_first_try must be true or false, "
                             f"got {self.choice_first_try!r}")


#: The rules where no layer says otherwise.
DEFAULTS = Rules()

_FIELDS = tuple(f.name for f in fields(Rules))


@dataclass(frozen=True)
class Layer:
    """Rules one file (or a student's extension) sets: a field left None is not set here;
    ``parts`` maps a part id to that part's own settings (a Layer without ``parts``)."""

    tries: int | None = None
    penalty: float | None = None
    choice_first_try: bool | None = None
    sign_credit: float | None = None
    carry_forward: float | None = None
    unlimited: bool = False
    parts: Mapping[str, Layer] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "scoring") -> Layer:
        """A layer from a file's mapping (``tries`` a whole number or ``unlimited``; the
        others as in :class:`Rules`; ``parts``: part id -> the same keys). ``ValueError``
        naming ``where`` and the key for anything else."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected a mapping, found {type(data).__name__}")
        unknown = set(data) - set(_FIELDS) - {"parts"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}; known: "
                             f"{', '.join((*_FIELDS, 'parts'))}")
        values: dict[str, Any] = {}
        for name in _FIELDS:
            if name in data:
                values[name] = data[name]
        unlimited = values.get("tries") == "unlimited"
        if unlimited:
            values["tries"] = None
        try:  # the same checks as resolved rules
            replace(DEFAULTS, **values)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}: {error}") from None
        parts: dict[str, Layer] = {}
        spec = data.get("parts", {}) or {}
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}.parts: expected a mapping of part ids")
        for part_id, part_data in spec.items():
            if isinstance(part_data, Mapping) and "parts" in part_data:
                raise ValueError(f"{where}.parts.{part_id}: a part has no parts")
            parts[str(part_id)] = cls.from_mapping(part_data, f"{where}.parts.{part_id}")
        return cls(**values, unlimited=unlimited, parts=MappingProxyType(parts))

    def _apply_own(self, rules: Rules) -> Rules:
        values = {name: getattr(self, name) for name in _FIELDS
                  if getattr(self, name) is not None}
        if self.unlimited:
            values["tries"] = None
        return replace(rules, **values) if values else rules

    def apply(self, rules: Rules, part_id: str) -> Rules:
        """``rules`` with this layer's settings for ``part_id`` on top."""
        rules = self._apply_own(rules)
        own = self.parts.get(part_id)
        return own._apply_own(rules) if own is not None else rules


@dataclass(frozen=True)
class Scoring:
    """Layers in precedence order (problem file, assignment or class file, extension)."""

    layers: tuple[Layer, ...] = ()

    def part(self, part_id: str) -> Rules:
        """The resolved rules of ``part_id``."""
        rules = DEFAULTS
        for layer in self.layers:
            rules = layer.apply(rules, part_id)
        return rules

    def then(self, *layers: Layer | None) -> Scoring:
        """These rules with further layers on top (None: no layer)."""
        return Scoring((*self.layers, *(layer for layer in layers if layer is not None)))


def problem_rules(problem: Any) -> Scoring:
    """The scoring of ``problem`` as its file sets it (its ``scoring`` layer, if any)."""
    layer = getattr(problem, "scoring", None)
    return Scoring((layer,) if isinstance(layer, Layer) else ())


@dataclass(frozen=True)
class Credit:
    """Where a part stands after some tries: ``score`` the credited share of its points (0..1),
    ``tries`` the tries counted, ``tries_left`` (None: unlimited), ``closed`` when no later
    try can earn more (right, out of tries, or a choice past its first try), ``right`` when a
    try was right."""

    score: float
    tries: int
    tries_left: int | None
    closed: bool
    right: bool = False


@dataclass(frozen=True)
class Try:
    """What one more try did: ``earned`` the share of the part's points this try earns (0..1;
    0 for an unreadable answer or a try on a closed part), ``counted`` whether it was a try,
    and the part's standing ``after`` it."""

    earned: float
    counted: bool
    after: Credit


def standing(tries: int = 0, best: float = 0.0, right: bool = False,
             rules: Rules = DEFAULTS, *, choice: bool = False) -> Credit:
    """A part's standing from what a front end stores: ``tries`` counted, the ``best`` share
    credited, whether a try was ``right``.  (Closing depends on nothing else: a right try, a
    choice past its first try, or the last try; a choice under ``choice_first_try`` has one
    try left before it, whatever ``tries`` says.)"""
    limit = 1 if choice and rules.choice_first_try else rules.tries  # a choice: its first
    left = None if limit is None else max(0, limit - tries)
    closed = right or left == 0
    return Credit(float(best), int(tries), left, bool(closed), bool(right))


def step(before: Credit, result: PartResult, rules: Rules = DEFAULTS, *, choice: bool = False
         ) -> Try:
    """One more try on a part standing at ``before`` (``choice``: the part is a choice).

    An unreadable answer is not a try, and a closed part takes none.  A try earns its score
    less ``penalty`` per try before it (every try before an open part's next one was not
    right); a try right but for its sign earns ``sign_credit`` (less the same penalty) and
    counts as wrong, as does a partly right one (its own score: digits, a missing unit); a
    choice with ``choice_first_try`` earns only on its first try.  A right try closes the
    part; so does the last try, and a choice's first try under ``choice_first_try``."""
    if before.closed or not result.readable:
        return Try(0.0, False, before)
    tries = before.tries + 1
    keep = max(0.0, 1.0 - rules.penalty * before.tries)
    earns = not (choice and rules.choice_first_try) or tries == 1
    right = bool(result.correct) and result.score > 0
    share = float(result.score)
    if not right and result.note == SIGN_ONLY:
        share = max(share, rules.sign_credit)
    earned = min(1.0, max(0.0, share)) * keep if earns else 0.0
    after = standing(tries, max(before.score, earned), right, rules, choice=choice)
    return Try(earned, True, after)


def credit(results: Sequence[PartResult], rules: Rules = DEFAULTS, *, choice: bool = False
           ) -> Credit:
    """The credit of a part's tries, in order (``choice``: the part is a choice): each
    :func:`step` in turn from a fresh part; the best credit earned counts, and tries after
    the part is closed are ignored."""
    now = standing(rules=rules, choice=choice)
    for result in results:
        now = step(now, result, rules, choice=choice).after
    return now
