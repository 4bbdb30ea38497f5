"""Stable student numbers: the variant seed hashes the problem's ``uid``, not its file name.

The expected parameters below were recorded from the released bank (commit d76fb75, before
``uid`` existed): released assignments must keep their numbers.
"""

import shutil

import pytest

from membranelab.bank import BankError, load_bank
from membranelab.bank.variants import variant_seed

RELEASED = [
    ("nernst-potassium", "alice", "ps1-equilibrium", "c3078b1b1210fce4",
     {"K_out": 4.5, "K_in": 135.0, "T": 37.0, "V_rest": -63.0}),
    ("nernst-potassium", "bob", "hw1", "3f46ea8c54e54f8f",
     {"K_out": 3.5, "K_in": 150.0, "T": 20.0, "V_rest": -68.0}),
    ("ghk-permeability", "alice", "ps1-equilibrium", "ea14aa8e105531ef",
     {"K_out": 4.0, "K_in": 140.0, "Na_out": 135.0, "Na_in": 19.0, "Cl_out": 100.0,
      "Cl_in": 7.0, "p_Na": 0.05, "p_Cl": 0.45, "T": 37.0}),
    ("chord-conductance", "bob", "hw1", "7561f49677f0c1e2",
     {"E_K": -93.0, "E_Na": 62.0, "E_Cl": -65.0, "g_K": 1.0, "g_Na": 0.05, "g_Cl": 0.35}),
    ("selectivity-inverse", "s00042", "check", "e697e7ec945744ce", {"ratio": 334.0, "T": 293.5}),
    ("gaba-shift", "alice", "ps1-equilibrium", "fe2a684280616b29",
     {"Cl_out": 100.0, "Cl_young": 26.0, "Cl_mature": 9.0, "V_rest": -57.0, "T": 37.0}),
]


class TestReleasedNumbers:
    @pytest.mark.parametrize(("pid", "student", "assignment", "key", "params"), RELEASED)
    def test_unchanged(self, bank, pid, student, assignment, key, params):
        """A student's released variant keeps its seed and its numbers."""
        v = bank.problems[pid].variant(student, assignment)
        assert v.key == key and dict(v.params) == params

    def test_every_problem_has_its_id_as_uid(self, bank):
        """Today's problems keep today's seeds: uid = id."""
        for problem in bank:
            assert problem.uid == problem.id

    def test_seed_is_sha256_of_the_uid(self, bank):
        """The seed is the first 8 bytes of sha256(assignment, student, uid), as documented."""
        import hashlib

        digest = hashlib.sha256(b"hw1\x1fbob\x1fnernst-potassium").digest()
        assert variant_seed("bob", "hw1", "nernst-potassium") == int.from_bytes(digest[:8], "big")


class TestRename:
    def _copy(self, tmp_path, bank, pid):
        for sub in ("problems", "solutions"):
            (tmp_path / sub).mkdir()
        shutil.copy(bank.problems[pid].file, tmp_path / "problems" / f"{pid}.md")
        shutil.copy(bank.problems[pid].solution_file, tmp_path / "solutions" / f"{pid}.md")
        return tmp_path

    def test_renamed_file_keeps_numbers(self, bank, tmp_path):
        """A problem renamed (new file name and id, same uid) gives the same numbers."""
        root = self._copy(tmp_path, bank, "nernst-potassium")
        text = (root / "problems" / "nernst-potassium.md").read_text(encoding="utf-8")
        (root / "problems" / "potassium-nernst.md").write_text(
            text.replace("id: nernst-potassium\n", "id: potassium-nernst\n", 1), encoding="utf-8")
        (root / "problems" / "nernst-potassium.md").unlink()
        (root / "solutions" / "nernst-potassium.md").rename(root / "solutions" / "potassium-nernst.md")
        renamed = load_bank(root)["potassium-nernst"]
        assert renamed.uid == "nernst-potassium"
        assert renamed.variant("bob", "hw1").params == bank["nernst-potassium"].variant(
            "bob", "hw1").params

    def test_duplicate_uid_refused(self, bank, tmp_path):
        """Two problems with one uid would share every student's numbers: a BankError."""
        root = self._copy(tmp_path, bank, "nernst-potassium")
        text = (root / "problems" / "nernst-potassium.md").read_text(encoding="utf-8")
        (root / "problems" / "twin.md").write_text(
            text.replace("id: nernst-potassium\n", "id: twin\n", 1), encoding="utf-8")
        shutil.copy(root / "solutions" / "nernst-potassium.md", root / "solutions" / "twin.md")
        with pytest.raises(BankError, match=r"twin.md: uid: 'nernst-potassium' is also"):
            load_bank(root)

    def test_bad_uid_refused(self, bank, tmp_path):
        """A uid must be lower-case letters, digits and hyphens."""
        root = self._copy(tmp_path, bank, "nernst-potassium")
        path = root / "problems" / "nernst-potassium.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("uid: nernst-potassium", "uid: Nernst K", 1), encoding="utf-8")
        with pytest.raises(BankError, match=r"nernst-potassium.md: uid: expected lower-case"):
            load_bank(root)
