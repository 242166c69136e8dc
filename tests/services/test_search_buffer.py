"""The search buffer writes on its own: a batch that waits its time, and what waits at shutdown."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models import DirectorySearch
from models.db import PROJECT_ROOT
from services.directory.mentor_search import MentorFilter
from services.directory.search_log import SearchBuffer, SearchRecord, record_searches

RECORD = SearchRecord.of(MentorFilter(country="FR"), results=1, day=date(2026, 11, 3))
WAIT = 0.2  # the buffer's "minute" in these tests


class Batches:
    """A write path that keeps each batch it is given, and when."""

    def __init__(self, *, fail_first: int = 0) -> None:
        self.batches: list[list[SearchRecord]] = []
        self.times: list[float] = []
        self.written = threading.Event()
        self.fail_first = fail_first

    def __call__(self, waiting: list[SearchRecord]) -> None:
        if self.fail_first:
            self.fail_first -= 1
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        self.batches.append(waiting)
        self.times.append(time.monotonic())
        self.written.set()

    def wait(self) -> bool:
        found = self.written.wait(timeout=2)
        self.written.clear()
        return found


def test_a_search_that_waited_its_time_is_written_though_no_other_search_came() -> None:
    written = Batches()
    buffer = SearchBuffer(max_age=WAIT, write=written)
    added = time.monotonic()
    assert buffer.add(RECORD) is False
    assert written.batches == []  # not before its time
    assert written.wait() and written.batches == [[RECORD]]
    assert written.times[0] - added >= WAIT * 0.9
    assert buffer.drain() == []


def test_a_full_batch_is_the_callers_and_the_next_batch_waits_its_own_time() -> None:
    written = Batches()
    buffer = SearchBuffer(size=2, max_age=WAIT, write=written)
    assert buffer.add(RECORD) is False
    assert buffer.add(RECORD) is True
    assert buffer.flush() == 2  # the page writes a full batch at once
    time.sleep(WAIT / 2)
    later = time.monotonic()
    buffer.add(RECORD)  # the first timer fires before this one is due: it waits on
    assert written.wait() and written.wait()
    assert [len(batch) for batch in written.batches] == [2, 1]
    assert written.times[1] - later >= WAIT * 0.9


def test_the_timer_reads_the_clock_it_is_given() -> None:
    now = [1000.0]
    written = Batches()
    buffer = SearchBuffer(max_age=WAIT, write=written, clock=lambda: now[0])
    buffer.add(RECORD)
    assert not written.written.wait(timeout=WAIT * 1.5)  # the clock hasn't moved: not due yet
    now[0] += WAIT
    assert written.wait() and written.batches == [[RECORD]]


def test_a_database_fault_in_the_timer_loses_that_batch_quietly_and_the_next_is_written() -> None:
    written = Batches(fail_first=1)
    buffer = SearchBuffer(max_age=WAIT / 2, write=written)
    buffer.add(RECORD)
    time.sleep(WAIT)
    assert written.batches == [] and buffer.drain() == []
    buffer.add(RECORD)
    assert written.wait() and written.batches == [[RECORD]]


def test_flush_writes_what_waits_and_nothing_when_nothing_does() -> None:
    written = Batches()
    buffer = SearchBuffer(max_age=3600, write=written)
    assert buffer.flush() == 0 and written.batches == []
    buffer.add(RECORD)
    buffer.add(RECORD)
    assert buffer.flush() == 2 and written.batches == [[RECORD, RECORD]]


def test_what_waits_when_the_process_stops_is_written() -> None:
    script = (
        "from datetime import date\n"
        "from services.directory.mentor_search import MentorFilter\n"
        "from services.directory.search_log import SearchBuffer, SearchRecord\n"
        "record = SearchRecord.of(MentorFilter(country='FR'), results=1, day=date(2026, 11, 3))\n"
        "buffer = SearchBuffer(max_age=3600, write=lambda batch: print('written', len(batch)))\n"
        "buffer.flush_at_exit()\n"
        "buffer.add(record)\n"
        "buffer.add(record)\n"
        "print('stopping')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60, check=True)  # fmt: skip
    assert done.stdout.split("\n") == ["stopping", "written 2", ""]


def test_the_timer_writes_through_the_real_write_path(writer: sessionmaker[Session]) -> None:
    def write(waiting: list[SearchRecord]) -> None:
        with writer.begin() as session:
            record_searches(session, searches=waiting)
        done.set()

    done = threading.Event()
    buffer = SearchBuffer(max_age=WAIT, write=write)
    buffer.add(SearchRecord.of(MentorFilter(keywords="brand"), results=0, day=date(2026, 11, 3)))
    assert done.wait(timeout=5)
    with writer() as session:
        assert session.scalar(select(func.count()).select_from(DirectorySearch)) == 1
