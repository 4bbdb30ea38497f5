"""Bank files that used to crash or hang the loader (issue 9): one line naming the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from membranelab.cli import main

REPO = Path(__file__).resolve().parents[2]
SOURCE = (REPO / "problems" / "nernst-potassium.md").read_text(encoding="utf-8")
GRID = "K_out: {low: 2.5, high: 8.0"
NUMERIC = "    kind: numeric\n    value: E_K"
ARGS = "args: {c_out: K_out, c_in: K_in, z: 1, temperature: T}"

BROKEN = {
    "grid_inf": (SOURCE.replace(GRID, "K_out: {low: 2.5, high: .inf"), "params.K_out.high"),
    "grid_nan": (SOURCE.replace(GRID, "K_out: {low: .nan, high: 8.0"), "params.K_out.low"),
    "parens": (SOURCE.replace('drive: {expr: "V_rest - E_K"',
                              'drive: {expr: "' + "(" * 240 + "V_rest - E_K" + ")" * 240 + '"'),
               "derived.drive.expr"),
    "deep_yaml": (SOURCE.replace("source: ", "deep: " + "[" * 20_000 + "]" * 20_000
                                 + "\nsource: "), "front matter"),
    "points_nan": (SOURCE.replace(NUMERIC, "    kind: numeric\n    points: .nan\n    value: E_K"),
                   "parts[0].points"),
    "points_inf": (SOURCE.replace(NUMERIC, "    kind: numeric\n    points: .inf\n    value: E_K"),
                   "parts[0].points"),
    "points_negative": (SOURCE.replace(NUMERIC, "    kind: numeric\n    points: -2\n    value: E_K"),
                        "parts[0].points"),
    "tolerance_negative": (SOURCE.replace("tolerance: {relative: 0.01}",
                                          "tolerance: {relative: -5}"),
                           "parts[0].tolerance.relative"),
    # 1 KB of aliases standing for 9**9 (387 million) strings, in a solver's arguments
    "alias_bomb": (SOURCE.replace(ARGS, ARGS[:-1] + ", " + ", ".join(
        ["x0: &x0 [" + ", ".join(["K_out"] * 9) + "]"]
        + [f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 9) + "]" for i in range(1, 9)]) + "}"),
        "front matter"),
    "huge_integer": (SOURCE.replace(ARGS, ARGS.replace("z: 1", "z: " + "9" * 5000)),
                     "front matter"),
    "unit_bomb": (SOURCE.replace("    value: E_K\n    unit: mV",
                                 "    value: E_K\n    unit: '10**10**10 * mM'"),
                  "parts[0].unit"),
}


def _bank(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "bank"
    (root / "problems").mkdir(parents=True)
    (root / "problems" / "nernst-potassium.md").write_text(text, encoding="utf-8")
    (root / "solutions").mkdir()
    shutil.copy(REPO / "solutions" / "nernst-potassium.md", root / "solutions")
    return root


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_is_one_line_naming_the_field(tmp_path, capsys, case):
    """Exit 2 and one line naming the file and the field; no traceback, no hang."""
    text, field = BROKEN[case]
    assert text != SOURCE
    code = main(["--bank", str(_bank(tmp_path, text)), "show", "nernst-potassium"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "nernst-potassium.md" in err and field in err


@pytest.mark.parametrize("text", [
    "\ufeff" + SOURCE,  # a byte-order mark before '---'
    SOURCE.replace("V_rest: {low: -80, high: -60, step: 1, unit: mV, canonical: -70}",
                   "V_rest: {low: -8e1, high: -6e1, step: 1, unit: mV, canonical: -7e1}"),
], ids=["bom", "yaml_exponent_numbers"])
def test_readable_variants_of_the_file_load(tmp_path, capsys, text):
    """A BOM, and numbers YAML 1.1 reads as text (-8e1), are accepted."""
    code = main(["--bank", str(_bank(tmp_path, text)), "show", "nernst-potassium"])
    assert code == 0, capsys.readouterr().err
