"""Formula sample points from a seed no student can know, plus points in the gaps (issue 22,
item 6): an ``abs()`` bump hidden between yesterday's public points is graded wrong now, and
the same secret always gives the same points (every worker, every regrade)."""

from __future__ import annotations

import math
import stat

import numpy as np
import pytest

from membranelab.atomic import create_exclusive_bytes
from membranelab.formulas import FORMULAS
from membranelab.grading import check_formula
from membranelab.grading import seeds as seeds_module
from membranelab.grading.equivalence import sample_points
from membranelab.grading.seeds import SEED_FILE, formula_seed, install_secret

NERNST = FORMULAS["nernst"]
DOMAINS = dict(NERNST.domains)


def old_public_points(domains, seed=20240611, count=20) -> dict[str, np.ndarray]:
    """The points every formula was sampled at before (written out here from the old code):
    five edge points, then ``count`` log-uniform (or uniform) draws from one public seed."""
    rng = np.random.default_rng(seed)
    columns = {}
    for index, name in enumerate(sorted(domains)):
        low, high = domains[name]
        positive = low > 0
        middle = math.sqrt(low * high) if positive else (low + high) / 2
        inner_low = low * (high / low) ** 0.05 if positive else low + (high - low) * 0.05
        inner_high = low * (high / low) ** 0.95 if positive else low + (high - low) * 0.95
        alternate = (inner_low, inner_high) if index % 2 else (inner_high, inner_low)
        random = (np.exp(rng.uniform(math.log(low), math.log(high), count)) if positive
                  else rng.uniform(low, high, count))
        columns[name] = np.concatenate([[low, high, middle, *alternate], random])
    return columns


def widest_gap(values: np.ndarray) -> tuple[float, float]:
    ordered = np.sort(values)
    k = int(np.argmax(np.diff(ordered)))
    return float(ordered[k]), float(ordered[k + 1])


def bump_answer(low: float, high: float) -> str:
    """The Nernst formula times (1 + 76 * a tent on c_out over (low, high)), written with
    abs() only: exactly the reference outside the gap, 77 times it in the middle."""
    middle, half = (low + high) / 2, (high - low) / 2 * 0.98
    tent = (f"({half!r} - abs(c_out - {middle!r}) + abs({half!r} - abs(c_out - {middle!r})))"
            f"/(2*{half!r})")
    return f"R*T/(z*F)*ln(c_out/c_in)*(1 + 76*{tent})"


class TestAbsBump:
    def test_bump_hid_between_the_old_public_points(self) -> None:
        """The bump is invisible at every old point, and covers 40 % of c_out's range."""
        old = old_public_points(DOMAINS)
        low, high = widest_gap(old["c_out"])
        middle, half = (low + high) / 2, (high - low) / 2 * 0.98
        tent = (half - np.abs(old["c_out"] - middle) + np.abs(half - np.abs(old["c_out"]
                                                                          - middle))) / 2
        assert np.all(tent == 0)
        c_low, c_high = DOMAINS["c_out"]
        assert (high - low) / (c_high - c_low) > 0.39

    @pytest.mark.parametrize("secret", [b"course-a", b"course-b", b"", bytes(32), None])
    def test_bump_is_graded_wrong(self, secret) -> None:
        """With any secret (a course's, or this installation's: None), the bump is wrong."""
        low, high = widest_gap(old_public_points(DOMAINS)["c_out"])
        result = check_formula(bump_answer(low, high), NERNST.text, DOMAINS, secret=secret)
        assert not result.correct and result.readable and result.note != "needs_review"

    def test_bumps_in_every_symbols_widest_gap_are_wrong(self) -> None:
        """The same trick on any positive symbol's widest old gap fails too."""
        old = old_public_points(DOMAINS)
        for name in ("c_in", "T", "R", "F"):
            low, high = widest_gap(old[name])
            answer = bump_answer(low, high).replace("abs(c_out", f"abs({name}")
            assert not check_formula(answer, NERNST.text, DOMAINS).correct, name


class TestPoints:
    def test_same_seed_same_points(self) -> None:
        """Two calls with one seed give identical points (any worker, any regrade)."""
        first, second = sample_points(DOMAINS, seed=12345), sample_points(DOMAINS, seed=12345)
        assert all(np.array_equal(first[name], second[name]) for name in DOMAINS)

    def test_other_seed_other_points(self) -> None:
        """Another seed moves the random points (the edges stay)."""
        first, second = sample_points(DOMAINS, seed=1), sample_points(DOMAINS, seed=2)
        assert not np.array_equal(first["c_out"][5:], second["c_out"][5:])
        assert np.array_equal(first["c_out"][:5], second["c_out"][:5])

    @pytest.mark.parametrize("seed", range(20))
    def test_no_wide_gap_is_left(self, seed) -> None:
        """For any seed, no gap between a symbol's points is wider than a tenth of its (log)
        range: the random points are stratified and the widest gaps get a point each."""
        for name, values in sample_points(DOMAINS, seed=seed).items():
            low, high = DOMAINS[name]
            unit = ((np.log(values) - math.log(low)) / (math.log(high) - math.log(low))
                    if low > 0 else (values - low) / (high - low))
            assert np.max(np.diff(np.sort(unit))) <= 0.1, name

    def test_points_stay_inside_the_domain(self) -> None:
        """Every point lies in its symbol's interval, the ends included."""
        for name, values in sample_points(DOMAINS, seed=7).items():
            low, high = DOMAINS[name]
            assert values.min() == low and values.max() == high


class TestSeeds:
    def test_seed_depends_on_secret_and_reference(self) -> None:
        """The seed changes with the secret and with the reference, and not otherwise."""
        names = ("a", "b")
        assert formula_seed("a*b", names, b"x") == formula_seed("a*b", names, b"x")
        assert formula_seed("a*b", names, b"x") != formula_seed("a*b", names, b"y")
        assert formula_seed("a*b", names, b"x") != formula_seed("a/b", names, b"x")

    def test_install_secret_is_created_once_owner_only(self, tmp_path, monkeypatch) -> None:
        """The installation's secret is 32 bytes in the data directory, mode 0600, and the
        same on the next read."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        secret = install_secret()
        path = tmp_path / SEED_FILE
        assert path.read_bytes() == secret and len(secret) == 32
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
        seeds_module._read_or_create.cache_clear()
        assert install_secret() == secret

    def test_without_a_seed_file_the_process_keeps_its_own(self, tmp_path, monkeypatch,
                                                            caplog) -> None:
        """A data directory where the seed cannot be made: the process uses its own secret,
        says so once, and does not try the file again (no file I/O per answer, and the same
        points all along), even once the directory could be written."""
        where = tmp_path / "not-a-dir"
        where.write_text("a file where the data directory should be", encoding="utf-8")
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(where))
        tried = []
        original = seeds_module._read_or_create

        def counted(path):
            tried.append(path)
            return original(path)

        monkeypatch.setattr(seeds_module, "_read_or_create", counted)
        monkeypatch.setattr(seeds_module, "_NO_FILE", set())
        with caplog.at_level("WARNING", logger=seeds_module.__name__):
            first = install_secret()
            assert install_secret() == first == install_secret()
        assert len(tried) == 1
        assert sum("no grading seed file" in r.getMessage() for r in caplog.records) == 1
        where.unlink()
        where.mkdir()  # writable now: this process keeps the secret it has graded with
        assert install_secret() == first and len(tried) == 1

    def test_existing_file_is_never_replaced(self, tmp_path) -> None:
        """Creating the seed where one exists fails (of two racing workers one wins)."""
        path = tmp_path / SEED_FILE
        create_exclusive_bytes(path, b"a" * 32)
        with pytest.raises(FileExistsError):
            create_exclusive_bytes(path, b"b" * 32)
        assert path.read_bytes() == b"a" * 32
        assert [p.name for p in tmp_path.iterdir()] == [SEED_FILE]

    def test_regrade_gives_the_same_verdict(self, tmp_path, monkeypatch) -> None:
        """The same answer graded twice on one installation gets the same result."""
        monkeypatch.setenv("MEMBRANELAB_DATA_DIR", str(tmp_path))
        answer = "R*T/(z*F)*ln(c_out/c_in)*(1 + 1e-3*abs(c_out - 100))"
        first = check_formula(answer, NERNST.text, DOMAINS)
        seeds_module._read_or_create.cache_clear()
        assert check_formula(answer, NERNST.text, DOMAINS) == first
