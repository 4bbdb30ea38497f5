"""The course secret of a graded course: made once, kept private, entering every seed."""

from __future__ import annotations

import hashlib
import hmac
import stat

import pytest

from membranelab.bank.variants import variant_seed
from membranelab.cli import main
from membranelab.service.secret import (
    SecretError,
    find_secret,
    load_secret,
    make_secret,
    move_secret,
    secret_path,
    student_key,
)


@pytest.fixture(autouse=True)
def _no_secret_env(monkeypatch, tmp_path):
    monkeypatch.delenv("MEMBRANELAB_COURSE_SECRET", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _course(tmp_path, course_id: str | None = "physio-101", name: str = "course"):
    """A course folder with an assignments.yaml (and a course id when given)."""
    folder = tmp_path / name
    folder.mkdir()
    head = f"course:\n  id: {course_id}\n" if course_id else ""
    (folder / "assignments.yaml").write_text(
        head + "assignments:\n  - id: ps1\n    problems: [nernst-potassium]\n", encoding="utf-8")
    return folder


class TestCourseSecretCommand:
    def test_makes_a_private_file_outside_the_course_once(self, tmp_path, capsys):
        """`course secret` writes 32 random bytes as hex into the user config directory, per
        course id, mode 0600, says where and how to back it up; a second run refuses."""
        course = _course(tmp_path)
        assert main(["course", "secret", "--course-dir", str(course)]) == 0
        path = tmp_path / "config" / "membranelab" / "courses" / "physio-101.secret"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(bytes.fromhex(path.read_text().strip())) == 32
        assert not list(course.rglob("*secret*"))
        out = " ".join(capsys.readouterr().out.split())
        assert str(path) in out and "outside the course folder" in out
        assert "Losing this file loses every student's numbers" in out and "Back it up" in out
        first = path.read_text()
        assert main(["course", "secret", "--course-dir", str(course)]) == 2
        err = capsys.readouterr().err
        assert "exists already" in err and err.count("\n") == 1
        assert path.read_text() == first

    def test_says_it_in_chinese(self, tmp_path, capsys):
        """With --lang zh the place and the backup advice are in Chinese."""
        course = _course(tmp_path)
        assert main(["--lang", "zh", "course", "secret", "--course-dir", str(course)]) == 0
        out = capsys.readouterr().out
        assert "丢失这个文件" in out and "备份" in out

    def test_one_secret_per_course_id(self, tmp_path):
        """Two courses with different ids get two different secrets; without an id the folder's
        name is the id."""
        a, b = _course(tmp_path, "physio-a", "a"), _course(tmp_path, "physio-b", "b")
        c = _course(tmp_path, None, "lab-c")
        paths = [make_secret(x) for x in (a, b, c)]
        assert [p.name for p in paths] == ["physio-a.secret", "physio-b.secret", "lab-c.secret"]
        assert len({load_secret(x) for x in (a, b, c)}) == 3

    def test_never_replaces_what_is_there(self, tmp_path):
        """A directory or a dangling symlink at the secret's place is left alone: refused."""
        course = _course(tmp_path)
        target = secret_path(course)
        target.mkdir(parents=True)
        with pytest.raises(SecretError, match="exists already"):
            make_secret(course)
        assert target.is_dir()
        target.rmdir()
        target.symlink_to(tmp_path / "elsewhere")
        with pytest.raises(SecretError, match="exists already"):
            make_secret(course)
        assert not (tmp_path / "elsewhere").exists()

    def test_environment_wins_over_the_file(self, tmp_path, monkeypatch):
        """$MEMBRANELAB_COURSE_SECRET is used before the file."""
        course = _course(tmp_path)
        make_secret(course)
        monkeypatch.setenv("MEMBRANELAB_COURSE_SECRET", "ab" * 16)
        assert load_secret(course) == bytes.fromhex("ab" * 16)

    def test_missing_secret_is_a_clear_error(self, tmp_path):
        """No file, no variable: SecretError saying how to make one; find_secret says None."""
        course = _course(tmp_path)
        with pytest.raises(SecretError, match="membranelab course secret --course-dir"):
            load_secret(course)
        assert find_secret(course) is None


class TestSecretInTheCourseFolder:
    @pytest.mark.parametrize("command", [["build"], ["check"], ["audit", "ps1"], ["grade", "ps1"],
                                         ["secret"]])
    def test_every_course_command_refuses(self, tmp_path, capsys, command):
        """A .membranelab-secret anywhere under the course folder stops every course command
        with one line naming the file, the command and `course secret --move`."""
        course = _course(tmp_path)
        stray = course / "submitted" / "bob" / ".membranelab-secret"
        stray.parent.mkdir(parents=True)
        stray.write_text("ab" * 32 + "\n")
        assert main(["course", *command, "--course-dir", str(course)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        flat = " ".join(err.split())
        assert str(stray) in flat and f"membranelab course {command[0]}" in flat
        assert "course secret --move" in flat
        assert stray.exists()

    def test_move_takes_it_out_keeping_the_numbers(self, tmp_path, capsys):
        """`course secret --move` moves an old in-course secret to the config directory (same
        value, mode 0600) and deletes it from the course folder; the course loads it after."""
        course = _course(tmp_path)
        value = bytes(range(32))
        (course / ".membranelab-secret").write_text(value.hex() + "\n")
        assert main(["course", "secret", "--move", "--course-dir", str(course)]) == 0
        assert not (course / ".membranelab-secret").exists()
        path = secret_path(course)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert load_secret(course) == value
        assert "Back it up" in " ".join(capsys.readouterr().out.split())

    def test_move_refuses_two_different_secrets(self, tmp_path):
        """Two in-course secrets with different values: nothing is moved or deleted."""
        course = _course(tmp_path)
        (course / ".membranelab-secret").write_text("ab" * 32)
        (course / "source").mkdir()
        (course / "source" / ".membranelab-secret").write_text("cd" * 32)
        with pytest.raises(SecretError, match="different secrets"):
            move_secret(course)
        assert (course / ".membranelab-secret").exists() and not secret_path(course).exists()

    def test_loading_refuses_too(self, tmp_path, monkeypatch):
        """Even with the secret in the environment, a secret file left in the course is refused."""
        course = _course(tmp_path)
        (course / ".membranelab-secret").write_text("ab" * 32)
        monkeypatch.setenv("MEMBRANELAB_COURSE_SECRET", "ab" * 16)
        with pytest.raises(SecretError, match="inside the course folder"):
            load_secret(course)


class TestKeyedSeeds:
    SECRET = bytes(range(32))

    def test_student_key_by_hand(self):
        """key = HMAC-SHA256(secret, 'membranelab-variant' US assignment US student), with ids
        trimmed and case-folded."""
        by_hand = hmac.new(self.SECRET, b"membranelab-variant\x1fps1\x1falice",
                           hashlib.sha256).digest()
        assert student_key(self.SECRET, "ps1", "alice") == by_hand
        assert student_key(self.SECRET, " PS1", "Alice ") == by_hand

    def test_keyed_seed_by_hand(self):
        """seed = first 8 bytes of HMAC-SHA256(key, assignment US student US problem)."""
        key = student_key(self.SECRET, "ps1", "alice")
        digest = hmac.new(key, b"ps1\x1falice\x1fnernst-potassium", hashlib.sha256).digest()
        assert variant_seed("alice", "ps1", "nernst-potassium", key) == int.from_bytes(
            digest[:8], "big")

    def test_public_seed_by_hand_with_folded_ids(self):
        """Without a key: sha256 of the folded ids (so 'Alice' in 'PS1' is alice in ps1)."""
        digest = hashlib.sha256(b"ps1\x1falice\x1fnernst-potassium").digest()
        expected = int.from_bytes(digest[:8], "big")
        assert variant_seed("alice", "ps1", "nernst-potassium") == expected
        assert variant_seed(" Alice", "PS1", "nernst-potassium") == expected
