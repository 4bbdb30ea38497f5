"""The class report on the teacher page, end to end: a real ``membranelab serve`` in class mode,
in Chinese, and headless Chromium signed in as the teacher.  The report table is on the page
with the mistake named in Chinese; the full report's three figures load.  Screenshots go to
tests/artifacts/ (teacher-report-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from membranelab.messages import gettext

from .browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, server, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.chromium, pytest.mark.cjk_font]


def _class(roster, db_url: str) -> str:
    """The roster's tokens issued and two students' answers recorded as class mode does (the
    web front end's own ClassDB): alice log10 on E_K then right, direction right; bob log10,
    direction wrong.  Returns the teacher's token."""
    from membranelab.web.db import ClassDB, Submission
    from membranelab.web.roster import issue_tokens, read_roster

    db = ClassDB(db_url)
    teacher = next(r[3] for r in issue_tokens(db, read_roster(roster), base_url="http://x")
                   if r[0] == "teacher")
    rows = [("alice", "E_K", "-39.48 mV", 0.0, "mistake.log10"),
            ("alice", "E_K", "-90.9 mV", 1.0, "correct"),
            ("alice", "direction", "out of the cell", 1.0, "correct"),
            ("bob", "E_K", "-32.25 mV", 0.0, "mistake.log10"),
            ("bob", "direction", "c", 0.0, "choice.wrong")]
    for n, (student, part, answer, score, note) in enumerate(rows):
        db.record(Submission(uid=f"u{n}", student=student, assignment="ps1-equilibrium",
                             problem="nernst-potassium", part=part, seq=0, answer=answer,
                             score=score, weight=1.0, correct=score == 1.0, note=note,
                             feedback="", level="named", counted=True, created=0.0), 3)
    db.close()
    return teacher


def test_teacher_sees_the_class_report_in_chinese(tmp_path):
    """The teacher's page names log10 in Chinese in the report table; the full report page's
    figures are loaded images."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,Alice\nbob,Bob\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'class.db'}"
    teacher = _class(roster, db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    args = ["--class", str(roster), "--assignment", "ps1-equilibrium", "--db", db]
    with server(args, {"MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "zh"}) as url, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            sign_in(page, url, teacher)
            report = page.locator("#class-report")
            report.wait_for()
            assert gettext("web.report_title", "zh") in report.inner_text()
            row = report.locator("tr", has_text="nernst-potassium/E_K").inner_text()
            assert gettext("report.mistake.log10", "zh") in row and "50.0" in row
            report.screenshot(path=str(ARTIFACTS / "teacher-report-zh.png"))
            page.click("#class-report a[href='/teacher/report.html']")
            page.wait_for_selector("img.figure-mistakes")
            loaded = page.evaluate("() => Array.from(document.images).map("
                                   "i => i.complete && i.naturalWidth > 0)")
            assert loaded == [True, True, True]
            assert page.locator("table.parts").count() == 1
            page.screenshot(path=str(ARTIFACTS / "teacher-report-full-zh.png"), full_page=True)
        finally:
            browser.close()
