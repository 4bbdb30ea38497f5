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
    student_key,
)


@pytest.fixture(autouse=True)
def _no_secret_env(monkeypatch):
    monkeypatch.delenv("MEMBRANELAB_COURSE_SECRET", raising=False)
    monkeypatch.delenv("MEMBRANELAB_VARIANT_KEY", raising=False)


class TestCourseSecretCommand:
    def test_makes_a_private_file_once(self, tmp_path, capsys):
        """`membranelab course secret` writes 32 random bytes as hex, mode 0600; a second run
        refuses to replace it (that would change every student's numbers)."""
        assert main(["course", "secret", "--course-dir", str(tmp_path)]) == 0
        path = tmp_path / ".membranelab-secret"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(bytes.fromhex(path.read_text().strip())) == 32
        first = path.read_text()
        capsys.readouterr()
        assert main(["course", "secret", "--course-dir", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert "exists already" in err and err.count("\n") == 1
        assert path.read_text() == first

    def test_environment_wins_over_the_file(self, tmp_path, monkeypatch):
        """$MEMBRANELAB_COURSE_SECRET is used before the file."""
        make_secret(tmp_path)
        monkeypatch.setenv("MEMBRANELAB_COURSE_SECRET", "ab" * 16)
        assert load_secret(tmp_path) == bytes.fromhex("ab" * 16)

    def test_missing_secret_is_a_clear_error(self, tmp_path):
        """No file, no variable: SecretError saying how to make one."""
        with pytest.raises(SecretError, match="membranelab course secret"):
            load_secret(tmp_path)

    def test_teacher_kernel_finds_it_upwards(self, tmp_path):
        """A kernel started in source/<assignment>/ finds the course folder's secret."""
        make_secret(tmp_path)
        inner = tmp_path / "source" / "ps1"
        inner.mkdir(parents=True)
        assert find_secret(inner) == load_secret(tmp_path)
        assert find_secret(tmp_path.parent / "elsewhere", levels=0) is None


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
