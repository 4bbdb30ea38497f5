"""``membranelab practice``, driven as a person would in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import json
import signal

import pexpect
import pytest

from .conftest import PROBLEM, REPO, command, subprocess_env

STUDENT = "alice"
TIMEOUT = 30


@pytest.fixture
def variant(bank):
    """Alice's practice variant of the test problem (computed independently of the CLI)."""
    return bank.problems[PROBLEM].variant(STUDENT, "practice")


def spawn(data_dir, *extra: str) -> pexpect.spawn:
    argv = command() + ["practice", "--student", STUDENT, "--problem", PROBLEM, *extra]
    child = pexpect.spawn(argv[0], argv[1:], env=subprocess_env(data_dir), cwd=str(REPO),
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))
    return child


def answer_text(variant, part_id: str) -> str:
    answer = variant.answers()[part_id]
    return f"{answer.text} {answer.unit}" if answer.unit else answer.text


class TestPracticeSession:
    def test_wrong_feedback_hint_right_solution(self, data_dir, variant):
        """A whole session: typical mistake, its feedback, a hint, the right answer, the solution."""
        child = spawn(data_dir)
        child.expect("h = hint")
        child.expect(r"E_K \(3 tries left\)> ")
        log10_value = variant.mistake_values("E_K")["log10"]
        child.sendline(f"{log10_value:.4g} mV")
        child.expect("log10")                      # the mistake-specific feedback
        child.expect(r"E_K \(2 tries left\)> ")
        child.sendline("h")
        child.expect(r"Hint 1/\d")
        child.expect(r"E_K \(2 tries left\)> ")
        child.sendline(answer_text(variant, "E_K"))
        child.expect("Correct")
        child.expect(r"Running score: 1 / 1")
        child.expect(r"formula \(3 tries left\)> ")
        child.sendline("s")                        # ask for the worked solution
        child.expect(r"Show the worked solution\? It gives away")
        child.sendline("y")
        child.expect("Worked solution")
        child.expect(r"formula \(solution shown, no points\)> ")
        child.sendline("n")                        # skip the part
        child.expect(r"direction \(solution shown, no points\)> ")
        child.sendline(answer_text(variant, "direction"))   # copied from the solution
        child.expect("Correct")
        child.expect("practice only, no points")
        child.expect(r"All done! Running score: 1 / 3")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        saved = json.loads((data_dir / "progress.json").read_text())["students"][STUDENT]
        entry = saved["problems"][PROBLEM]
        assert entry["revealed"] is True
        assert entry["scores"] == {"E_K": 1.0, "formula": 0.0, "direction": 0.0}

    def test_solution_declined_keeps_the_part_open(self, data_dir, variant):
        """Answering no to the solution question shows nothing and keeps the tries."""
        child = spawn(data_dir)
        child.expect(r"E_K \(3 tries left\)> ")
        child.sendline("s")
        child.expect(r"\[y/N\] ")
        child.sendline("n")
        child.expect("Solution not shown")
        child.expect(r"E_K \(3 tries left\)> ")
        assert "Worked solution" not in child.before
        child.sendline(answer_text(variant, "E_K"))
        child.expect(r"\(\+1 pt\)")
        child.sendline("q")
        child.expect(pexpect.EOF)
        entry = json.loads((data_dir / "progress.json").read_text())[
            "students"][STUDENT]["problems"][PROBLEM]
        assert entry["revealed"] is False and entry["scores"]["E_K"] == 1.0

    def test_revealed_parts_score_zero_after_resume(self, data_dir, variant):
        """The revealed flag is saved: after quitting and resuming, a right answer still earns
        nothing on that problem."""
        child = spawn(data_dir)
        child.expect(r"E_K \(3 tries left\)> ")
        child.sendline("s")
        child.expect(r"\[y/N\] ")
        child.sendline("y")
        child.expect(r"E_K \(solution shown, no points\)> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
        child = spawn(data_dir)
        child.expect(r"E_K \(solution shown, no points\)> ")
        child.sendline(answer_text(variant, "E_K"))
        child.expect("Correct")
        child.expect("no points")
        child.sendline("q")
        child.expect(pexpect.EOF)
        entry = json.loads((data_dir / "progress.json").read_text())[
            "students"][STUDENT]["problems"][PROBLEM]
        assert entry["revealed"] is True and entry["scores"]["E_K"] == 0.0

    def test_last_try_reveals_answer_and_solution(self, data_dir, variant):
        """Three wrong answers: the expected value and the worked solution are shown."""
        child = spawn(data_dir)
        for left in (3, 2, 1):
            child.expect(rf"E_K \({left} tr(y|ies) left\)> ")
            child.sendline("1 mV")
        child.expect("No tries left. The answer is")
        child.expect(r"Show the worked solution\? It gives away")
        child.sendline("y")
        child.expect("Worked solution")
        child.expect(r"formula \(solution shown, no points\)> ")
        child.sendline("q")
        child.expect("Progress saved")
        child.expect(pexpect.EOF)

    def test_hostile_input_is_feedback(self, data_dir):
        """Code typed as an answer is refused with a message, costs no try (it was not read as
        an answer), and the session goes on."""
        child = spawn(data_dir)
        child.expect(r"E_K \(3 tries left\)> ")
        child.sendline("__import__('os').system('echo PWNED')")
        child.expect("did not count as a try")
        child.expect(r"E_K \(3 tries left\)> ")
        assert "PWNED" not in child.before.replace("echo PWNED", "")
        child.sendline("q")
        child.expect(pexpect.EOF)


class TestPracticeResume:
    def test_quit_then_resume_same_part_same_tries(self, data_dir, variant):
        """After q, the next session resumes at the same part with the tries already used."""
        child = spawn(data_dir)
        child.expect(r"E_K \(3 tries left\)> ")
        child.sendline("1 mV")
        child.expect(r"E_K \(2 tries left\)> ")
        child.sendline("q")
        child.expect("Progress saved")
        child.expect(pexpect.EOF)

        child = spawn(data_dir)
        child.expect("Welcome back")
        child.expect(r"E_K \(2 tries left\)> ")
        child.sendline(answer_text(variant, "E_K"))
        child.expect(r"formula \(3 tries left\)> ")
        child.sendeof()
        child.expect("Progress saved")
        child.expect(pexpect.EOF)

        child = spawn(data_dir)
        child.expect(r"Resuming at part 2 of 3")
        child.expect(r"formula \(3 tries left\)> ")
        child.sendline("q")
        child.expect(pexpect.EOF)

    def test_resume_after_sigkill(self, data_dir):
        """A session killed with SIGKILL right after an answer loses nothing (atomic saves)."""
        child = spawn(data_dir)
        child.expect(r"E_K \(3 tries left\)> ")
        child.sendline("2 mV")
        child.expect(r"E_K \(2 tries left\)> ")
        child.kill(signal.SIGKILL)
        child.close(force=True)
        saved = json.loads((data_dir / "progress.json").read_text())
        assert saved["students"][STUDENT]["problems"][PROBLEM]["tries"] == {"E_K": 1}
        child = spawn(data_dir)
        child.expect(r"E_K \(2 tries left\)> ")
        child.sendline("q")
        child.expect(pexpect.EOF)

    def test_done_then_reset(self, data_dir, variant):
        """A finished problem (a choice answered by its number) is skipped; --reset starts over."""
        child = spawn(data_dir)
        for part in ("E_K", "formula"):
            child.expect(rf"{part} \(3 tries left\)> ")
            child.sendline(answer_text(variant, part))
        choices = list(variant.problem.part("direction").answer_kind.choices)
        child.expect(r"direction \(1 try left\)> ")  # a choice: the first try counts
        child.sendline(str(choices.index(answer_text(variant, "direction")) + 1))  # by number
        child.expect(r"Show the worked solution\? \[y/N\] ")
        child.sendline("y")
        child.expect("Worked solution")
        child.expect("All done! Running score: 3 / 3")
        child.expect(pexpect.EOF)
        child = spawn(data_dir)
        child.expect("1 of 1 problems done")
        child.expect("All done!")
        child.expect(pexpect.EOF)
        child = spawn(data_dir, "--reset")
        child.expect(r"Forgot the progress of alice on 1 problem")
        child.expect(r"E_K \(3 tries left\)> ")
        child.sendline("q")
        child.expect(pexpect.EOF)


def _progress(data_dir) -> dict:
    return json.loads((data_dir / "progress.json").read_text())["students"][STUDENT]["problems"]


def _one_try(data_dir, problem: str) -> None:
    """Spend one try on the first part of ``problem`` and quit."""
    argv = command() + ["practice", "--student", STUDENT, "--problem", problem]
    child = pexpect.spawn(argv[0], argv[1:], env=subprocess_env(data_dir), cwd=str(REPO),
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))
    child.expect(r"\(3 tries left\)> ")
    child.sendline("1 mV")
    child.expect(r"\(2 tries left\)> ")
    child.sendline("q")
    child.expect(pexpect.EOF)


class TestPracticeReset:
    OTHER = "nernst-sodium"

    def test_reset_with_problem_forgets_only_that_problem(self, data_dir):
        """--reset --problem X forgets X and keeps every other problem's progress."""
        _one_try(data_dir, PROBLEM)
        _one_try(data_dir, self.OTHER)
        assert set(_progress(data_dir)) == {PROBLEM, self.OTHER}
        child = spawn(data_dir, "--reset")
        child.expect(r"Forgot the progress of alice on 1 problem")
        child.expect(r"E_K \(3 tries left\)> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
        progress = _progress(data_dir)
        assert progress[self.OTHER]["tries"] == {"E_Na": 1}
        assert progress[PROBLEM]["tries"] == {}

    def test_reset_everything_asks_first(self, data_dir):
        """--reset without --problem asks; no keeps everything, yes forgets everything."""
        _one_try(data_dir, PROBLEM)
        _one_try(data_dir, self.OTHER)
        argv = command() + ["practice", "--student", STUDENT, "--reset"]
        child = pexpect.spawn(argv[0], argv[1:], env=subprocess_env(data_dir), cwd=str(REPO),
                              encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))
        child.expect(r"Forget ALL practice progress of alice \(2 problems started\)\? \[y/N\] ")
        child.sendline("n")
        child.expect("Nothing was forgotten")
        child.expect(r"\(\d tr(y|ies) left\)> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
        progress = _progress(data_dir)
        assert progress[PROBLEM]["tries"] == {"E_K": 1}
        assert progress[self.OTHER]["tries"] == {"E_Na": 1}
        child = pexpect.spawn(argv[0], argv[1:], env=subprocess_env(data_dir), cwd=str(REPO),
                              encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))
        child.expect(r"\[y/N\] ")
        child.sendline("y")
        # 2: practice opens problems in teaching order, and the first (nernst-potassium) was
        # already started, so declining the reset started no third one
        child.expect(r"Forgot the progress of alice on 2 problem")
        child.expect(r"\(3 tries left\)> ")
        child.sendline("q")
        child.expect(pexpect.EOF)
        assert all(not entry["tries"] for entry in _progress(data_dir).values())


class TestPracticeErrors:
    def test_unknown_topic(self, run):
        """An unknown topic is one line on stderr and exit code 2."""
        code, out, err = run("practice", "--topic", "astrology", "--student", "x")
        assert code == 2
        assert err.startswith("membranelab: error: unknown topic 'astrology'; topics are:")
        assert err.count("\n") == 1

    def test_unknown_problem(self, run):
        """An unknown problem id names the closest ids."""
        code, _, err = run("practice", "--problem", "nernst-potasium", "--student", "x")
        assert code == 2
        assert "did you mean nernst-potassium" in err

    def test_output_without_notebook(self, run):
        """-o only makes sense with --notebook."""
        code, _, err = run("practice", "-o", "x.ipynb")
        assert (code, err) == (2, "membranelab: error: -o/--output only applies with --notebook\n")

    def test_corrupt_progress_file(self, run, data_dir):
        """A corrupt progress file is reported in one line, not a traceback."""
        data_dir.mkdir(parents=True)
        (data_dir / "progress.json").write_text("{not json")
        code, _, err = run("practice", "--student", "x")
        assert code == 2
        assert err.startswith("membranelab: error: cannot read progress file")


class TestPracticeInProcess:
    @pytest.mark.slow
    def test_every_problem_prompt_is_filled_and_printable(self, bank, tmp_path):
        """Walking every problem (hint, solution, next) prints filled prompts and hints, no markup."""
        from rich.console import Console

        from membranelab.app.commands.practice import run_practice
        from membranelab.service.progress_store import ProgressStore

        console = Console(record=True, width=120, force_terminal=False)
        replies = iter(["h", "s", "y", "n"] * 200)  # hint, solution (confirmed), next part
        code = run_practice(bank, console, ProgressStore(tmp_path / "p.json"), student="eve",
                            read=lambda prompt: (console.print(prompt), next(replies))[1])
        text = console.export_text()
        assert code == 0 and "All done!" in text
        assert "{{" not in text and "[/" not in text
        for problem in bank.problems.values():
            assert problem.title.split()[0] in text


def test_a_part_names_its_unit_only_when_its_answer_has_one(bank, tmp_path):
    """The terminal prompt of a pure-number part names no unit (it once printed
    "(in dimensionless)"); a part answered in mV says so; a choice part lists its choices."""
    from io import StringIO

    from rich.console import Console

    from membranelab.app.commands.practice import PracticeSession
    from membranelab.service.progress_store import ProgressStore

    buffer = StringIO()
    store = ProgressStore(tmp_path / "p.json")
    session = PracticeSession(Console(file=buffer, width=300), store, STUDENT,
                              lambda _prompt: "n")  # skip each part at once
    for pid, part_id in (("selectivity-barrier", "exponent"), (PROBLEM, "E_K"),
                         (PROBLEM, "direction")):
        problem = bank.problems[pid]
        session.run_part(problem, problem.variant(STUDENT, "practice"), problem.part(part_id),
                         store.get(STUDENT, pid))
    lines = [line for line in buffer.getvalue().splitlines() if "(1 pt)" in line]
    assert lines[0].startswith("exponent (1 pt) Compute the exponent") and "(in" not in lines[0]
    assert lines[1].startswith("E_K (1 pt) ") and lines[1].endswith("(in mV)")
    assert "1. into the cell" in buffer.getvalue() and "(in" not in lines[2]
