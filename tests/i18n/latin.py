"""Finding English in text meant to be Chinese: Latin words outside math, code, symbols, units,
formulas and the few names Chinese text writes in Latin letters."""

from __future__ import annotations

import re

__all__ = ["english_words", "ALLOWED"]

#: Words Chinese physiology text and this program's interface write in Latin letters: units,
#: functions, ions and molecules, people's names, program and file-format names, the program's
#: own commands and option values (a command line is typed in Latin letters).
ALLOWED = frozenset("""
mV mM pA nA nS pS pF pC pW fW kJ mol mmol kelvin ms µm um cm µF uF mg dm dimensionless percent
min nm pL nC Gohm GΩ kΩ µS µA
ln log lg log10 exp sqrt abs ddG
Na Cl Ca ATP ADP GABA GABA_A KCC NKCC HCO NaCl RC GHK ATPase Q10
Goldman Hodgkin Katz Nernst Donnan Arrhenius Shannon Nightingale Mullins Noda
ClC Thomsen Becker
membranelab MathJax Jupyter JupyterHub jupyter lab nbgrader Markdown markdown HTML html JSON json
CSV csv PNG ipynb notebook terminal UTF NaN jsDelivr CDN npm mathjax node_modules es5 tex chtml js file
http https URL SQLAlchemy Playwright Chromium Moodle Canvas
list show practice grade regrade report render course demo build check audit serve tokens secret
alice bob
""".split())

_STRIP = [
    re.compile(r"\$\$.*?\$\$", re.S),           # display math
    re.compile(r"\$[^$\n]*\$"),                 # inline math
    re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S),  # MathJax delimiters in HTML
    re.compile(r"`[^`]*`"),                     # code
    re.compile(r"<[^>]+>"),                     # HTML tags
    re.compile(r"https?://\S+|file://\S+"),     # URLs
    re.compile(r"(?<!\w)--?[A-Za-z][\w-]*"),    # options
    re.compile(r"\$[A-Z_]+"),                   # environment variables
    re.compile(r"\{[\w,-]+\}"),                 # a command line's choices: {full,named,score}
    re.compile(r"\S*[A-Za-z]\S*[/\\.]\S*|\S*[/\\.]\S*[A-Za-z]\S*"),  # paths, files, dotted ids
    re.compile(r"\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b"),  # kebab-case ids: nernst-potassium
    re.compile(r"\b[A-Za-z]+_\w+|\b\w+_[A-Za-z]\w*"),  # symbols with subscripts: E_K, c_out
    re.compile(r"[\])]_[A-Za-z]\w*"),         # subscripts after a bracket: [K⁺]_out
    re.compile(r"'[^'\s]{1,40}'"),             # one value as typed, quoted: 'abc', 'named'
    re.compile(r"\b[A-Za-z]*\d[\w]*"),          # tokens with digits: Q10, KCC2, ps1
    re.compile(r"\b[A-Z]{2,}\b"),               # upper-case metavars and acronyms: DIR, ID, GHK
]
_WORD = re.compile(r"[A-Za-z]{3,}")
#: A unit as pint names it (``kilogram``, ``millivolt``): the grader says how it read a unit.
_UNIT_NAME = re.compile(r"^(?:femto|pico|nano|micro|milli|centi|kilo|mega)?(?:gram|meter|metre|"
                        r"second|volt|ampere|siemens|farad|coulomb|joule|watt|kelvin|mole|liter|"
                        r"litre|hertz|ohm|molar)s?$")


def english_words(text: str) -> list[str]:
    """The Latin words of ``text`` (three letters or more) that are not math, code, symbols,
    units, formulas, identifiers or :data:`ALLOWED` names."""
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in ALLOWED and not _UNIT_NAME.match(w)]
