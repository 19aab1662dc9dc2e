"""gc_paused: the cyclic collector is off inside, and left as it was found afterwards."""

from __future__ import annotations

import gc

import pytest

from kg.gcpause import gc_paused


@pytest.fixture(autouse=True)
def _restore_gc():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_restored_after_nesting_and_errors() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block must not switch it back on
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()

    @gc_paused()
    def build() -> bool:
        return gc.isenabled()

    assert build() is False
    assert not gc.isenabled()
