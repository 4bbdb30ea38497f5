"""The HTTP floor of ``bench/serve.py``: uvicorn, as ``membranelab serve`` runs it, answering
every request with a constant reply (no application: no session, no grading, no database).

    .venv/bin/python bench/floorapp.py PORT

Run by ``bench/serve.py`` as its first server, with the same students, the same answers and the
same pauses as the others: what this machine charges for reading a request and writing a reply
alone.  uvicorn gets the options ``serve`` gives it (:func:`membranelab.web.deadline.uvicorn_options`:
its HTTP protocol with the request deadline, the connection limits), on uvicorn's ``auto`` event
loop (uvloop when installed) as ``serve`` has.  ``GET`` is a page with a CSRF meta tag (the
benchmark's students sign in by reading it); ``POST`` reads the body and replies with a JSON
object the size of a verdict.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

#: A reply the size of a class verdict's JSON (feedback, standing, score line).
VERDICT = json.dumps({
    "part": "E_K", "score": 0.0, "correct": False, "note": "mistake:wrong-ratio",
    "feedback": "Not yet. " + "x" * 300, "counted": True, "hints": 0, "hint_note": "",
    "late_note": "", "tries": 1, "left": 2, "finished": False, "earned": 0.0,
    "status_line": "2 tries left", "button": "Check", "closed": False,
    "score_line": "Score: 0 of 10"}).encode()
PAGE = b'<!doctype html><meta name="csrf" content="' + b"f" * 64 + b'"><p>floor</p>'


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Read the request in full; answer ``PAGE`` to GET, ``VERDICT`` to anything else."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    body, kind = ((PAGE, b"text/html; charset=utf-8") if scope["method"] == "GET"
                  else (VERDICT, b"application/json"))
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", kind),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    import uvicorn

    from membranelab.web.config import Limits
    from membranelab.web.deadline import uvicorn_options

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                **uvicorn_options(Limits()))


if __name__ == "__main__":
    main()
