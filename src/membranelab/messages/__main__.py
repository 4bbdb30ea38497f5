"""``python -m membranelab.messages pot|check``: maintain the catalogs (see the package doc)."""

from __future__ import annotations

import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 1 when ``check`` finds an error."""
    args = sys.argv[1:] if argv is None else argv
    try:  # Babel writes the template: a maintainer's tool, in the [dev] extra
        from .tool import check_catalogs, write_template
    except ImportError as exc:
        print(f"python -m membranelab.messages needs Babel ({exc.name} missing): "
              "pip install 'membranelab[dev]'", file=sys.stderr)
        return 2
    if args[:1] == ["pot"]:
        path = write_template(LOCALE)
        print(f"wrote {path}")
        return 0
    if args[:1] == ["check"]:
        errors, untranslated = check_catalogs()
        for error in errors:
            print(f"error: {error}")
        for lang, keys in untranslated.items():
            print(f"{lang}: {len(keys)} untranslated (English shown): {', '.join(keys[:20])}")
        return 1 if errors else 0
    print("usage: python -m membranelab.messages pot|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
