"""pint's cache of parsed definitions: used only when private, filled whole, damage survived."""

from __future__ import annotations

import logging
import os
import stat

import pint
import pytest

from membranelab.physics import unitcache


def real(folder):
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=folder)


def volts(reg, text):
    return reg.Quantity(1.0, text).to("V").magnitude


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv(unitcache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


class TestCacheFolder:
    def test_filled_once_private_and_read_back(self, root):
        calls = []

        def build(folder):
            calls.append(folder)
            return real(folder)

        first = unitcache.registry(pint.__version__, build)
        folder = root / f"pint-{pint.__version__}"
        assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert any(p.suffix == ".pickle" for p in folder.iterdir())
        assert [p.name for p in root.iterdir()] == [folder.name]  # the scratch copy is gone
        second = unitcache.registry(pint.__version__, build)
        assert calls[-1] == folder
        # the same physics either way: 1 mV, 1 kJ/(mol) and 37 °C as a temperature in kelvin
        assert volts(second, "mV") == pytest.approx(1e-3) == volts(first, "mV")
        assert second.Quantity(37, "degC").to("K").magnitude == pytest.approx(310.15)

    def test_off(self, monkeypatch):
        monkeypatch.setenv(unitcache.CACHE_ENV, "off")
        assert unitcache.cache_folder("1") is None
        assert unitcache.registry("1", lambda folder: folder) is None

    def test_shared_folder_not_used(self, root, caplog):
        folder = root / "pint-1"
        folder.mkdir(parents=True)
        os.chmod(folder, 0o777)
        with caplog.at_level(logging.WARNING, logger="membranelab.physics.unitcache"):
            assert unitcache.registry("1", lambda f: f) is None
        assert "not this user's alone" in caplog.text

    def test_symlink_not_followed(self, root, tmp_path):
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        root.mkdir()
        (root / "pint-1").symlink_to(elsewhere)
        assert unitcache.registry("1", lambda f: f) is None

    def test_damaged_file_is_an_incident_and_parsed_again(self, root, caplog):
        unitcache.registry(pint.__version__, real)
        folder = root / f"pint-{pint.__version__}"
        for pickle_file in folder.glob("*.pickle"):
            pickle_file.write_bytes(b"\x80\x05not a pickle")
        with caplog.at_level(logging.ERROR, logger="membranelab.physics.unitcache"):
            reg = unitcache.registry(pint.__version__, real)
        assert "incident" in caplog.text and "could not be read" in caplog.text
        assert volts(reg, "mV") == pytest.approx(1e-3)

    def test_cannot_create_the_folder(self, tmp_path, monkeypatch):
        blocker = tmp_path / "a-file"
        blocker.write_text("x")
        monkeypatch.setenv(unitcache.CACHE_ENV, str(blocker / "cache"))
        assert unitcache.registry("1", lambda f: f) is None
