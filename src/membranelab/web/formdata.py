"""A short ``multipart/form-data`` body as a browser sends a form's text fields, read in one pass.

The page's script posts each answer as ``FormData`` (``multipart/form-data``): four short text
fields.  Starlette reads such a body with python-multipart's general parser, a callback per
header and per chunk, which cost a third of the event loop's time per answer.  A browser writes
these bodies in one form only (RFC 7578, section 4, as the WHATWG's "multipart/form-data
encoding algorithm" produces it for fields that are not files)::

    --BOUNDARY\\r\\n
    Content-Disposition: form-data; name="NAME"\\r\\n
    \\r\\n
    VALUE\\r\\n
    --BOUNDARY\\r\\n
    ...
    --BOUNDARY--\\r\\n

:func:`simple_fields` reads exactly that and nothing else: a body in any other shape (a file,
another header, a quoted or escaped name, a charset, text that is not UTF-8, more fields than
allowed, anything malformed) gives None, and the caller hands the body to Starlette's parser,
which accepts or refuses it as before.  The body is already bounded (``Limits.max_body``).
"""

from __future__ import annotations

import re

__all__ = ["simple_fields"]

#: ``multipart/form-data; boundary=...`` (the boundary's characters: RFC 2046's bchars, no space).
_CONTENT_TYPE = re.compile(r"multipart/form-data; ?boundary=([0-9A-Za-z'()+_,./:=?-]{1,70})\Z")
#: A field's only header, as a browser writes it (a name without quotes, backslashes or line
#: breaks: browsers percent-encode those).
_DISPOSITION = re.compile(rb'Content-Disposition: form-data; name="([^"\\\r\n]*)"\Z',
                          re.IGNORECASE)


def simple_fields(content_type: str, body: bytes, max_fields: int) -> dict[str, str] | None:
    """The text fields of ``body`` (name -> value; a repeated name keeps its last value) when it
    is a browser's form of at most ``max_fields`` text fields, else None."""
    match = _CONTENT_TYPE.match(content_type)
    if match is None:
        return None
    delimiter = b"--" + match.group(1).encode("ascii")
    start = delimiter + b"\r\n"
    end = b"\r\n" + delimiter + b"--"
    if not body.startswith(start):
        return None
    stop = len(body) - len(end) - (2 if body.endswith(b"\r\n") else 0)
    if stop < len(start) or body[stop:stop + len(end)] != end:
        return None
    parts = body[len(start):stop].split(b"\r\n" + start)
    if len(parts) > max_fields:
        return None
    fields: dict[str, str] = {}
    for part in parts:
        head, blank, value = part.partition(b"\r\n\r\n")
        named = _DISPOSITION.match(head) if blank else None
        if named is None or delimiter in value:
            return None
        try:
            fields[named.group(1).decode("utf-8")] = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return fields
