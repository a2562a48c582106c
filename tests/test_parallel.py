"""Parts of one request two at a time: results in the callers' order whatever order they
start in, an exception raised to the caller, two really at once, and a part that itself
asks for parts running them in its own thread instead of waiting on the pool forever."""

from __future__ import annotations

import threading
import time

import pytest

from data_access.parallel import WORKERS, run_all


def test_results_come_back_in_the_calls_order_whatever_starts_first():
    calls = [lambda i=i: (time.sleep(0.01 * (3 - i)), i)[1] for i in range(4)]
    assert run_all(calls, longest_first=(3, 1, 0, 2)) == [0, 1, 2, 3]


def test_two_parts_run_at_once():
    both_in = threading.Barrier(WORKERS, timeout=5)  # breaks (raises) if the second never starts alongside

    def part():
        both_in.wait()
        return threading.current_thread().name

    names = run_all([part, part])
    assert len(set(names)) == 2


def test_an_exception_in_a_part_reaches_the_caller():
    def fails():
        raise LookupError("no such area")

    with pytest.raises(LookupError, match="no such area"):
        run_all([lambda: 1, fails])


def test_parts_may_ask_for_parts():
    def outer(n):
        return sum(run_all([lambda i=i: i for i in range(n)]))

    assert run_all([lambda: outer(3), lambda: outer(4)]) == [3, 6]


def test_the_start_order_must_name_every_call_once():
    with pytest.raises(ValueError):
        run_all([lambda: 1, lambda: 2], longest_first=(0, 0))


def test_after_a_failure_the_parts_not_started_are_dropped_and_it_is_raised_at_once():
    ran = []

    def fails():
        raise ConnectionError("database unreachable")

    def slow():
        time.sleep(2.0)
        ran.append("slow")

    def queued():
        time.sleep(0.3)
        ran.append("queued")

    started = time.perf_counter()
    with pytest.raises(ConnectionError):
        run_all([fails, slow, queued, queued, queued])
    assert time.perf_counter() - started < 1.5, "raised when it failed, not after the slow part"
    time.sleep(2.5)
    # The thread the failure freed may already have taken the next part; the rest never run.
    assert ran.count("slow") == 1 and ran.count("queued") <= 1, ran
