"""Every rendered output of the bank, written to a folder, and two such folders compared.

    .venv/bin/python bench/render_snapshot.py write DIR [--formats html,markdown,notebook,terminal]
    .venv/bin/python bench/render_snapshot.py compare BEFORE AFTER

``write``: for each language (en, zh), format, variant (canonical, student ``s1`` of ``hw1``) and
with and without solutions, the site ``membranelab render`` writes (every problem's page, the
index, the figures); and the web front end's fragments of each problem for ``s1`` (body, prompts,
hints, solution with its figures).  Run it on two trees (``PYTHONPATH=<tree>/src``) before and
after a change to the renderers, then ``compare``: prints each file that differs and counts the
files byte-identical, differing only in how an escaped quote is spelt (``&quot;``/``&#34;``,
``&#x27;``/``&#39;``: the same page), differing in whitespace only, and differing otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path


def write(out: Path, formats: list[str]) -> None:
    from membranelab.app.site import write_site
    from membranelab.service.problems import open_bank, variant_for
    from membranelab.web.pages import hint_html, problem_view, solution_html

    bank = open_bank(None)
    start = time.perf_counter()
    for lang in ("en", "zh"):
        for fmt in formats:
            for student in (None, "s1"):
                for solution in (False, True):
                    kind = f"{student or 'canon'}-{'sol' if solution else 'stmt'}"
                    folder = out / "site" / f"{lang}-{fmt}-{kind}"
                    folder.mkdir(parents=True, exist_ok=True)
                    mathjax = "mj/tex-chtml.js" if fmt == "html" and student else None
                    write_site(bank, list(bank.problems.values()), folder, fmt=fmt,
                               student=student, assignment="hw1", solution=solution,
                               mathjax=mathjax, lang=lang)
        web = out / "web" / lang
        web.mkdir(parents=True, exist_ok=True)
        for pid, problem in bank.problems.items():
            variant = variant_for(problem, "s1", "hw1", lang=lang)
            view = problem_view(variant)
            hints = {p.id: [hint_html(variant, p.id, i) for i in range(p.hints)]
                     for p in view.parts}
            (web / f"{pid}.json").write_text(json.dumps(
                {"body": view.body_html, "prompts": [p.prompt_html for p in view.parts],
                 "hints": hints, "solution": solution_html(variant, web / "fig", "/figures")},
                ensure_ascii=False, indent=1))
    print(f"wrote {sum(1 for p in out.rglob('*') if p.is_file())} files in "
          f"{time.perf_counter() - start:.0f} s")


def _quotes(data: bytes) -> bytes:
    return data.replace(b"&quot;", b"&#34;").replace(b"&#x27;", b"&#39;")


def _squeezed(data: bytes) -> bytes:
    return re.sub(rb"\s+", b"", data)


def compare(before: Path, after: Path) -> int:
    names = sorted(p.relative_to(before) for p in before.rglob("*") if p.is_file())
    others = sorted(p.relative_to(after) for p in after.rglob("*") if p.is_file())
    for name in sorted(set(names) ^ set(others)):
        print("only in", before if name in names else after, name)
    counts = {"byte-identical": 0, "quote spelling only": 0, "whitespace only": 0, "other": 0}
    for name in sorted(set(names) & set(others)):
        old, new = (before / name).read_bytes(), (after / name).read_bytes()
        kind = ("byte-identical" if old == new else
                "quote spelling only" if _quotes(old) == _quotes(new) else
                "whitespace only" if _squeezed(old) == _squeezed(new) else "other")
        counts[kind] += 1
        if kind != "byte-identical":
            print(f"{kind}: {name}")
    print(f"{len(set(names) & set(others))} files:",
          ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0 if counts["other"] == 0 and set(names) == set(others) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write every rendered output into DIR")
    w.add_argument("dir", type=Path)
    w.add_argument("--formats", default="html,markdown,notebook,terminal")
    c = sub.add_parser("compare", help="compare two folders written by `write`")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.dir, args.formats.split(","))
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
