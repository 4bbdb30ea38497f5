"""The outputs: the HTML page (self-contained, every label from the catalog, in English and
Chinese), the JSON document and the per-part CSV, for the hand-worked class."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from markupsafe import escape

from membranelab.messages import gettext
from membranelab.report import analyse
from membranelab.report.render import PART_COLUMNS, write_report

from . import handclass as hc


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"report-{request.param}")
    paths = write_report(analyse(hc.records()), folder, source="grades.csv", lang=request.param)
    return request.param, paths


class TestHtml:
    def test_self_contained(self, written):
        """Six figures (3 per assignment) as PNG data URIs; no http(s) URL, no script, no
        stylesheet or image from elsewhere."""
        _, paths = written
        html = paths["report.html"].read_text(encoding="utf-8")
        images = re.findall(r'<img [^>]*src="([^"]+)"', html)
        assert len(images) == 6 and all(i.startswith("data:image/png;base64,") for i in images)
        assert not re.search(r"(src|href)=\"(https?:)?//", html)
        assert "<script" not in html and "<link" not in html

    def test_labels_in_the_language(self, written):
        """The title, the column heads and a mistake's short name in the report's language."""
        lang, paths = written
        html = paths["report.html"].read_text(encoding="utf-8")
        for key in ("report.title", "report.facility", "report.discrimination",
                    "report.efficiency", "report.alpha", "report.mistake.log10"):
            assert str(escape(gettext(key, lang))) in html
        if lang == "zh":
            assert "班级报告" in html and "难度指数" in html and 'lang="zh-Hans"' in html

    def test_tables_hold_the_numbers(self, written):
        """The parts table shows P3's facility 56.2/56.3, discrimination 72.1 and efficiency
        81.8 (one decimal); the students table every student."""
        _, paths = written
        html = paths["report.html"].read_text(encoding="utf-8")
        row = re.search(r"<td class=\"id\">q/P3</td>(.*?)</tr>", html, re.S).group(1)
        cells = re.findall(r"<td>([^<]*)</td>", row)
        assert cells[2] in ("56.2", "56.3") and cells[4:] == ["72.1", "81.8"]
        for student in hc.STUDENTS:
            assert f'<td class="id">{student}</td>' in html

    def test_student_text_is_escaped(self, tmp_path):
        """An id with markup is shown as text, not as HTML (autoescaped template)."""
        from membranelab.report import PartRecord

        records = [PartRecord("<b>x</b>", "hw", "p", "a", 1.0, 1.0),
                   PartRecord("y", "hw", "p", "a", 0.0, 1.0)]
        paths = write_report(analyse(records), tmp_path, source="s", lang="en")
        html = paths["report.html"].read_text(encoding="utf-8")
        assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


class TestJson:
    def test_every_statistic_and_figure(self, written):
        """The JSON has each part's statistics and each figure's data, as computed by hand."""
        _, paths = written
        doc = json.loads(paths["report.json"].read_text(encoding="utf-8"))
        hw = doc["assignments"][0]
        assert hw["assignment"] == "hw" and hw["alpha"] == pytest.approx(hc.ALPHA)
        assert [p["facility"] for p in hw["parts"]] == pytest.approx(list(hc.FACILITY))
        assert hw["figures"]["histogram"]["counts"] == list(hc.HISTOGRAM)
        scatter = hw["figures"]["facility_discrimination"]["parts"]
        assert [s["discrimination"] for s in scatter] == pytest.approx(
            list(hc.DISCRIMINATION), abs=1e-4)
        assert hw["figures"]["mistakes"]["mistakes"][0] == {
            "part": "q/P3", "note": "mistake.log10", "students": 3}

    def test_undefined_is_null(self, written):
        """The 'other' assignment (one student) has no SD and no alpha: null, not NaN."""
        _, paths = written
        text = paths["report.json"].read_text(encoding="utf-8")
        other = json.loads(text)["assignments"][1]
        assert other["sd"] is None and other["alpha"] is None and "NaN" not in text


class TestPartsCsv:
    def test_one_row_per_part(self, written):
        """Columns as documented; P3's row: shares of blank, unreadable and hints, its top
        named mistake log10 at 3/8."""
        _, paths = written
        rows = list(csv.DictReader(io.StringIO(paths["parts.csv"].read_text(encoding="utf-8"))))
        assert tuple(rows[0]) == PART_COLUMNS and len(rows) == 5
        p3 = rows[2]
        assert (p3["problem"], p3["part"], p3["points"]) == ("q", "P3", "2")
        assert float(p3["discrimination"]) == pytest.approx(hc.DISCRIMINATION[2], abs=1e-3)
        assert float(p3["blank"]) == float(p3["unreadable"]) == pytest.approx(1 / 8)
        assert float(p3["hints"]) == pytest.approx(2 / 8)
        assert (p3["top_mistake"], float(p3["top_mistake_share"])) == ("mistake.log10", 0.375)

    def test_a_cell_a_spreadsheet_would_run_is_escaped(self, tmp_path):
        """An assignment, problem or part id from a teacher's CSV that starts a formula gets
        OWASP's quote in parts.csv; a negative statistic stays a number."""
        from membranelab.report import PartRecord

        records = [PartRecord(s, "=HYPERLINK(\"http://x\")", "+p", "@a", score, 1.0)
                   for s, score in (("s1", 1.0), ("s2", 0.0), ("s3", 0.5))]
        paths = write_report(analyse(records), tmp_path, source="s", lang="en")
        row = next(csv.DictReader(io.StringIO(paths["parts.csv"].read_text(encoding="utf-8"))))
        assert (row["assignment"], row["problem"], row["part"]) == (
            "'=HYPERLINK(\"http://x\")", "'+p", "'@a")
        assert not any(value.startswith(("=", "+", "@")) for value in row.values())
