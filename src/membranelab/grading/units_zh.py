"""Unit names as Chinese students write them: 毫伏, 皮安, 纳西, 皮法, 毫摩尔/升, 毫摩尔每升...

Each name maps to its unit in pint's spelling; :mod:`membranelab.grading.units` reads them as
tokens of the unit allow-list (longest name first, so 毫摩尔 is not 毫 + 摩尔), and ``每`` ("per")
as ``/``. Only names with one meaning in physiology are listed: 伏 is the volt, 西 (门子) the
siemens, 法 (拉) the farad, 升 the litre; 度 (degree of what?) and 分 (minute or part?) are not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["CHINESE_UNITS", "PER", "chinese_unit_name"]

_PREFIXES = {"": "", "千": "k", "毫": "m", "微": "u", "纳": "n", "皮": "p", "飞": "f"}
_BASES = {
    # base unit: (Chinese names, pint symbol, prefixes that make sense in this course)
    "volt": (("伏特", "伏"), "V", "毫微千"),
    "ampere": (("安培", "安"), "A", "毫微纳皮飞"),
    "siemens": (("西门子", "西"), "S", "毫微纳皮"),
    "farad": (("法拉", "法"), "F", "微纳皮飞"),
    "coulomb": (("库仑", "库"), "C", "毫微纳皮飞"),
    "watt": (("瓦特", "瓦"), "W", "毫微纳皮飞"),
    "joule": (("焦耳", "焦"), "J", "千"),
    "mole": (("摩尔", "摩"), "mol", "毫微纳"),
    "litre": (("升",), "L", "毫微"),
    "metre": (("米",), "m", "毫微纳"),
    "second": (("秒",), "s", "毫微"),
    "ohm": (("欧姆", "欧"), "ohm", "千兆"),
}


def _table() -> dict[str, str]:
    out: dict[str, str] = {}
    prefixes = dict(_PREFIXES, 兆="M")
    for names, symbol, allowed in _BASES.values():
        for name in names:
            out[name] = symbol
            for prefix in allowed:
                out[prefix + name] = prefixes[prefix] + symbol
    out.update({"厘米": "cm", "开尔文": "K", "开": "K", "摄氏度": "degC",
                "毫摩": "mmol"})
    return out


#: Chinese unit name -> unit in pint's spelling.
CHINESE_UNITS: Mapping[str, str] = MappingProxyType(_table())
#: The Chinese word for "per" (毫摩尔每升 = mmol/L).
PER = "每"


# pint's long names (``str(unit)``: ``millivolt``, ``millimole / liter``) in Chinese, for the
# gloss under an answer box: the prefix, then the unit's first Chinese name above.
_LONG_PREFIXES = {"": "", "kilo": "千", "mega": "兆", "milli": "毫", "micro": "微", "nano": "纳",
                  "pico": "皮", "femto": "飞", "centi": "厘"}
_LONG_BASES = {"volt": "伏", "ampere": "安", "siemens": "西", "farad": "法",
               "coulomb": "库", "watt": "瓦", "joule": "焦", "mole": "摩尔", "liter": "升",
               "meter": "米", "second": "秒", "ohm": "欧", "kelvin": "开尔文",
               "degree_Celsius": "摄氏度", "molar": "摩尔/升", "hertz": "赫兹"}
_LONG_NAME = re.compile(r"\b({})({})\b".format(
    "|".join(sorted(_LONG_PREFIXES, key=len, reverse=True)),
    "|".join(sorted(_LONG_BASES, key=len, reverse=True))))
_POWERS = {"2": "²", "3": "³"}


def chinese_unit_name(long_name: str) -> str:
    """pint's long name of a unit (``millivolt``, ``millimole / liter``, ``microfarad /
    centimeter ** 2``) in Chinese (毫伏, 毫摩尔/升, 微法/厘米²); ``""`` when a word of it has
    no Chinese name here (the caller then shows none rather than English)."""
    text = _LONG_NAME.sub(lambda m: _LONG_PREFIXES[m.group(1)] + _LONG_BASES[m.group(2)],
                          long_name)
    text = re.sub(r"\s*\*\*\s*([23])", lambda m: _POWERS[m.group(1)], text)
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s*\*\s*", "·", text)
    return "" if re.search(r"[A-Za-z]", text) else text
