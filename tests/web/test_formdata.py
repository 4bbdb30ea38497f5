"""The one-pass reader of a browser's multipart form (membranelab.web.formdata): the same
fields as Starlette's own parser reads, or None (and Starlette reads it) for any other shape."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import Request

from membranelab.web.formdata import simple_fields

from .conftest import csrf_of, signed_in

B = "----WebKitFormBoundaryq4mXuE7s2DTz9A1b"
TYPE = f"multipart/form-data; boundary={B}"


def _browser(fields: dict[str, str], boundary: str = B) -> bytes:
    """A body as Chromium writes ``new FormData(form)`` of text fields."""
    out = b""
    for name, value in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    return out + f"--{boundary}--\r\n".encode()


def _starlette(content_type: str, body: bytes) -> dict[str, str]:
    """What Starlette's parser (python-multipart) reads from the same body."""
    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request({"type": "http", "method": "POST", "path": "/", "query_string": b"",
                       "headers": [(b"content-type", content_type.encode("latin-1"))]},
                      receive)
    async def read():
        form = await request.form(max_files=0, max_fields=20)
        return {k: v for k, v in form.items() if isinstance(v, str)}

    return asyncio.run(read())


# Answers as students type them: a Chinese IME's full-width digits and punctuation, a unit in
# words, a decimal comma, an empty answer, a line break pasted in, a formula.
ANSWERS = ["-90.1 mV", "－９０．１ｍＶ", "负90.1毫伏", "-90,1 millivolts", "", "R*T/(z*F)*ln(c_out/c_in)",
           "-90\r\n mV", "a=b&c=d%20e", "--not a boundary"]


class TestSimpleFields:
    @pytest.mark.parametrize("answer", ANSWERS)
    def test_reads_what_starlette_reads(self, answer):
        """A browser's form of an answer reads as Starlette reads it."""
        body = _browser({"csrf": "ab12", "part": "E_K", "uid": "f00d" * 8, "answer": answer})
        assert simple_fields(TYPE, body, 20) == _starlette(TYPE, body)
        assert simple_fields(TYPE, body, 20)["answer"] == answer

    def test_a_quoted_boundary_is_left_to_starlette(self):
        """Only the unquoted boundary browsers send is read here."""
        body = _browser({"part": "E_K"})
        assert simple_fields(f'multipart/form-data; boundary="{B}"', body, 20) is None

    def test_a_repeated_name_keeps_its_last_value(self):
        """As Starlette's form does."""
        body = (f"--{B}\r\nContent-Disposition: form-data; name=\"answer\"\r\n\r\n1 mV\r\n"
                f"--{B}\r\nContent-Disposition: form-data; name=\"answer\"\r\n\r\n2 mV\r\n"
                f"--{B}--\r\n").encode()
        assert simple_fields(TYPE, body, 20) == _starlette(TYPE, body) == {"answer": "2 mV"}

    @pytest.mark.parametrize("body", [
        # a file
        f"--{B}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
        f"Content-Type: text/plain\r\n\r\nx\r\n--{B}--\r\n",
        # another header
        f"--{B}\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: text/html\r\n\r\n"
        f"x\r\n--{B}--\r\n",
        # an escaped quote in the name
        f"--{B}\r\nContent-Disposition: form-data; name=\"a\\\"b\"\r\n\r\nx\r\n--{B}--\r\n",
        # no closing delimiter
        f"--{B}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n",
        # no blank line after the header
        f"--{B}\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--{B}--\r\n",
        # something after the closing delimiter
        f"--{B}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--{B}--\r\nmore",
        # not the boundary of the header
        _browser({"a": "x"}, "other").decode(),
        # no parts
        f"--{B}--\r\n",
    ])
    def test_any_other_shape_is_left_to_starlette(self, body):
        """None: the caller hands the body to Starlette's parser."""
        assert simple_fields(TYPE, body.encode(), 20) is None

    def test_text_that_is_not_utf8_is_left_to_starlette(self):
        """Starlette reads such a value as Latin-1; this reader does not guess."""
        body = f"--{B}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n".encode() + \
            b"\xff\xfe mV\r\n" + f"--{B}--\r\n".encode()
        assert simple_fields(TYPE, body, 20) is None

    def test_more_fields_than_allowed_is_left_to_starlette(self):
        """Starlette refuses them (400); this reader reads none of them."""
        body = _browser({f"f{i}": "x" for i in range(21)})
        assert simple_fields(TYPE, body, 20) is None
        assert simple_fields(TYPE, body, 21) == {f"f{i}": "x" for i in range(21)}


class TestAnswerAsThePageSendsIt:
    def test_a_multipart_answer_is_graded_and_recorded(self, klass):
        """The page's script posts FormData (multipart): the answer is read, graded, recorded."""
        app, tokens, _ = klass
        client = signed_in(app, tokens["alice"])
        csrf = csrf_of(client.get("/p/nernst-potassium").text)
        body = _browser({"csrf": csrf, "part": "E_K", "uid": "a1b2c3d4e5f6a7b8",
                         "answer": "＋９０ ｍＶ"})
        reply = client.post("/p/nernst-potassium/answer", content=body,
                            headers={"Content-Type": TYPE, "Accept": "application/json",
                                     "X-CSRF-Token": csrf})
        assert reply.status_code == 200, reply.text
        assert reply.json()["tries"] == 1 and reply.json()["correct"] is False
        subs = app.state.web.db.list_submissions()
        assert [(s.part, s.answer) for s in subs] == [("E_K", "＋９０ ｍＶ")]

    def test_a_file_in_the_form_is_still_refused(self, klass):
        """A form with a file goes to Starlette's parser, which refuses files here (400)."""
        app, tokens, _ = klass
        client = signed_in(app, tokens["alice"])
        csrf = csrf_of(client.get("/p/nernst-potassium").text)
        body = (f"--{B}\r\nContent-Disposition: form-data; name=\"answer\"; filename=\"a\"\r\n"
                f"\r\nx\r\n--{B}--\r\n").encode()
        reply = client.post("/p/nernst-potassium/answer", content=body,
                            headers={"Content-Type": TYPE, "Accept": "application/json",
                                     "X-CSRF-Token": csrf})
        assert reply.status_code == 400
        assert app.state.web.db.list_submissions() == []
