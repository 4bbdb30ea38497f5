"""Figures: drawn with matplotlib's object API, leaving the process's backend alone."""

import json
import struct
import subprocess
import sys
import textwrap

import pytest

RENDER_IN_A_NOTEBOOK_LIKE_PROCESS = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import matplotlib
    matplotlib.use("svg")  # the user's own choice, as a notebook's inline backend would be
    before = matplotlib.get_backend()
    from membranelab.bank import load_bank
    from membranelab.bank.figures import draw_figures
    bank = load_bank()
    names = {}
    for pid in ("hyperkalemia", "channel-noise"):
        names.update(draw_figures(bank.problems[pid].variant("canonical"), Path(sys.argv[1])))
    print(json.dumps({"before": before, "after": matplotlib.get_backend(), "names": names,
                      "pyplot": "matplotlib.pyplot" in sys.modules}))
""")


def _png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_backend_unchanged_and_pyplot_unused(tmp_path):
    """Drawing figures keeps the process's backend ("svg" here) and never imports pyplot; each
    PNG has the size its figure asks for: 6 x 4 in and 8 x 3.5 in at 150 dpi."""
    done = subprocess.run([sys.executable, "-c", RENDER_IN_A_NOTEBOOK_LIKE_PROCESS,
                           str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["before"] == report["after"] == "svg"
    assert report["pyplot"] is False
    sizes = {fid: _png_size((tmp_path / name).read_bytes())
             for fid, name in report["names"].items()}
    assert sizes and set(sizes.values()) <= {(6 * 150, 4 * 150), (8 * 150, int(3.5 * 150))}
    assert (6 * 150, 4 * 150) in sizes.values() and (8 * 150, int(3.5 * 150)) in sizes.values()


@pytest.mark.slow
def test_figures_written_atomically(tmp_path):
    """Figure files go through the atomic writer: a new PNG gets the umask's mode (0644 under
    umask 022), and a directory standing where a PNG goes is refused, not replaced."""
    import os
    import stat

    import pytest

    from membranelab.atomic import NotRegularFileError
    from membranelab.bank import load_bank
    from membranelab.bank.figures import draw_figures

    variant = load_bank().problems["hyperkalemia"].variant("canonical")
    old = os.umask(0o022)
    try:
        names = draw_figures(variant, tmp_path / "ok")
        for name in names.values():
            assert stat.S_IMODE((tmp_path / "ok" / name).stat().st_mode) == 0o644
        blocked = tmp_path / "blocked"
        (blocked / next(iter(names.values()))).mkdir(parents=True)
        with pytest.raises(NotRegularFileError):
            draw_figures(variant, blocked)
        assert (blocked / next(iter(names.values()))).is_dir()
    finally:
        os.umask(old)
