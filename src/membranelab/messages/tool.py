"""Catalog maintenance: the ``.pot`` template from the English catalog, and consistency checks."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from .catalog import DOMAIN, LANGUAGES, catalog, missing_translations, placeholders

__all__ = ["check_catalogs", "write_template"]


def write_template(locale_dir: Path) -> Path:
    """Write ``locale_dir/membranelab.pot``: every English key with an empty msgstr and the
    English text as an extracted comment, for ``pybabel update``."""
    template = Catalog(project="membranelab", domain=DOMAIN, fuzzy=False)
    for key, text in sorted(catalog("en").items()):
        flags = ("python-format",) if placeholders(text) else ()
        template.add(key, "", auto_comments=[text], flags=flags)
    path = locale_dir / f"{DOMAIN}.pot"
    with path.open("wb") as handle:
        write_po(handle, template, width=100, omit_header=False, sort_output=True)
    return path


def check_catalogs() -> tuple[list[str], dict[str, list[str]]]:
    """(errors, untranslated keys per language): a translation must use exactly the English
    text's named parameters and may not carry keys English lacks."""
    english = catalog("en")
    errors: list[str] = []
    untranslated: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        if lang == "en":
            continue
        own = catalog(lang)
        for key, text in own.items():
            if key not in english:
                errors.append(f"{lang}: {key!r} is not in the English catalog")
            elif placeholders(text) != placeholders(english[key]):
                errors.append(f"{lang}: {key!r} uses {sorted(placeholders(text))}, English "
                              f"{sorted(placeholders(english[key]))}")
        untranslated[lang] = missing_translations(lang)
    return errors, untranslated
