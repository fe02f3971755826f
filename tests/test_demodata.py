"""The demo fixture's bookkeeping: the tests that use the demo run one after the other, so its
outer transaction is open for them alone."""

from types import SimpleNamespace

from tests import demodata


def item(name: str, *fixtures: str):
    return SimpleNamespace(name=name, fixturenames=("db", *fixtures))


def test_demo_tests_are_moved_next_to_the_first_one_in_their_order():
    items = [item("a"), item("d1", "demo"), item("b"), item("d2", "demo"), item("c"),
             item("d3", "demo")]
    demodata.keep_demo_tests_together(items)
    assert [i.name for i in items] == ["a", "d1", "d2", "d3", "b", "c"]


def test_order_is_kept_when_no_test_uses_the_demo():
    items = [item("a"), item("b")]
    demodata.keep_demo_tests_together(items)
    assert [i.name for i in items] == ["a", "b"]
