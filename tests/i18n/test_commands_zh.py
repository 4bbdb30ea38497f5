"""Every command under ``--lang zh``: what it prints, its usage errors and its own errors carry
no English sentence (ids, units, symbols, paths and the student's own text aside).  ``serve``
starts (its start-up line; the server itself is not run), ``practice`` is answered through its
standard input, ``demo`` runs."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

from membranelab.bank import load_bank
from membranelab.cli import main

from .latin import english_words

PROBLEM = "nernst-potassium"
REPO = Path(__file__).resolve().parents[2]
#: Ids a command prints as ids (problems, topics, parts: what is typed): not sentences.
IDS = sorted({i for p in load_bank().problems.values()
              for i in (p.id, p.topic, *(part.id for part in p.parts))} | {"no-such-problem"},
             key=len, reverse=True)


def _without_ids(text: str, typed: tuple[str, ...] = ()) -> str:
    """``text`` without what the student typed (echoed back) and without ids, each as a whole
    word (a part id inside a word, ``sign`` in ``--assignment``, is not one)."""
    for literal in sorted(typed, key=len, reverse=True):
        text = text.replace(literal, " ")
    for name in IDS:
        text = re.sub(rf"(?<![A-Za-z0-9_-]){re.escape(name)}(?![A-Za-z0-9_-])", " ", text)
    return text


@pytest.fixture
def files(tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)  # serve starts, no server
    monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MEMBRANELAB_COURSE_SECRET", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    answers = tmp_path / "answers.csv"
    answers.write_text("student,assignment,problem,part,answer\n"
                       f"alice,hw1,{PROBLEM},E_K,-80 mV\n"
                       f"alice,hw1,{PROBLEM},direction,流出细胞\n"
                       f"alice,hw1,{PROBLEM},nope,1\n"
                       f"bob,hw1,no-such-problem,E_K,1\n"
                       "carol,hw1\n", encoding="utf-8")
    (tmp_path / "roster.csv").write_text("student,name\nalice,A\nbob,B\n", encoding="utf-8")
    (tmp_path / "class.yaml").write_text("roster: [1\n", encoding="utf-8")
    course = tmp_path / "course"
    course.mkdir()
    (course / "assignments.yaml").write_text(
        "course: {id: course-1, mode: graded, roster: roster.txt}\n"
        f"assignments:\n  - id: hw-1\n    problems: [{PROBLEM}]\n    lang: zh\n",
        encoding="utf-8")
    (course / "roster.txt").write_text("alice\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def commands(tmp):
    """Command lines a student or teacher runs, right and wrong."""
    return [
        ["list"], ["show", PROBLEM], ["show", PROBLEM, "--student", "alice", "--solution"],
        ["render", PROBLEM, "-o", str(tmp / "site")],
        ["grade", str(tmp / "answers.csv"), "-o", str(tmp / "grades.csv"), "-j", "1",
         "--no-progress"],
        ["regrade", str(tmp / "answers.csv"), "--grades", str(tmp / "grades.csv"), "-j", "1",
         "--no-progress"],
        ["check", "--variants", "3", PROBLEM],
        # usage and errors
        [], ["grade"], ["grade", "x.csv", "-j", "abc"], ["grade", "x.csv", "--feedback", "x"],
        ["nope"], ["grade", "x.csv", "--zap"], ["show", "nernst-potasium"],
        ["show", PROBLEM, "--student", "ＣＡＮＯＮＩＣＡＬ"],
        ["grade", str(tmp / "answers.csv")], ["grade", str(tmp / "answers.csv"), "-o", str(tmp)],
        ["grade", str(tmp / "missing.csv"), "-o", str(tmp / "g.csv")],
        ["grade", str(tmp / "answers.csv"), "-o", str(tmp / "g.csv"), "-j", "0"],
        ["render", "-o", str(tmp / "answers.csv")], ["check", "--variants", "0"],
        ["list", "--topic", "nope"],
        ["course", "check", "--course-dir", str(REPO / "course")],
        ["course", "audit", "nope", "--course-dir", str(REPO / "course")],
        ["course", "check", "--course-dir", str(tmp / "no-such-course")],
        ["report", str(tmp / "grades.csv"), "-o", str(tmp / "report")],
        ["report", str(tmp / "missing.csv"), "-o", str(tmp / "report2")],
        ["regrade", str(tmp / "answers.csv"), "--grades", str(tmp / "answers.csv")],
    ]


def more_commands(tmp):
    """``demo``, ``practice``'s refusals and its notebook, ``serve`` (its help, its start-up
    line in both modes (the server is not run), ``serve tokens``, and its refusals), and the
    course commands on a graded course (``course grade`` of handed-in notebooks: in
    tests/service/test_one_table.py)."""
    return [
        ["demo"],
        ["practice", "--problem", "no-such-problem"], ["practice", "-o", str(tmp / "x.ipynb")],
        ["practice", "--student", "ＣＡＮＯＮＩＣＡＬ"],
        ["serve", "--help"], ["serve", "tokens", "--help"],
        ["serve", "--no-browser"], ["serve", "--no-browser", "--published"],
        ["serve", "tokens", str(tmp / "roster.csv"), "-o", str(tmp / "tokens.csv"), *CLASS_DB],
        ["serve", "tokens", str(tmp / "roster.csv"), "-o", str(tmp / "again.csv"), *CLASS_DB],
        ["serve", *class_mode(tmp)], ["serve", *class_mode(tmp), "--workers", "2"],
        ["serve", "--port", "abc"], ["serve", "--port", "99999", "--no-browser"],
        ["serve", "--workers", "0"], ["serve", "--workers", "2"],
        ["serve", "--assignment", "ps1-equilibrium"], ["serve", "--class", "roster.csv"],
        ["serve", "--student", "ＣＡＮＯＮＩＣＡＬ", "--no-browser"],
        ["serve", "--host", "0.0.0.0", "--no-browser"],
        ["serve", "--config", str(tmp / "no-such-class.yaml")],
        ["serve", "--config", str(tmp / "class.yaml")], ["serve", "--config", str(tmp)],
        ["serve", *class_mode(tmp, "nope")], ["serve", *class_mode(tmp), "--student", "bob"],
        ["serve", *class_mode(tmp), "--due", "tomorrow"], ["serve", *class_mode(tmp), "--late", "2"],
        ["serve", "tokens", str(tmp / "no-such-roster.csv"), *CLASS_DB],
        # a graded course: its secret, built, checked, graded with nothing handed in, audited
        ["course", "grade", "hw-1", "--course-dir", str(tmp / "course")],
        ["course", "secret", "--course-dir", str(tmp / "course")],
        ["course", "secret", "--course-dir", str(tmp / "course")],
        ["course", "build", "--course-dir", str(tmp / "course")],
        ["course", "check", "--course-dir", str(tmp / "course")],
        ["course", "grade", "hw-1", "--course-dir", str(tmp / "course")],
        ["course", "grade", "hw-9", "--course-dir", str(tmp / "course")],
        ["course", "grade", "hw-1", "--course-dir", str(tmp / "course"), "-j", "0"],
        ["course", "audit", "hw-1", "--course-dir", str(tmp / "course")],
        ["practice", "--notebook", "-o", str(tmp / "study.ipynb")],
        ["grade", str(tmp / "answers.csv"), "-o", str(tmp / "g2.csv"), "-j", "1", "--no-progress",
         "--totals", str(tmp / "totals.csv")],
        ["practice", "--notebook", "-o", str(tmp)],
    ]


#: The class database of the ``serve`` command lines (relative: the test runs in its folder).
CLASS_DB = ("--db", "sqlite:///class.db")


def class_mode(tmp: Path, assignment: str = "ps1-equilibrium") -> list[str]:
    """``serve``'s options for class mode on the repository's course."""
    return ["--class", str(tmp / "roster.csv"), "--assignment", assignment, "--assignments",
            str(REPO / "course" / "assignments.yaml"), *CLASS_DB]


def _scan(argvs, capsys) -> tuple[list, int]:
    """Run each command line in Chinese: (what English each printed, how many printed)."""
    seen, found = 0, []
    for argv in argvs:
        main(["--lang", "zh", *argv])
        captured = capsys.readouterr()
        for text in (captured.out, captured.err):
            words = english_words(_without_ids(text))
            if words:
                found.append((argv, words, text[:600]))
            seen += bool(text.strip())
    return found, seen


def test_no_english_in_any_command(files, capsys):
    """Each command line's standard output and error, scanned."""
    found, seen = _scan(commands(files), capsys)
    assert found == [], "\n".join(map(str, found))
    assert seen >= 20
    with (files / "grades.csv").open(encoding="utf-8") as handle:
        feedback = [row["feedback"] for row in csv.DictReader(handle)]
    assert len(feedback) == 5 and all(feedback)
    assert english_words(_without_ids(" ".join(feedback))) == [], feedback


@pytest.mark.slow
def test_no_english_in_serve_demo_practice(files, capsys):
    """The commands a session runs for long (``serve``, ``demo``, ``practice``): what they
    print before and instead of running, scanned."""
    found, seen = _scan(more_commands(files), capsys)
    assert found == [], "\n".join(map(str, found))
    assert seen >= 25
    assert (files / "tokens.csv").is_file() and not (files / "again.csv").exists()


#: Practice sessions: (options, what the student types, one line each).  Hints, an unreadable
#: answer, wrong ones until the tries run out, the solution declined, then asked for; a formula
#: and a choice; skipping; quitting; resuming; resetting (declined, then done); input ending.
SESSIONS = (
    (["--problem", PROBLEM], ["h", "h", "h", "h", "abc", "-70 mV", "-60 mV", "-50 mV", "n",
                              "R*T/(z*F)*ln(c_out/c_in)", "流出细胞", "y"]),
    (["--problem", "nernst-sodium"], ["", "s", "n", "n", "q"]),
    (["--problem", "nernst-sodium"], ["+60 mV", "s", "y", "1", "2", "q"]),
    (["--problem", "nernst-chloride"], []),
    (["--reset"], ["n"]),
    (["--reset", "--problem", "nernst-sodium"], ["q"]),
    (["--reset"], ["y", "q"]),
)


def test_practice_session(files, monkeypatch, capsys):
    """``practice`` answered through standard input, session after session."""
    found, seen = [], 0
    for options, lines in SESSIONS:
        monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
        assert main(["--lang", "zh", "practice", "--student", "alice", *options]) == 0
        captured = capsys.readouterr()
        for text in (captured.out, captured.err):
            answers = tuple(line for line in lines if len(line) > 2)  # not h, s, n, y, q
            words = english_words(_without_ids(text, answers))
            if words:
                found.append((options, words, text[:600]))
            seen += bool(text.strip())
    assert found == [], "\n".join(map(str, found))
    assert seen >= len(SESSIONS)


def test_internal_error_line(files, monkeypatch, capsys):
    """A bug inside a command: the one line that gives its incident id is in Chinese too."""
    from membranelab.app.commands import listing

    def broken(*_args):
        raise RuntimeError("a bug")

    monkeypatch.setenv("MEMBRANELAB_LOG", str(files / "incidents.log"))
    monkeypatch.setattr(listing, "run", broken)
    assert main(["--lang", "zh", "list"]) == 70
    err = capsys.readouterr().err
    assert "事件编号" in err and str(files / "incidents.log") in err
    assert english_words(err) == [], err


def test_practice_with_a_damaged_or_unwritable_progress_file(files, monkeypatch, capsys):
    """``practice`` whose progress file holds no progress (refused), then whose progress cannot
    be saved (warned, the session goes on): both said in Chinese."""
    damaged = files / "damaged"
    damaged.mkdir()
    (damaged / "progress.json").write_text("{not json", encoding="utf-8")
    blocked = files / "blocked"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    said = []
    for folder, lines, code in ((damaged, [], 2), (blocked / "data", ["-80 mV", "q"], 0)):
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(folder))
        monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
        assert main(["--lang", "zh", "practice", "--student", "alice", "--problem",
                     PROBLEM]) == code
        captured = capsys.readouterr()
        said.append(captured.err)
        assert english_words(_without_ids(captured.out + captured.err, ("-80 mV",))) == [], (
            captured.out + captured.err)
    assert "进度文件" in said[0] and "不是有效的进度数据" in said[0]
    assert said[1].count("无法把进度保存到") == 1 and "不是文件夹" in said[1]
