"""Filling a variant's text: every ``{{placeholder}}`` of a prompt, hint, body or solution.

``{{param}}`` prints the parameter as the statement does, ``{{derived|unit|sigfigs}}`` a value in a
unit (``|unit|.2``: with 2 decimals), ``{{part_id}}`` the part's reference answer (the answer kind says how), ``{{formula:name}}``
the formula's TeX, ``{{erratum:id}}`` a paragraph on the source's error, ``{{figure:id}}`` the
figure's image (or its caption when not drawn; :func:`fill_pieces` leaves each figure's place
to whoever draws it).  Numbers in e-notation that land inside ``$..$``
are typeset as powers of ten.  The result is Markdown with TeX, the input of every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from membranelab.formulas import formula_latex
from membranelab.grading.numformat import param_text, sig_figs, sub_e, tex_power
from membranelab.messages import gettext
from membranelab.physics.errata import source_errata
from membranelab.physics.units import from_si, is_dimensionless, unit_text

from ..errata_text import erratum_text
from ..model import Variant
from ..rounding import shown_figures
from ..template import Placeholder, substitute

__all__ = ["erratum_paragraph", "fill_pieces", "fill_text"]


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def erratum_paragraph(eid: str, lang: str = "en") -> str:
    """The paragraph ``{{erratum:eid}}`` becomes: the source, its words, its numbers, why wrong."""
    e = source_errata()[eid]
    words = erratum_text(eid, lang)

    def value(pair: tuple[float, str]) -> str:
        unit = "" if is_dimensionless(pair[1]) else f" {unit_text(pair[1])}"
        number = param_text(pair[0])
        if "e" in number:  # 1.86e-5 -> 1.86 × 10⁻⁵ (a sentence, not a calculator)
            mantissa, exponent = number.split("e")
            number = f"{mantissa} × 10{exponent.translate(_SUPERSCRIPTS)}"
        if lang == "zh":  # the zh edition's typesetting (problems/GLOSSARY.zh.md)
            return f"{number}{unit.replace('mM', 'mmol/L')}".replace("-", "\u2212")
        return f"{number}{unit}"

    numbers = [gettext("render.erratum.stated", lang, value=value(e.stated))] if e.stated else []
    numbers += ([gettext("render.erratum.correct", lang, value=value(e.correct))]
                if e.correct else [])
    values = gettext("render.erratum.list_separator", lang).join(numbers)
    if numbers and words.quantity:
        values = gettext("render.erratum.quantity", lang, quantity=words.quantity, values=values)
    title = e.source.title_zh if lang == "zh" else e.source.title
    section = e.section_zh if lang == "zh" else e.section
    source = (gettext("render.erratum.source_section", lang, title=title, section=section)
              if section else gettext("render.erratum.source", lang, title=title))
    quote = gettext("render.erratum.quote", lang, quote=words.quote.strip()) if words.quote else ""
    key = "render.erratum" if e.kind == "error" else "render.note"
    key += ".numbers" if numbers else ""
    return gettext(key, lang, source=source, quote=quote, claim=words.claim, values=values,
                   why=words.why.strip())


def _fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals; never ``-0.00``."""
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def _resolver(variant: Variant, figure: Callable[[str], str]) -> Callable[[Placeholder], str]:
    problem = variant.problem
    lang = problem.lang
    answers = variant.answers()
    derived = {d.name: d for d in problem.derived}

    def resolve(ph: Placeholder) -> str:
        if ph.prefix == "formula":
            return formula_latex(ph.name)
        if ph.prefix == "erratum":
            return erratum_paragraph(ph.name, lang)
        if ph.prefix == "figure":
            return figure(ph.name)
        name = ph.name
        if ph.unit is not None and ph.decimals is not None:
            return _fixed(from_si(variant.values[name], ph.unit), ph.decimals)
        if ph.unit is not None:
            return sig_figs(from_si(variant.values[name], ph.unit), ph.sigfigs or 3)
        if name in problem.params:
            return problem.params[name].display(variant.params[name])
        if name in answers:
            part = problem.part(name)
            return part.answer_kind.placeholder(part, answers[name], ph.sigfigs)
        unit = derived[name].unit
        si = variant.values[name]
        return sig_figs(from_si(si, unit), ph.sigfigs or shown_figures(problem, name, si))

    return resolve


_MATH_SPAN = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)


def _tex_numbers(text: str) -> str:
    """Numbers in e-notation inside ``$...$`` / ``$$...$$`` typeset as a x 10^{b}."""
    return _MATH_SPAN.sub(lambda span: sub_e(span.group(0), tex_power), text)


def figure_markdown(caption: str, link: str | None, lang: str) -> str:
    """A figure in Markdown: its image ``![caption](link)``, or without a ``link`` (not drawn)
    its caption in italics."""
    if link is not None:
        return f"![{caption}]({link})"
    return f"*{gettext('render.figure', lang, caption=caption)}*"


def fill_text(variant: Variant, template: str, figures: Mapping[str, str] | None = None) -> str:
    """``template`` (a prompt, hint or body) with every ``{{placeholder}}`` filled for ``variant``
    (``figures``: figure id -> image path, for the figures drawn); numbers in e-notation that land
    inside math are typeset as powers of ten."""
    links = figures or {}
    captions = {f.id: f.caption for f in variant.problem.figures}

    def figure(fid: str) -> str:
        return figure_markdown(captions[fid], links.get(fid), variant.problem.lang)

    return _tex_numbers(substitute(template, _resolver(variant, figure)))


#: Marks a figure's place while the rest is filled (NUL never occurs in bank text).
_FIGURE_MARK = "\x00"


def fill_pieces(variant: Variant, template: str) -> tuple[str, ...]:
    """``template`` filled as :func:`fill_text` fills it, cut at its figures: text, figure id,
    text, figure id, ..., text (an odd number of pieces; figure ids at odd indices), so that a
    figure is drawn only by a format that shows it."""
    known = {f.id for f in variant.problem.figures}

    def figure(fid: str) -> str:
        if fid not in known:
            raise KeyError(fid)  # the loader refuses a placeholder naming no figure
        return f"{_FIGURE_MARK}{fid}{_FIGURE_MARK}"

    return tuple(_tex_numbers(substitute(template, _resolver(variant, figure)))
                 .split(_FIGURE_MARK))
