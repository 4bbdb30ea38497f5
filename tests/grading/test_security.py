"""Hostile input: no code runs, nothing raises, every call returns within its bound."""

from __future__ import annotations

import gc
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from membranelab.grading import (
    Limits,
    ParseFailure,
    ParseSuccess,
    PartResult,
    check_formula,
    check_quantity,
    parse_expression,
    symbolic_worker,
)

#: Wall-clock bound per grading call asserted here (generous; the sympy timeout is 0.8 s).
#: The work one grading call may do in the calling thread (CPU seconds: what an input could blow
#: up, measured so that a busy machine does not change it); the sympy fallback's child process
#: has its own CPU limit (test_symbolic_worker.py).
BOUND_SECONDS = 2.0
#: Wall-clock seconds after which a call counts as hung: a hang detector, never a speed claim.
HANG_SECONDS = 60.0
NERNST = "R*T/(z*F)*ln(c_o/c_i)"
SYMBOLS = ["R", "T", "F", "z", "c_o", "c_i"]

# Payloads; "{path}" is replaced by the sentinel file each one tries to create.
CODE = [
    "__import__('os').system('touch {path}')",
    '__import__("os").system("touch {path}")',
    "__import__('os').system('touch {path}') mV",
    "1 mV; __import__('os').system('touch {path}')",
    "sqrt.__globals__['__builtins__']['__import__']('os').system('touch {path}')",
    "ln.__globals__['os'].system('touch {path}')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__mro__[1].__subclasses__()",
    "R.__class__.__init__.__globals__",
    "lambda: __import__('os').system('touch {path}')",
    "(lambda: 0)()",
    "eval(\"__import__('os').system('touch {path}')\")",
    "exec(\"import os; os.system('touch {path}')\")",
    "compile('1', '', 'eval')",
    "open('{path}', 'w').write('x')",
    "import os; os.system('touch {path}')",
    "os.system('touch {path}')",
    "subprocess.run(['touch', '{path}'])",
    "getattr(R, '__class__')",
    "globals()", "locals()", "vars()", "breakpoint()", "help()", "input()",
    "Symbol('x')", "Function('f')(R)", "S('1')", "N(1)", "I", "E", "oo", "zoo", "Integer(1)",
    "R.func", "R.args[0]", "R[0]", "R.subs(R, 1)",
    "{0.__class__}", "{0.__init__.__globals__}", "%s", "%(x)s", "f'{R}'", "{{7*7}}",
    "${jndi:ldap://example.invalid/a}", "<script>alert(1)</script>", "'; DROP TABLE grades; --",
    "Symbol(\"x') or __import__('os').system('touch {path}') or ('\")",
    "__builtins__", "_", "R; T", "R = 1", "R == T", "R if T else F", "[R]", "R, T",
]
BOMBS = [
    "9**9**9**9", "10^10^10", "(10**10)**(10**10)", "10**10**10 V", "2**2**2**2**2**2",
    "R^(10^10)", "exp(exp(exp(exp(R))))", "10^300*10^300*10^300", "1e308*1e308",
    "R**-1e10", "(R+1)^1000", "(R+T)^999*(R-T)^999", "10^(10^2)^(10^2)", "(-1)^(10^100)",
    "9^9^9 mV", "1e300000 mV", "0.0000001e-99999999", "exp(1e300)", "ln(ln(ln(0)))",
]
SIZES = [
    "(" * 10_000 + "R" + ")" * 10_000, "x+" * 500_000, "1" * 1_000_000, "-" * 5_000 + "R",
    "-" * 900 + "R", "(" * 400 + "R" + ")" * 400, "R*" * 200 + "R", "ln(" * 100 + "R" + ")" * 100,
    "1" * 150 + " mV", "1." + "0" * 180 + " mV",
]
NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "0/0", "1/0", "log(0)", "sqrt(-1)",
           "nan mV", "inf V", "-inf mV", "0^0", "0^-1"]
UNICODE = [
    "\uff11\uff12\uff13", "\uff19\uff15 mV", "2*\u0445", "\u212f^R", "\u03c0*R", "R\u200dT",
    "R\u200b", "\u202eR", "R\u0301", "\u0669\u0665 mV", "\U0001d411", "\ufeffR", "R\u2028T",
    "\ud800", "ｅｘｐ(R)", "95 \u043c\u0412",
]
CONTROL = ["\x00", "\x1b[31mR\x1b[0m", "\x07", "R\x00T", "R\r\nT", "\x7f", "\x08R", "-95\x00 mV"]
PINT = [
    "1 V * 10**10**10", "1 meter ** 1e10", "1 kg m^9999999", "1 V ** (10**10)", "1 [length]",
    "1 V # comment", "1 delta_degC", "1 ''", "1 @", "1 V/0", "1 mV to V", "1 mV ** 9**9**9",
    "1 metre ** 1000000000000", "1 V**-99", "1 mV/mV/mV/mV", "1 °", "1 ° C", "1 °K",
    "1 V (", "1 )V(", "1 V^", "1 ^2", "1 m^(1/2)", "1 mV + 1 V", "1 Quantity", "1 UnitRegistry",
]
TEXT_PAYLOADS = CODE + BOMBS + SIZES + NUMBERS + UNICODE + CONTROL + PINT
OTHER_PAYLOADS: list[Any] = [
    None, b"\xff\xfe", b"__import__('os')", 12, 3.5, float("nan"), float("inf"), [], {},
    object(), True, b"", bytearray(b"1 mV"), ("1", "mV"),
]


class _Audit:
    """Records audit events that mean process creation, or compiling/executing code that is
    not a module file.  Allowed: sympy importing its own modules lazily, and sympy.polys
    generating its fixed monomial helpers (``def monomial_mul(A, B)``: no student text)."""

    PROCESS = frozenset({"os.system", "subprocess.Popen", "os.exec", "os.posix_spawn",
                         "os.spawn", "os.fork"})
    active = False
    events: list[str] = []
    allowed_exec = frozenset({"<string>"})  # only reached after an allowed compile above

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.active:
            return
        if event in cls.PROCESS:
            cls.events.append(event)
        elif (event == "compile" and not str(args[1]).endswith(".py")
              and not _source(args[0]).startswith("def monomial_")):
            cls.events.append(f"compile {args[1]}")
        elif event == "exec" and getattr(args[0], "co_filename", "") not in cls.allowed_exec \
                and not getattr(args[0], "co_filename", "").endswith(".py"):
            cls.events.append(f"exec {getattr(args[0], 'co_filename', '?')}")


def _source(source: Any) -> str:
    return source.decode("utf-8", "replace") if isinstance(source, bytes) else str(source)


sys.addaudithook(_Audit.hook)


@pytest.fixture
def sentinel(tmp_path: Path) -> Path:
    """The file the payloads try to create; grading is warmed up before watching starts."""
    check_quantity("-95 mV", -94.97, "mV")
    check_formula(NERNST, NERNST, SYMBOLS)
    # sympy, imported on its first use (its import compiles text: run alone, or first in a
    # worker, a payload that takes the sympy path was blamed for it)
    check_formula("10^-3*R*T/F", NERNST, SYMBOLS)
    assert symbolic_worker.start()
    return tmp_path / "SENTINEL"


def _timed(call: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """(the call's result, the CPU seconds it took in this thread); fails when the call takes
    :data:`HANG_SECONDS` of wall-clock time (hung).  Python's cyclic garbage collector is off
    during the call: a collection of what earlier tests left is not the input's work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start, cpu = time.monotonic(), time.thread_time()
        result = call(*args, **kwargs)
        seconds = time.thread_time() - cpu
        assert time.monotonic() - start < HANG_SECONDS, "the call hung"
    finally:
        if enabled:
            gc.enable()
    return result, seconds


def test_audit_sees_a_payload_that_runs(sentinel: Path) -> None:
    """Control: a CODE payload that IS executed creates the sentinel and is recorded (process
    creation and compiled text), so the empty records asserted below mean that nothing ran."""
    payload = CODE[0].replace("{path}", str(sentinel))
    _Audit.events.clear()
    _Audit.active = True
    try:
        eval(payload)  # noqa: S307 - the control: deliberately run one payload outside the grader
    finally:
        _Audit.active = False
    assert sentinel.exists()
    assert "os.system" in _Audit.events and "compile <string>" in _Audit.events
    _Audit.events.clear()


@pytest.mark.parametrize("template", TEXT_PAYLOADS, ids=range(len(TEXT_PAYLOADS)))
def test_text_payload_runs_no_code_and_is_bounded(template: str, sentinel: Path) -> None:
    """A hostile text is refused or graded wrong, fast, with no code executed."""
    payload = template.replace("{path}", str(sentinel))
    _Audit.events.clear()
    _Audit.active = True
    try:
        quantity, quantity_time = _timed(check_quantity, payload, -94.97, "mV")
        formula, formula_time = _timed(check_formula, payload, NERNST, SYMBOLS)
    finally:
        _Audit.active = False
    assert not sentinel.exists()
    assert _Audit.events == []
    assert isinstance(quantity, PartResult) and isinstance(formula, PartResult)
    assert not quantity.correct and not formula.correct
    assert quantity.note and formula.note and quantity.feedback and formula.feedback
    assert max(quantity_time, formula_time) < BOUND_SECONDS


@pytest.mark.parametrize("payload", OTHER_PAYLOADS, ids=range(len(OTHER_PAYLOADS)))
def test_non_text_payload_is_refused(payload: Any, sentinel: Path) -> None:
    """Objects that are not text are refused or graded wrong, never raising."""
    quantity = check_quantity(payload, -94.97, "mV")
    formula = check_formula(payload, NERNST, SYMBOLS)
    assert not quantity.correct and not formula.correct
    assert formula.note in {"answer.empty", "answer.invalid_type", "parse.error"}


def test_refused_payload_points_at_column() -> None:
    """The __import__ payload is refused at column 1 with a caret."""
    result = check_formula("__import__('os').system('true')", NERNST, SYMBOLS)
    assert result.note == "parse.error"
    assert "column 1" in result.feedback
    assert result.feedback.splitlines()[-1] == "  ^"


@pytest.mark.parametrize(("payload", "note"), [
    ("9**9**9**9", "limits.exponent"), ("10^10^10", "limits.exponent"),
    ("(10**10)**(10**10)", "limits.exponent"), ("x+" * 500_000, "limits.too_long"),
    ("(" * 10_000 + "R" + ")" * 10_000, "limits.too_long"),
    ("-" * 300 + "R", "limits.too_deep"), ("-" * 900 + "R", "limits.too_large"),
])
def test_bombs_have_limit_notes(payload: str, note: str) -> None:
    """Exponent bombs and huge inputs are refused with their limit's note."""
    assert check_formula(payload, NERNST, SYMBOLS).note == note


FORMULA_ALPHABET = "0123456789.eE+-*/^() RTFzc_oiln" + "xsqrtp,\u2212\u00b7"
FAST = Limits(sympy_timeout_seconds=0.1)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_fuzz_parser_never_raises(text: str) -> None:
    """Random text gives ParseSuccess or ParseFailure within the bound, never an exception
    (the bound of the other fuzz tests: 0.5 s failed once, 0.79 s of CPU on ``'¸\x81\x94'``,
    which takes 10 ms alone, in a worker that had run other tests: a collection of their
    garbage, which :func:`_timed` now keeps out)."""
    result, seconds = _timed(parse_expression, text, SYMBOLS)
    assert isinstance(result, (ParseSuccess, ParseFailure))
    assert seconds < BOUND_SECONDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=FORMULA_ALPHABET, max_size=60))
def test_fuzz_formula_grading_never_raises(text: str) -> None:
    """Formula-like random text is graded (never raises) within the bound."""
    result, seconds = _timed(check_formula, text, NERNST, SYMBOLS, limits=FAST)
    assert isinstance(result, PartResult)
    assert seconds < BOUND_SECONDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="0123456789.,eE+-*^ xX10mkVMuµJKs/°C·²⁻¹Ω%()", max_size=40)
       | st.text(max_size=60))
def test_fuzz_quantity_grading_never_raises(text: str) -> None:
    """Number-and-unit-like random text is graded (never raises) within the bound."""
    result, seconds = _timed(check_quantity, text, -94.97, "mV")
    assert isinstance(result, PartResult)
    assert seconds < BOUND_SECONDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="mkuµMVJKsSAWFCΩ°gmolL/*^·²⁻¹()-0123456789 .%_eE", max_size=60)
       | st.text(max_size=60))
def test_fuzz_unit_text_never_raises(unit_text: str) -> None:
    """Any text after a valid number reaches the unit reader, which never raises or hangs."""
    result, seconds = _timed(check_quantity, "1 " + unit_text, -94.97, "mV")
    assert isinstance(result, PartResult)
    assert seconds < BOUND_SECONDS


# Exponent bombs: a rational (or float) base close to 1 with an exponent from 1e6 to 1e300,
# nested, with units, in the spellings students use.  sympy used to build each exactly.
EXPONENT_BOMBS = [
    "1.0000001^1e9*R", "1.0000001**1e9*R", "1.0000001^(1e9)*R", "1.0000001^(10^9)*R",
    "1.0000001^1000000000*R", "(10000001/10000000)^1e9*R", "(1+1e-7)^1e9*R", "1.000001^1e6*R",
    "1.0000000001^1e10*R", "0.9999999^1e9*R", "1.0000001^-1e9*R", "(-1.0000001)^1e9*R",
    "1.00000000000000001^1e300*R", "(1+10^-17)^(10^300)*R", "(1e-200*1e-200)^1e300*R",
    "(1-1e-300)^1e300*R", "1e-300^1e-300*R", "(1.0000001^1e9)^1e9*R", "(1.0000001^1e6)^1e6*R",
    "((1.0000001^1e3)^1e3)^1e3*R", "(sqrt(1.0000001^1000))^1000*R", "1.0000001^(1e3*1e3*1e3)*R",
    "1.0000001^(1e9+0.5)*R", "2^(1.0000000000000000000001)*R", "exp(1.0000001^1e9)*R",
    "sqrt(1.0000001^1e9)*R", "ln(1.0000001^1e9)*R", "R*T/(z*F)*ln(c_o/c_i)*1.0000001^1e9",
    "1.0000001^1e9 R T/F", "1.0000001^1e9*R mV", "1.0000001^1e9 mV", "\uff11.\uff10\uff10\uff10"
    "\uff10\uff10\uff10\uff11^\uff11e\uff19*R", "1.0000001\u207a^1e9*R", "1.0000001^1e9\u00b7R",
]


@pytest.mark.parametrize("bomb", EXPONENT_BOMBS, ids=range(len(EXPONENT_BOMBS)))
def test_exponent_bomb_is_bounded(bomb: str, sentinel: Path) -> None:
    """Each bomb is graded (wrong, or refused) within the bound by both graders."""
    formula, formula_time = _timed(check_formula, bomb, NERNST, SYMBOLS)
    quantity, quantity_time = _timed(check_quantity, bomb, -94.97, "mV")
    assert not formula.correct and not quantity.correct
    assert formula.note and quantity.note and formula.feedback
    assert max(formula_time, quantity_time) < BOUND_SECONDS


def test_exponent_bombs_in_threads_are_bounded(sentinel: Path) -> None:
    """In a thread pool the bombs get the verdicts they get on the main thread, in time."""
    main = [check_formula(bomb, NERNST, SYMBOLS).note for bomb in EXPONENT_BOMBS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        timed = list(pool.map(lambda bomb: _timed(check_formula, bomb, NERNST, SYMBOLS),
                              EXPONENT_BOMBS))
    assert [result.note for result, _ in timed] == main
    assert max(seconds for _, seconds in timed) < BOUND_SECONDS


@pytest.mark.parametrize(("bomb", "note"), [
    ("1.00000000000000001^1e300*R", "limits.exponent"),  # exp(1e283): too large
    ("(1e-200*1e-200)^1e300*R", "limits.exponent"),      # 10^(-4e302): too small
    ("(1.0000001^1e9)^1e9*R", "limits.exponent"),
    ("1.0000001^1e9*R", "formula.not_equivalent"),        # about 2.69e43 R, computed in floats
])
def test_exponent_bomb_verdicts(bomb: str, note: str) -> None:
    """Out-of-range powers are refused with a limit note; in-range ones are graded."""
    assert check_formula(bomb, NERNST, SYMBOLS).note == note


def test_tiny_power_is_called_too_small() -> None:
    """A power below 10^-300 is refused as too small, not as too large."""
    result = check_formula("(1e-200*1e-200)^1e300*R", NERNST, SYMBOLS)
    assert "too small" in result.feedback


def test_power_near_one_is_evaluated_accurately() -> None:
    """1.0000001^1e9 = exp(1e9 * ln(1 + 1e-7)) = exp(100 - 5e-6 + ...) = 2.68810e43 (not 1, not
    an exact number with 8e9 digits), so R times it is graded against 2.68810e43*R as equal."""
    assert check_formula("1.0000001^1e9*R", "2.6881037e43*R", ["R"]).note == "correct"
    assert check_formula("1.0000001^1e9*R", "2.69e43*R", ["R"]).correct is False


THREAD_CASES = [
    ("exp(1000*x)/exp(1000*x)", "1", "correct"),
    ("x^1000/x^999", "x", "correct"),
    ("(1+x)^500-(1+x)^500", "0", "correct"),
    ("ln(x-10)", "ln(x-10)", "correct"),                     # decided by sympy
    ("ln(x-10)*(x+y)^999*(x-y)^999", "ln(x-10)*(x^2-y^2)^999", "needs_review"),  # sympy: > 20 s
]


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_symbolic_pool")
def test_same_verdict_in_main_thread_and_thread_pool() -> None:
    """The verdicts in a ThreadPoolExecutor are those of the main thread (no SIGALRM skip)."""
    def grade(case: tuple[str, str, str]) -> str:
        return check_formula(case[0], case[1], ["x", "y"]).note

    main = [grade(case) for case in THREAD_CASES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = list(pool.map(grade, THREAD_CASES))
    assert main == threaded == [note for _, _, note in THREAD_CASES]
