"""membranelab.service.assignments: reading course/assignments.yaml."""

from __future__ import annotations

import pytest

from membranelab.service.assignments import AssignmentsError, load_assignments

CASES = [
    ("not a list", "assignments: 3\n", "expected a mapping with a list 'assignments'"),
    ("empty", "assignments: []\n", "'assignments' is empty"),
    ("bad id", "assignments:\n  - {id: PS 1, problems: [a]}\n", r"assignments\[0\]\.id"),
    ("duplicate id", "assignments:\n  - {id: a, problems: [x]}\n  - {id: a, problems: [y]}\n",
     "used twice"),
    ("no problems", "assignments:\n  - {id: a, problems: []}\n", "non-empty list"),
    ("repeated problem", "assignments:\n  - {id: a, problems: [x, x]}\n", "listed twice"),
    ("unknown field", "assignments:\n  - {id: a, problems: [x], due: 1}\n", "unknown fields"),
    ("unknown problem", "assignments:\n  - {id: a, problems: [zzz]}\n", "not in the bank"),
]


class TestLoadAssignments:
    def test_reads_ids_titles_problems(self, tmp_path):
        """A well-formed file gives Assignment values in order; title defaults to the id."""
        path = tmp_path / "assignments.yaml"
        path.write_text("assignments:\n  - {id: ps1, title: One, problems: [x, y]}\n"
                        "  - {id: ps2, problems: [z]}\n", encoding="utf-8")
        result = load_assignments(path, {"x", "y", "z"})
        assert [(a.id, a.title, a.problems) for a in result] == [
            ("ps1", "One", ("x", "y")), ("ps2", "ps2", ("z",))]
        assert result[0].notebook == "ps1.ipynb"

    @pytest.mark.parametrize(("name", "text", "message"), CASES, ids=[c[0] for c in CASES])
    def test_malformed_files_name_file_and_field(self, tmp_path, name, text, message):
        """Each malformed file raises AssignmentsError naming the file and what is wrong."""
        path = tmp_path / "assignments.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(AssignmentsError, match=message) as info:
            load_assignments(path, {"x", "y"})
        assert str(path) in str(info.value)
