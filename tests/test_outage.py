"""The server's memory of an outage (ui/outage.py): reads wait a moment after a failure
instead of each timing out, then try again; the last good answers are kept, bounded."""

from __future__ import annotations

import pandas as pd

from ui.outage import MAX_KEPT_BYTES, Outage


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_after_a_failure_reads_wait_then_try_again():
    clock = Clock()
    outage = Outage(retry_seconds=10, clock=clock)
    assert not outage.waiting()
    outage.failed()
    clock.now += 9.9
    assert outage.waiting()
    clock.now += 0.2
    assert not outage.waiting()  # the next read tries the database again
    outage.failed()
    assert outage.waiting()
    outage.recovered()
    assert not outage.waiting()


def test_the_last_good_answer_is_kept_with_its_time():
    outage = Outage()
    frame = pd.DataFrame({"people": [12, 30]})
    outage.keep(("checkpoints", "418801"), frame)
    outage.keep(("checkpoints", "418801"), frame.assign(people=[13, 31]))
    kept = outage.last(("checkpoints", "418801"))
    assert kept is not None and kept.value["people"].tolist() == [13, 31]
    assert kept.read_at > 0
    assert outage.last(("checkpoints", "418802")) is None


def test_kept_answers_are_bounded_by_entries_oldest_out_first():
    outage = Outage(max_entries=3)
    for i in range(5):
        outage.keep(("q", i), pd.DataFrame({"x": [i]}))
    outage.keep(("q", 2), pd.DataFrame({"x": [2]}))  # used again: now the newest
    outage.keep(("q", 5), pd.DataFrame({"x": [5]}))
    assert len(outage) == 3
    assert [k for k in range(6) if outage.last(("q", k)) is not None] == [2, 4, 5]


def test_a_huge_answer_is_not_kept():
    outage = Outage()
    rows = MAX_KEPT_BYTES // 8 + 1
    outage.keep(("grid",), pd.DataFrame({"x": range(rows)}, dtype="int64"))
    assert outage.last(("grid",)) is None
    outage.keep(("none",), None)
    assert len(outage) == 0


def test_kept_answers_are_bounded_by_bytes_altogether():
    frame = pd.DataFrame({"x": range(1000)}, dtype="int64")  # about 16 KB by the estimate
    outage = Outage(max_bytes=40_000)
    for i in range(10):
        outage.keep(("q", i), frame)
    assert outage.kept_bytes <= 40_000 and len(outage) == 2
    assert outage.last(("q", 9)) is not None and outage.last(("q", 0)) is None
    outage.keep(("q", 9), frame.head(10))  # replacing an answer gives its bytes back
    assert outage.kept_bytes == 10 * 2 * 8 + 1000 * 2 * 8
