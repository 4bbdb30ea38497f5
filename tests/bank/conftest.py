"""Shared fixtures: the repository's bank, loaded once."""

import pytest

from membranelab.bank import load_bank


@pytest.fixture(scope="session")
def bank():
    """The repository's problem bank."""
    return load_bank()
