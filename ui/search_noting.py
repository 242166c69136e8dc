"""The directory's side of "what mentees look for": each new search noted anonymously, written in batches.

A search is noted once per change of the filters in a browser session (paging, sorting and
reruns are not new searches), queued in one buffer per process, and written when 25 are waiting
or the oldest has waited a minute (a timer of the buffer's own writes it then, even if no other
search comes), and on shutdown: one short write transaction for many searches instead of one
per rerun. Nothing about the person is kept (services/directory/search_log.py). If the database
is down, the batch is dropped and the page carries on: these are statistics, never worth an error.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from services.directory.mentor_search import MentorFilter
from services.directory.search_log import SearchBuffer, SearchRecord, record_searches
from ui.db import DATABASE_FAULTS, writer, writing

log = logging.getLogger(__name__)
LAST_NOTED = "directory_search_noted"


@st.cache_resource(show_spinner=False)
def search_buffer() -> SearchBuffer:
    """The process's searches waiting to be written (to the database of the moment it was made;
    its timer and the shutdown hook write through the factory kept here, never creating one)."""
    buffer = SearchBuffer(write=functools.partial(_write, writer()))
    buffer.flush_at_exit()
    return buffer


def note_search(mentor_filter: MentorFilter, results: int) -> None:
    """Note this search, unless it is the landing view or the same filters as this session's last."""
    record = SearchRecord.of(mentor_filter, results=results, day=utcnow().date())
    if record.is_empty() or st.session_state.get(LAST_NOTED) == record.filter_key:
        return
    st.session_state[LAST_NOTED] = record.filter_key
    if search_buffer().add(record):
        write_searches()


def write_searches() -> None:
    """Write every waiting search now (what a server's shutdown hook calls, besides atexit)."""
    search_buffer().flush()


def _write(on: sessionmaker[Session], waiting: list[SearchRecord]) -> None:
    """Write a batch in one transaction (dropped, and logged, if the database is down)."""
    try:
        with writing(on) as session:
            record_searches(session, searches=waiting)
    except DATABASE_FAULTS as fault:
        log.warning("%d directory searches not kept: %s", len(waiting), type(fault).__name__)
