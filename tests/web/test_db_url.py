"""A class database URL that names no usable database, or a server that does not answer, is
one line for the teacher (exit 2), in their language, with any password hidden: never an
internal error."""

from __future__ import annotations

import pytest

from membranelab.cli import main
from membranelab.errors import CliError
from membranelab.web.db import ClassDB

UNREACHABLE = "postgresql+psycopg://teacher:hunter2@/class?host=/nonexistent-socket-dir"


@pytest.mark.parametrize("url", ["nope://x", "sqlite+nosuchdriver:///c.db", "not a url"])
def test_not_a_database_url(url):
    with pytest.raises(CliError) as refused:
        ClassDB(url)
    assert refused.value.key == "classdb.bad_url"


def test_unreachable_server_hides_the_password():
    import psycopg  # noqa: F401 - the dev extras install it: PostgreSQL URLs need its driver
    with pytest.raises(CliError) as refused:
        ClassDB(UNREACHABLE)
    assert refused.value.key == "classdb.cannot_open"
    assert "hunter2" not in refused.value.text("en") and "***" in refused.value.text("en")


@pytest.mark.parametrize(("lang", "words"), [("en", "is not a database"), ("zh", "不是本服务器")])
def test_the_command_says_it_in_one_line(capsys, lang, words):
    assert main(["--lang", lang, "serve", "upgrade-db", "--db", "nope://x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
