"""The class report on the class-mode teacher page, in-process (Starlette's TestClient): built
from what class mode records, named in the page's language, for the teacher only.

The class below, worked by hand (each part worth 1 point; the variants as in
``test_classmode``: alice K_out 4.5 mM, K_in 135 mM, 37 C; bob K_out 7.5 mM, K_in 135 mM,
25 C)::

    alice  E_K: log10 first (26.727 mV * log10(4.5/135) = -39.48 mV), then right (-90.90 mV)
           direction: "out of the cell" (right)
    bob    E_K: log10 (25.693 mV * log10(7.5/135) = -32.25 mV); direction: "c" = "no net flux"
           (wrong whatever E_K: "into the cell" would be right on his own E_K, carried forward)

Final scores: alice E_K 1, direction 1; bob 0, 0.  For each part: facility 100 * 1/2 = 50.0;
SD = 100 * sqrt(((1 - 1/2)^2 + (0 - 1/2)^2) / 1) = 70.7; the rest of the test is the other
part (alice 1, bob 0), which rises with the part's score: discrimination 100.0, discriminative
efficiency 100.0.  First tries of E_K: log10 for both students (100 %); of direction: no named
mistake.
"""

from __future__ import annotations

import math

import pytest

from membranelab.messages import gettext

from .conftest import make_class, signed_in
from .test_classmode import ALICE_E_K, _post_answer

R, F = 8.314462618, 96485.33212
ALICE_LOG10 = R * 310.15 / F * math.log10(4.5 / 135) * 1000
BOB_LOG10 = R * 298.15 / F * math.log10(7.5 / 135) * 1000


def test_hand_values():
    """The arithmetic of the module's docstring."""
    assert (round(ALICE_LOG10, 2), round(BOB_LOG10, 2)) == (-39.48, -32.25)
    assert round(100 * math.sqrt(0.5), 1) == 70.7


def _class(tmp_path, lang):
    app, tokens, teacher = make_class(tmp_path, lang=lang, tries=3)
    alice, bob = signed_in(app, tokens["alice"]), signed_in(app, tokens["bob"])
    for client, part, answer in (
            (alice, "E_K", f"{ALICE_LOG10:.2f} mV"), (alice, "E_K", f"{ALICE_E_K:.1f} mV"),
            (alice, "direction", "out of the cell"), (bob, "E_K", f"{BOB_LOG10:.2f} mV"),
            (bob, "direction", "c")):
        assert _post_answer(client, part, answer).status_code == 200
    return app, tokens, teacher


@pytest.fixture(params=["en", "zh"])
def taught(request, tmp_path):
    app, tokens, teacher = _class(tmp_path, request.param)
    yield app, tokens, teacher, request.param
    app.state.web.db.close()


def _rows(html: str) -> dict[str, list[str]]:
    """The report table's rows on the teacher page: part -> its cells (tags removed)."""
    import re

    section = html[html.index('id="class-report"'):]
    table = section[section.index("<tbody>"):section.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                        row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_teacher_page_shows_the_report_so_far(taught):
    """Per part: points, facility, SD, discrimination, efficiency as worked by hand, and the
    most common mistake named in the page's language with its share."""
    app, _, teacher, lang = taught
    html = signed_in(app, teacher).get("/teacher").text
    assert gettext("web.report_title", lang) in html
    rows = _rows(html)
    assert set(rows) == {"nernst-potassium/E_K", "nernst-potassium/direction"}
    for part in rows.values():
        assert part[:5] == ["1", "50.0", "70.7", "100.0", "100.0"]
    log10 = gettext("web.report_share", lang, what=gettext("report.mistake.log10", lang),
                    percent="100")
    assert rows["nernst-potassium/E_K"][5] == log10
    assert rows["nernst-potassium/direction"][5] == "–"


def test_before_any_answer(tmp_path):
    """No submission yet: the page says the report comes with the first one."""
    app, _, teacher = make_class(tmp_path)
    html = signed_in(app, teacher).get("/teacher").text
    assert gettext("web.report_empty", "en") in html and "report-parts" not in html
    app.state.web.db.close()


@pytest.mark.slow  # matplotlib draws the figures
def test_full_report_page(tmp_path):
    """/teacher/report.html: the report's own page, its figures embedded, the options of the
    choice part named (bob's "c" read as "no net flux" by the grader's reader), in Chinese."""
    app, _, teacher = _class(tmp_path, "zh")
    reply = signed_in(app, teacher).get("/teacher/report.html")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/html")
    page = reply.text
    assert page.count('src="data:image/png;base64,') == 3
    assert gettext("report.title", "zh") in page and "<script" not in page
    # the choices in the page's language (the bank's Chinese overlay of nernst-potassium)
    from membranelab.bank import load_bank
    from membranelab.bank.i18n import localize

    shown = localize(load_bank().problems["nernst-potassium"], "zh").part("direction")
    out, none = shown.answer_kind.options[1], shown.answer_kind.options[2]
    assert gettext("report.option_key", "zh", option=out) in page and f">{none}<" in page
    app.state.web.db.close()


def test_only_the_teacher_sees_it(tmp_path):
    """A student gets 403 for the report page and no report on any page; no cookie, 401."""
    app, tokens, _ = _class(tmp_path, "en")
    alice = signed_in(app, tokens["alice"])
    assert alice.get("/teacher/report.html").status_code == 403
    assert alice.get("/teacher").status_code == 403
    assert 'id="class-report"' not in alice.get("/").text
    from starlette.testclient import TestClient

    from .conftest import BASE

    assert TestClient(app, base_url=BASE).get("/teacher/report.html").status_code == 401
    app.state.web.db.close()


def test_the_live_report_is_the_commands(tmp_path):
    """The teacher page's report is the one ``membranelab report class.db`` makes of the same
    database (the same records, statistics, mistakes and options)."""
    from membranelab.report import analyse, read_source
    from membranelab.report.choices import bank_choice_of
    from membranelab.web.teacher import class_report

    app, _, _ = _class(tmp_path, "en")
    state = app.state.web
    live = class_report(state)
    [command] = analyse(read_source(tmp_path / "class.db",
                                    bank_choice_of(state.bank, "en"))).assignments
    assert live == command
    assert [o.option for o in live.parts[1].options] == ["no net flux", "out of the cell"]
    state.db.close()
