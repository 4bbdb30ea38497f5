"""Problem.variant's cache: shared between threads, same variants as one thread builds."""

import dataclasses
import random
import sys
import threading

import pytest

from membranelab.bank import model

STUDENTS = [f"student{i:02d}" for i in range(24)]
THREADS = 8
REQUESTS = 300


def _fingerprint(variant):
    """What a student sees of a variant: key, parameters and every reference answer."""
    return (variant.key, dict(variant.params),
            {pid: a.text for pid, a in variant.answers().items()})


@pytest.fixture
def fast_switching():
    """Threads switch every microsecond, so races show up in a few thousand calls."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def _hammer(problem, seeds, students=STUDENTS):
    """Every thread asks for random students' variants at once; (results, errors)."""
    barrier = threading.Barrier(len(seeds))
    results: list[list] = [[] for _ in seeds]
    errors: list[BaseException] = []

    def work(index: int, seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        try:
            for _ in range(REQUESTS):
                student = rng.choice(students)
                results[index].append((student, problem.variant(student, "ps1")))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(seeds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for rows in results for r in rows], errors


class TestVariantCache:
    @pytest.mark.slow
    @pytest.mark.parametrize(("size", "students"), [(4, 8), (4096, 24)])
    def test_threads_get_what_one_thread_gets(self, bank, monkeypatch, fast_switching, size,
                                              students):
        """8 threads x 300 requests (8 students, a cache of 4: hits racing evictions; 24
        students, a cache of 4096: none) raise nothing and get the single-threaded variants."""
        base = bank.problems["warming-q10"]
        reference = {s: _fingerprint(dataclasses.replace(base).variant(s, "ps1"))
                     for s in STUDENTS[:students]}
        monkeypatch.setattr(model, "VARIANT_CACHE_SIZE", size)
        for round_ in range(3):  # races are probabilistic: three rounds, fresh caches
            problem = dataclasses.replace(base)  # a fresh, empty cache of that size
            results, errors = _hammer(problem, range(round_ * THREADS, (round_ + 1) * THREADS),
                                      STUDENTS[:students])
            assert errors == []
            assert len(results) == THREADS * REQUESTS
            for student, variant in results:
                assert _fingerprint(variant) == reference[student]
            assert len(problem._variants) <= size

    def test_threads_share_one_variant_per_student(self, bank, fast_switching):
        """Without eviction every thread gets the same Variant object for a student (so its
        cached mistake values are computed once)."""
        problem = dataclasses.replace(bank.problems["nernst-potassium"])
        results, errors = _hammer(problem, range(THREADS))
        assert errors == []
        by_student: dict[str, set[int]] = {}
        for student, variant in results:
            by_student.setdefault(student, set()).add(id(variant))
        assert all(len(ids) == 1 for ids in by_student.values())

    def test_least_recently_used_goes_first(self, bank, monkeypatch):
        """With room for 2, asking a, b, a, c keeps a and c (b was used least recently)."""
        monkeypatch.setattr(model, "VARIANT_CACHE_SIZE", 2)
        problem = dataclasses.replace(bank.problems["nernst-potassium"])
        a = problem.variant("a", "x")
        b = problem.variant("b", "x")
        assert problem.variant("a", "x") is a
        problem.variant("c", "x")
        assert problem.variant("a", "x") is a
        assert problem.variant("b", "x") is not b and len(problem._variants) == 2
