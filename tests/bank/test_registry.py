"""The registry behind answer kinds and plot kinds."""

import threading

import pytest

from membranelab.bank.registry import Registry


def test_names_in_order_and_lookup():
    reg: Registry[int] = Registry("thing")
    reg.add("b", 2)
    reg.add("a", 1)
    assert reg.names() == ("b", "a") and reg.get("a") == 1
    assert reg.get("c") is None and reg.get(3) is None  # unknown, or not a name at all
    assert reg.expected() == "b or a"
    reg.add("c", 3)
    assert reg.expected() == "b, a or c"


def test_a_taken_name_is_refused_unless_same():
    reg: Registry[object] = Registry("answer kind")
    item = object()
    reg.add("x", item)
    reg.add("x", item)  # the same module imported twice: fine
    with pytest.raises(ValueError, match="answer kind 'x' is already registered"):
        reg.add("x", object())
    reg.remove("x")
    reg.add("x", object())  # free again once removed
    assert reg.names() == ("x",)


def test_threads_lose_nothing():
    reg: Registry[int] = Registry("thing")
    threads = [threading.Thread(target=lambda k=k: [reg.add(f"{k}-{i}", i) for i in range(200)])
               for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(reg.names()) == 8 * 200
