"""The text of the source documents' errata in each language.

English is :mod:`membranelab.physics.errata` (``data/errata.yaml``); another language's text is
``data/errata.<lang>.yaml``: a mapping from erratum id to its translated ``quantity``, ``claim``,
``why`` and optionally ``document``. The numbers stay in ``errata.yaml``;
:func:`check_errata_text` makes sure a translation writes the same numbers as the English text
(like the problem overlays of :mod:`membranelab.bank.i18n`). The document's own Chinese wording,
when the bank records it, is ``errata.yaml``'s ``quote_zh``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml

from membranelab.physics.errata import Erratum, source_errata

from .errors import BankError
from .i18n import join_lines

__all__ = ["ErratumText", "erratum_text", "errata_texts", "check_errata_text", "TEXT_FIELDS"]

log = logging.getLogger(__name__)

#: The translatable fields of an erratum.
TEXT_FIELDS = ("quantity", "claim", "why", "document")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class ErratumText:
    """An erratum's words in one language: ``quote`` is the document's own wording in that
    language where it is recorded (``quote_zh``), else empty."""

    id: str
    document: str
    quantity: str
    claim: str
    why: str
    quote: str = ""


def _file(lang: str) -> str:
    return f"data/errata.{lang}.yaml"


@cache
def errata_texts(lang: str) -> Mapping[str, Mapping[str, str]]:
    """The translated fields of every erratum in ``lang`` (id -> field -> text); empty when the
    language has no errata file. Read once."""
    if lang == "en":
        return MappingProxyType({})
    resource = resources.files("membranelab").joinpath(_file(lang))
    if not resource.is_file():
        return MappingProxyType({})
    data = yaml.safe_load(resource.read_text("utf-8")) or {}
    if not isinstance(data, Mapping):
        raise BankError(_file(lang), "file", "expected a mapping of erratum id to its text")
    out = {}
    for eid, fields in data.items():
        if not isinstance(fields, Mapping):
            raise BankError(_file(lang), str(eid), "expected a mapping of field to text")
        unknown = sorted(set(fields) - set(TEXT_FIELDS))
        if unknown:
            raise BankError(_file(lang), f"{eid}.{unknown[0]}",
                            f"unknown field; allowed: {', '.join(TEXT_FIELDS)}")
        out[str(eid)] = MappingProxyType({k: " ".join(join_lines(str(v)).split())
                                          for k, v in fields.items()})
    return MappingProxyType(out)


def _numbers(text: str) -> list[str]:
    return sorted(_NUMBER.findall(unicodedata.normalize("NFKC", text)))


def check_errata_text(lang: str) -> None:
    """Raise :class:`BankError` (file, ``<id>.<field>``) unless every translated erratum is an
    erratum of ``errata.yaml``, translates each field English has (``document`` optional) and
    writes the same numbers."""
    english = source_errata()
    for eid, fields in errata_texts(lang).items():
        if eid not in english:
            raise BankError(_file(lang), eid, "not an erratum of errata.yaml")
        e = english[eid]
        for name in ("quantity", "claim", "why"):
            original = getattr(e, name)
            if original and name not in fields:
                raise BankError(_file(lang), f"{eid}.{name}", "missing")
            if name in fields and _numbers(original) != _numbers(fields[name]):
                a, b = Counter(_numbers(original)), Counter(_numbers(fields[name]))
                raise BankError(_file(lang), f"{eid}.{name}", "numbers differ from the English "
                                f"text: missing {sorted((a - b).elements())}, extra "
                                f"{sorted((b - a).elements())}")
    missing = sorted(set(english) - set(errata_texts(lang)))
    if missing:
        raise BankError(_file(lang), missing[0], f"no {lang} text for the errata {missing}")


def erratum_text(eid: str, lang: str = "en") -> ErratumText:
    """The words of erratum ``eid`` in ``lang``; a field with no translation is shown in
    English (logged)."""
    e: Erratum = source_errata()[eid]
    quote = str(getattr(e, f"quote_{lang}", "") or "") if lang != "en" else ""
    english = ErratumText(eid, e.document, e.quantity, e.claim, e.why)
    if lang == "en":
        return english
    fields = errata_texts(lang).get(eid, {})
    for name in ("quantity", "claim", "why"):
        if getattr(english, name) and name not in fields:
            log.warning("erratum %s has no %s %s; showing English", eid, lang, name)
    return ErratumText(eid, fields.get("document", e.document),
                       fields.get("quantity", e.quantity), fields.get("claim", e.claim),
                       fields.get("why", e.why), quote)
