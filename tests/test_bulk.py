"""The cycle collector is paused only while a bulk build runs, and always resumes."""

import gc
import threading

import pytest

from coordboard.services.bulk import collector_paused


def test_the_collector_resumes_after_the_last_overlapping_build() -> None:
    assert gc.isenabled()
    first_in, first_may_end = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            first_may_end.wait(5)
            seen.append(gc.isenabled())  # the other build ended meanwhile: still paused

    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(5)
    with collector_paused():
        assert not gc.isenabled()
    first_may_end.set()
    worker.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_a_failed_build_resumes_the_collector() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
