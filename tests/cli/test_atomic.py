"""Nothing written is lost or misplaced: the atomic writer's refusals, symlinks and modes."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from membranelab.atomic import (
    NotRegularFileError,
    append_durably,
    atomic_write_text,
    check_writable_target,
)


def _mode(path) -> int:  # noqa: ANN001
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    """Set a umask for one test and restore the previous one."""
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


class TestRefusals:
    def test_fifo_is_not_replaced(self, tmp_path):
        """A FIFO at the target is refused and stays a FIFO."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(NotRegularFileError, match="FIFO"):
            atomic_write_text(fifo, "x")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    def test_directory_is_refused(self, tmp_path):
        """A directory at the target is refused by name."""
        with pytest.raises(NotRegularFileError, match="is a directory"):
            atomic_write_text(tmp_path, "x")

    def test_device_is_refused_without_writing(self):
        """/dev/null (a character device) is refused before anything is written."""
        with pytest.raises(NotRegularFileError, match="character device"):
            check_writable_target("/dev/null")
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)

    def test_symlink_to_fifo_is_refused(self, tmp_path):
        """A symlink whose target is a FIFO is refused too."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        (tmp_path / "link").symlink_to(fifo)
        with pytest.raises(NotRegularFileError):
            atomic_write_text(tmp_path / "link", "x")

    def test_append_to_fifo_is_refused_without_blocking(self, tmp_path):
        """Appending to a FIFO with no reader raises at once instead of waiting for a reader."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        errors: list[BaseException] = []

        def attempt() -> None:
            try:
                append_durably(fifo, "x\n")
            except OSError as error:
                errors.append(error)

        thread = threading.Thread(target=attempt, daemon=True)
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive()
        assert len(errors) == 1 and isinstance(errors[0], NotRegularFileError)

    def test_empty_path_is_refused(self):
        """An empty file name is an error naming the problem."""
        with pytest.raises(FileNotFoundError, match="empty path"):
            atomic_write_text("", "x")


class TestSymlinksAndModes:
    def test_writes_through_symlink(self, tmp_path):
        """The file behind a symlink gets the text; the link stays a link."""
        real = tmp_path / "real.csv"
        real.write_text("old")
        link = tmp_path / "link.csv"
        link.symlink_to(real)
        atomic_write_text(link, "new")
        assert link.is_symlink() and real.read_text() == "new"
        assert sorted(os.listdir(tmp_path)) == ["link.csv", "real.csv"]

    def test_keeps_existing_mode(self, tmp_path, umask):
        """An existing file's permission bits (0640 here) are kept."""
        target = tmp_path / "grades.csv"
        target.write_text("old")
        os.chmod(target, 0o640)
        atomic_write_text(target, "new")
        assert _mode(target) == 0o640

    @pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640),
                                                     (0o002, 0o664)])
    def test_new_file_honours_umask(self, tmp_path, umask, mask, expected):
        """A new file gets 0666 minus the umask (0666 & ~0022 = 0644), not 0600."""
        umask(mask)
        atomic_write_text(tmp_path / "new.csv", "x")
        assert _mode(tmp_path / "new.csv") == expected


class TestCommandLine:
    def test_grade_refuses_fifo_output(self, run, tmp_path, bank):
        """grade -o FIFO: exit 2, one line naming the file, no traceback, FIFO intact."""
        from .conftest import write_answers

        answers = write_answers(tmp_path / "a.csv", bank, 5)
        fifo = tmp_path / "out.csv"
        os.mkfifo(fifo)
        code, _, err = run("grade", str(answers), "-o", str(fifo), "--no-progress")
        assert code == 2
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert "FIFO" in err and str(fifo) in err
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    def test_grade_refuses_empty_output(self, run, tmp_path, bank):
        """grade -o '': exit 2 with one line, no traceback."""
        from .conftest import write_answers

        answers = write_answers(tmp_path / "a.csv", bank, 3)
        code, _, err = run("grade", str(answers), "-o", "", "--no-progress")
        assert code == 2
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
