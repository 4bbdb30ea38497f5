"""TeX in Markdown made readable in a terminal."""

from __future__ import annotations

import pytest

from membranelab.bank.render.formats.terminal import tex_to_unicode


@pytest.mark.parametrize(("markdown", "text"), [
    (r"$E_K$", "E_K"),
    (r"$E_{Na}$", "E_Na"),
    (r"$[K^+]_{in}$", "[K⁺]_in"),
    (r"$10^{-3}$", "10⁻³"),
    (r"$\frac{RT}{zF}$", "RT/(zF)"),
    (r"$\frac{1}{2}$", "1/2"),
    (r"$\Delta G$", "ΔG"),
    (r"$\Delta G^\ddagger_{Na}$", "ΔG‡_Na"),
    (r"$\mu m$", "µm"),
    (r"$\mathrm{mV}$", "mV"),
    (r"37 $^\circ$C", "37 °C"),
    (r"$a \cdot b \approx c$", "a · b ≈ c"),
    (r"$\ln\frac{a}{b}$", "ln(a/b)"),
    (r"$\frac{RT}{F}\ln\frac{[\mathrm{Cl^-}]_{in}}{[\mathrm{Cl^-}]_{out}}$", "(RT/F) ln([Cl⁻]_in/[Cl⁻]_out)"),
    (r"$75.3\ \mathrm{mV}$", "75.3 mV"),
    (r"$g_{leak}E_{leak}$", "g_leak E_leak"),
    (r"$a \Rightarrow b$", "a ⇒ b"),
    (r"$\frac43\pi r^3$", "4/3πr³"),
    (r"$\Delta\tilde\mu_{Na} = RT\ln 4$", "Δµ̃_Na = RT ln 4"),
    (r"$-76.87\,mV$", "-76.87 mV"),
    ("costs $5 and $ 6", "costs $5 and $ 6"),
])
def test_inline(markdown, text):
    """Common constructs become Unicode; prices are left alone."""
    assert tex_to_unicode(markdown) == text


def test_display_math_gets_its_own_indented_line():
    """$$...$$ becomes an indented block."""
    assert tex_to_unicode("A\n$$V = IR$$\nB") == "A\n\n\n    V = IR\n\n\nB"


def test_plain_escapes_rich_markup():
    """Brackets in data ([K+], [out]/[in]) survive printing through rich."""
    from rich.console import Console

    from membranelab.bank.render.formats.terminal import plain

    console = Console(record=True, width=100)
    console.print(plain("the ratio is [out]/[in], $[K^+]_{o}$ [bold]x[/bold]"))
    assert console.export_text().strip() == "the ratio is [out]/[in], [K⁺]_o [bold]x[/bold]"


def test_sympy_nested_log_fraction():
    """sympy's LaTeX for the Nernst equation (a fraction inside a braced log) reads unambiguously."""
    from membranelab.bank.render.formats.terminal import tex_to_unicode

    tex = r"$E = \frac{R T \log{\left(\frac{c_{out}}{c_{in}} \right)}}{F z}$"
    assert tex_to_unicode(tex) == "E = (R T log (c_out/c_in ))/(F z)"


def test_fraction_in_exponent_keeps_brackets():
    """A fraction in an exponent stays grouped: e^(ddG/(R T))."""
    from membranelab.bank.render.formats.terminal import tex_to_unicode

    assert tex_to_unicode(r"$e^{\frac{ddG}{R T}}$") == "e^(ddG/(R T))"
