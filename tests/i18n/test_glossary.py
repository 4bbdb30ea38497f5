"""The zh edition writes each term one way: every Chinese text of the package is scanned for the
forbidden variants of ``problems/GLOSSARY.zh.md`` (problem overlays, worked solutions, errata,
the message catalog, and the pages rendered from them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from membranelab.bank import load_bank, render_solution, render_statement
from membranelab.physics.errata import source_errata

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "problems" / "GLOSSARY.zh.md"
PO = ROOT / "src/membranelab/messages/locale/zh_Hans/LC_MESSAGES/membranelab.po"
ERRATA = ROOT / "src/membranelab/data/errata.zh.yaml"

_NEVER = [re.compile(r"\{\{[^{}]*\}\}"), re.compile(r"`[^`\n]*`")]  # placeholders, code
_MATH = [re.compile(r"\$\$.*?\$\$", re.S), re.compile(r"\$[^$\n]*\$"),
         re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S)]


@dataclass(frozen=True)
class Rule:
    term: str
    preferred: str
    forbidden: tuple[re.Pattern[str], ...]
    scope: str


def _cells(line: str) -> list[str]:
    """A Markdown table row's cells (``\\|`` is a literal bar)."""
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def glossary_rules(text: str) -> list[Rule]:
    """The rows of the glossary's table."""
    rules = []
    for line in text.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = _cells(line)
        if len(cells) != 4 or cells[0].startswith("term"):
            continue
        patterns = tuple(re.compile(p) for p in re.findall(r"`([^`]+)`", cells[2]))
        assert patterns and cells[3] in ("all", "prose", "errata"), line
        rules.append(Rule(cells[0], cells[1], patterns, cells[3]))
    return rules


RULES = glossary_rules(GLOSSARY.read_text("utf-8"))


def violations(text: str, *, errata: bool = False) -> list[str]:
    """Each forbidden variant found in ``text`` (``errata``: the errata's text, where the rules
    of scope ``errata`` apply too): 'term (preferred): the text around it'."""
    for strip in _NEVER:
        text = strip.sub(" ", text)
    prose = text
    for strip in _MATH:
        prose = strip.sub(" ", prose)
    found = []
    for rule in RULES:
        if rule.scope == "errata" and not errata:
            continue
        scanned = text if rule.scope == "all" else prose
        for pattern in rule.forbidden:
            for m in pattern.finditer(scanned):
                found.append(f"{rule.term} ({rule.preferred}): …{scanned[max(0, m.start() - 15):m.end() + 15]}…")
    return found


def _zh_files() -> list[Path]:
    files = sorted((ROOT / "problems").glob("*.zh.md")) + sorted((ROOT / "solutions").glob("*.zh.md"))
    return [f for f in files if f != GLOSSARY]


class TestGlossary:
    def test_the_table_is_read(self):
        """The glossary has its rows, each with at least one forbidden variant."""
        terms = {rule.term for rule in RULES}
        assert len(RULES) >= 15
        assert {"a part of a problem", "millimolar (concentration)", "NKCC1"} <= terms

    @pytest.mark.parametrize(("text", "term"), [
        ("泵使膜电位增加，[K+]o = 3 mM", "millimolar (concentration)"),
        ("第 2 小问", "a part of a problem"),
        ("由教材离子分布表", "the source documents (lecture notes)"),
        ("Cl⁻ 内向转运体 NKCC1", "NKCC1"),
        ("半径 10 um 的细胞", "micrometre"),
        ("[K+]o 升高", "potassium, sodium ions"),
    ])
    def test_a_planted_variant_is_found(self, text, term):
        """Each kind of slip the issue reported is caught."""
        assert any(v.startswith(term) for v in violations(text)), violations(text)

    def test_a_hyphen_for_minus_is_found_in_the_errata(self):
        """The errata's sentences use the true minus sign."""
        assert violations("E_K 约为 -85 mV", errata=True)
        assert violations("E_K 约为 −85 mV", errata=True) == []

    def test_math_and_placeholders_are_not_prose(self):
        """A minus inside math and a unit inside a placeholder are not findings."""
        assert violations("$V_m = -85$ mV，{{num|mM|4}} mmol/L，K⁺、Cl⁻") == []


@pytest.mark.parametrize("path", _zh_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_overlays_and_solutions(path):
    """Every problem overlay and worked solution in Chinese."""
    assert violations(path.read_text("utf-8")) == []


def test_errata():
    """The errata's Chinese text."""
    assert violations(ERRATA.read_text("utf-8"), errata=True) == []


def test_message_catalog():
    """Every message of the zh catalog."""
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        for text in strings:
            found += [f"{message.id}: {v}" for v in violations(text or "")]
    assert found == []


@pytest.mark.slow
def test_rendered_pages():
    """Every problem's statement and solution as rendered in Chinese (the documents' own quoted
    words removed)."""
    quotes = [e.quote_zh for e in source_errata().values() if e.quote_zh]
    found = []
    for problem in load_bank():
        variant = problem.variant("canonical", lang="zh")
        text = render_statement(variant) + render_solution(variant)
        for quote in quotes:
            text = text.replace(quote.strip(), " ")
        found += [f"{problem.id}: {v}" for v in violations(text)]
    assert found == []


@pytest.mark.slow
def test_web_pages(tmp_path, monkeypatch):
    """The zh web index and every problem page (the documents' quoted words removed)."""
    from starlette.testclient import TestClient

    from membranelab.web import ServeConfig, create_app

    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
    app = create_app(ServeConfig(student="alice", lang="zh", progress_path=tmp_path / "p.json"))
    found = []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        pages = {"/": client.get("/").text}
        for problem in load_bank():
            pages[f"/p/{problem.id}"] = client.get(f"/p/{problem.id}").text
    for url, html in pages.items():
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
        found += [f"{url}: {v}" for v in violations(text)]
    assert len(pages) > 20 and found == []
