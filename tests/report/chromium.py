"""Open a report page in headless Chromium (Debian's /usr/bin/chromium through Playwright; no
browser download) and check what a reader sees: every figure decoded, the tables there, nothing
fetched from outside the page.  A full-page screenshot is saved beside the page and copied to
tests/artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def open_report(html: Path, shot_name: str) -> dict:
    """Load ``html``; return what the page shows (title, figure sizes, row counts per table
    class, the requests made, the parts table's text); screenshot ``<shot_name>.png``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            seen = {
                "title": page.title(),
                "figures": page.eval_on_selector_all(
                    "img.figure",
                    "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])"),
                "rows": {name: page.locator(f"table.{name} tr").count()
                         for name in ("summary", "parts", "students", "mistakes", "options")},
                "tables": {name: page.locator(f"table.{name}").count()
                           for name in ("summary", "parts", "students", "mistakes", "options")},
                "parts_text": page.inner_text("table.parts"),
                "requests": requests,
            }
            shot = html.parent.parent / f"{shot_name}.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy2(shot, ARTIFACTS / shot.name)
    seen["shot"] = shot
    return seen


def figures_loaded(seen: dict, count: int) -> bool:
    """``count`` figures, each decoded by the browser at a real size."""
    sizes = seen["figures"]
    return len(sizes) == count and all(done and w > 300 and h > 150 for done, w, h in sizes)


def only_local(seen: dict) -> bool:
    """Nothing but the page itself and its data URIs was requested."""
    return all(u.startswith(("file:", "data:")) for u in seen["requests"])
