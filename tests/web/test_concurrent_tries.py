"""Answers sent at the same moment are tries one after another: each is scored by the standing
it really follows.  Three requests are held after grading until all three have graded (a
barrier: no timing), so each was graded from the same standing; the database must still
record them as the policy scores them in order.  A choice earns only on its first try: sending
every option at once must not win it by elimination; a penalty per wrong try must charge the
later ones."""

from __future__ import annotations

import threading

from membranelab.web import answering

from .conftest import csrf_of, make_class, signed_in

PROBLEM = "nernst-potassium"
#: How long a request waits at the barrier for the other two before the test fails (a hang
#: detector, never reached when the server lets three requests in at once).
BARRIER_SECONDS = 120


def _held(monkeypatch, parties: int) -> None:
    """Hold each request's first grading until ``parties`` requests have graded.  Answers are
    graded in the thread pool here: on the event loop (as a class's short answers are) one
    process grades them one after another, so the requests that meet are those of several
    worker processes, or an answer on the loop and one in a thread (a slow one)."""
    monkeypatch.setattr(answering, "INLINE_MAX", -1)
    barrier = threading.Barrier(parties, timeout=BARRIER_SECONDS)
    first = threading.local()
    original = answering._grade

    def grade(*args, **kwargs):
        verdict = original(*args, **kwargs)
        if not getattr(first, "done", False):
            first.done = True
            barrier.wait()
        return verdict

    monkeypatch.setattr(answering, "_grade", grade)


def _send_all(app, token: str, part: str, answers: list[str]) -> list[int]:
    clients = [signed_in(app, token) for _ in answers]
    tokens = [csrf_of(c.get(f"/p/{PROBLEM}").text) for c in clients]
    status: list[int] = [0] * len(answers)

    def send(i: int) -> None:
        reply = clients[i].post(f"/p/{PROBLEM}/answer", headers={"Accept": "application/json"},
                                data={"csrf": tokens[i], "part": part, "answer": answers[i]})
        status[i] = reply.status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(answers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(BARRIER_SECONDS * 2)
    assert not any(t.is_alive() for t in threads)
    return status


def test_every_option_at_once_does_not_win_a_choice(tmp_path, monkeypatch):
    app, tokens, _ = make_class(tmp_path, tries=3)
    _held(monkeypatch, 3)
    options = ["into the cell", "out of the cell", "no net flux"]
    status = _send_all(app, tokens["alice"], "direction", options)
    subs = [s for s in app.state.web.db.list_submissions() if s.part == "direction"]
    app.state.web.db.close()
    counted = [s for s in subs if s.counted]
    # one of them is the first try; the others come after it: refused (the part closed with
    # the first try of a choice) and not recorded
    assert sorted(status) == [200, 409, 409]
    assert len(counted) == 1
    assert sum(s.score for s in counted) <= 1.0


def test_a_penalty_charges_answers_sent_at_once_in_the_order_recorded(tmp_path, monkeypatch):
    """Two wrong answers and a right one at the same moment, under a penalty of 0.25 per wrong
    try: recorded one after another, a wrong one earns 0, the right one earns 1 less 0.25 per
    wrong try recorded before it, and nothing is recorded after it (the part is closed)."""
    import dataclasses
    import math

    from membranelab.bank.scoring import Layer
    from membranelab.web import create_app

    app, tokens, _ = make_class(tmp_path, tries=5)
    config = app.state.web.config
    app.state.web.db.close()
    app = create_app(dataclasses.replace(config, klass=dataclasses.replace(
        config.klass, scoring=Layer(penalty=0.25))))
    # alice's E_K in ps1-equilibrium by hand: K_out 4.5 mM, K_in 135 mM, 37 C (test_late.py)
    e_k = 8.314462618 * 310.15 / 96485.33212 * math.log(4.5 / 135) * 1000
    answers = [f"{e_k + 20:.1f} mV", f"{e_k - 20:.1f} mV", f"{e_k:.1f} mV"]
    _held(monkeypatch, 3)
    status = _send_all(app, tokens["alice"], "E_K", answers)
    subs = sorted((s for s in app.state.web.db.list_submissions() if s.part == "E_K"),
                  key=lambda s: s.seq)
    app.state.web.db.close()
    assert all(s.counted for s in subs)
    right = [i for i, s in enumerate(subs) if s.correct]
    assert len(right) == 1 and right[0] == len(subs) - 1  # nothing after the right one
    assert [round(s.score, 9) for s in subs] == [0.0] * right[0] + [1 - 0.25 * right[0]]
    assert sorted(status) == sorted([200] * len(subs) + [409] * (3 - len(subs)))
