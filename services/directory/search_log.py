"""What mentees look for: each directory search recorded anonymously, in batches, kept 13 months.

A search is kept as its UTC day, its filter values and its number of results: nothing about who
searched (no account, address, session or time of day). Keywords are kept only as normalised
words, and a word that looks like an email address, a link or a phone number is dropped whole.
Filter codes are checked against the vocabulary, so nothing else a URL can carry is stored. A
search for a mentor by name that found few mentors is not kept at all: a person is not unmet
demand, and their name is not ours to log (`names_a_mentor`).
Searches are written in batches (`SearchBuffer`: one statement per table for many searches, at
the latest a minute after the first of a batch, and on shutdown), each adding to its day's
demand per discipline, country, ... (`directory_search_demand`), and forgotten after
RETENTION_MONTHS (`prune_searches`, run by commands.start and commands.maintenance).
"""

from __future__ import annotations

import atexit
import calendar
import hashlib
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import DirectorySearch, DirectorySearchDemand, Mentor
from models.search import FEW_RESULTS
from services.core.bulk_rows import rows_changed
from services.core.matching import contains_pattern, search_key
from services.core.text import collapse_whitespace
from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from services.directory.mentor_search import MentorFilter

log = logging.getLogger(__name__)
RETENTION_MONTHS = 13
MAX_WORDS = 8
NAME_CANDIDATES = 50  # names holding every word somewhere, looked at for whole words
MAX_WORD = 40
# A token like these (an email address, a link, a number of 3+ digits), or one without a letter,
# is dropped whole, before it is split into words.
_LOOKS_PRIVATE = re.compile(r"@|://|^www\.|\w\.[^\W\d_]{2,}\b|(?:\d\D*){3}", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
# Core tables: a batch goes in as one executemany, without the ORM's per-row bookkeeping.
SEARCHES = cast(Table, DirectorySearch.__table__)
DEMAND = cast(Table, DirectorySearchDemand.__table__)


def search_words(keywords: str) -> tuple[str, ...]:
    """The words of a search as kept: normalised, sorted, without anything that identifies a person."""
    words: set[str] = set()
    for token in keywords.split():
        if _LOOKS_PRIVATE.search(token) or not any(ch.isalpha() for ch in token):
            continue
        words.update(w[:MAX_WORD] for w in _WORD.findall(search_key(token)) if len(w) > 1)
    return tuple(sorted(words)[:MAX_WORDS])


def _known(values: Sequence[str], allowed: Collection[str]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v in allowed}))


@dataclass(frozen=True)
class SearchRecord:
    """One search as it is kept: the day, the filter values, the number of results."""

    day: date
    results: int
    keywords: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()
    seniorities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    country: str | None = None
    city: str | None = None
    open_only: bool = False

    @classmethod
    def of(cls, mentor_filter: MentorFilter, *, results: int, day: date) -> SearchRecord:
        """What is kept of a directory search (sorting is not a filter, so it is not kept)."""
        f = mentor_filter
        city = collapse_whitespace(f.city or "")[:100]
        return cls(
            day=day, results=max(0, results), keywords=search_words(f.keywords),
            disciplines=_known(f.disciplines, {d.value for d in Discipline}),
            seniorities=_known(f.seniorities, {s.value for s in Seniority}),
            languages=_known(f.languages, LANGUAGES), offers=_known(f.offers, {o.value for o in Offer}),
            country=f.country if f.country in COUNTRIES else None,
            city=city if city and not _LOOKS_PRIVATE.search(city) else None,
            open_only=bool(f.open_only),
        )  # fmt: skip

    @property
    def filter_key(self) -> str:
        """The same filters always give the same key (searches are grouped by it)."""
        parts = (self.keywords, self.disciplines, self.seniorities, self.languages, self.offers,
                 (self.country or "",), (search_key(self.city or ""),), (str(int(self.open_only)),))  # fmt: skip
        canonical = "|".join(" ".join(p) for p in parts)
        return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()

    def is_empty(self) -> bool:
        """True when nothing was asked for (the directory's landing view is not a search)."""
        return self == SearchRecord(day=self.day, results=self.results)

    def row(self) -> dict[str, object]:
        def joined(values: tuple[str, ...]) -> str | None:
            return " ".join(values) or None

        return {
            "day": self.day, "keywords": joined(self.keywords), "disciplines": joined(self.disciplines),
            "seniorities": joined(self.seniorities), "languages": joined(self.languages),
            "offers": joined(self.offers), "country": self.country, "city": self.city,
            "open_only": self.open_only, "filter_key": self.filter_key, "results": self.results,
        }  # fmt: skip

    def asked(self) -> list[tuple[str, str]]:
        """(field, value) of each value this search asked for: its share of the demand."""
        fields = [("discipline", self.disciplines), ("seniority", self.seniorities),
                  ("language", self.languages), ("offer", self.offers),
                  ("country", (self.country,) if self.country else ())]  # fmt: skip
        return [(name, value) for name, values in fields for value in values]


def names_a_mentor(session: Session, words: Sequence[str]) -> bool:
    """True when every word is a whole word of one mentor's name (any listing, in any state)."""
    if not words:
        return False
    candidates = session.scalars(
        select(Mentor.name_key)
        .where(*(Mentor.name_key.like(contains_pattern(word), escape="\\") for word in words))
        .limit(NAME_CANDIDATES)
    )
    wanted = set(words)
    return any(wanted <= set(_WORD.findall(name)) for name in candidates)


def record_searches(session: Session, *, searches: Sequence[SearchRecord]) -> int:
    """Keep a batch of searches, and add them to the day's demand: one statement per table,
    whatever the batch's size. Empty ones (the landing view) are skipped, and so are searches for
    a mentor's name that found few mentors (only those could read as unmet demand)."""
    names: dict[tuple[str, ...], bool] = {}

    def by_name(record: SearchRecord) -> bool:
        if record.results > FEW_RESULTS or not record.keywords:
            return False
        if record.keywords not in names:
            names[record.keywords] = names_a_mentor(session, record.keywords)
        return names[record.keywords]

    kept = [s for s in searches if not s.is_empty() and not by_name(s)]
    if not kept:
        return 0
    session.execute(insert(SEARCHES), [s.row() for s in kept])
    demand = Counter((s.day, field, value) for s in kept for field, value in s.asked())
    if demand:
        _add_demand(session, demand)
    return len(kept)


def _add_demand(session: Session, demand: Counter[tuple[date, str, str]]) -> None:
    """Add to each (day, field, value)'s count, creating it the first time (an upsert, in key
    order so that two processes writing at once lock rows in the same order)."""
    upsert = (
        postgresql.insert(DEMAND)
        if session.get_bind().dialect.name == "postgresql"
        else sqlite.insert(DEMAND)
    )
    statement = upsert.on_conflict_do_update(
        index_elements=["day", "field", "value"],
        set_={"searches": DEMAND.c.searches + upsert.excluded.searches},
    )
    rows = [{"day": day, "field": field, "value": value, "searches": n}
            for (day, field, value), n in sorted(demand.items())]  # fmt: skip
    session.execute(statement, rows)


def record_search(
    session: Session, *, mentor_filter: MentorFilter, results: int, now: datetime
) -> int:
    """Keep one search right away (the page batches through SearchBuffer instead)."""
    record = SearchRecord.of(mentor_filter, results=results, day=now.date())
    return record_searches(session, searches=[record])


@dataclass
class SearchBuffer:
    """Searches waiting to be written together: due when `size` wait, or the oldest is `max_age` s old.

    One per process (the page holds it in st.cache_resource); safe across the server's threads.
    Given a `write` (the one write path, which keeps a database fault to itself), the buffer also
    writes on its own: a daemon timer, started by the first search of a batch, writes the batch
    once its oldest search has waited `max_age` seconds, even if no other search comes, and
    `flush` (on shutdown: `flush_at_exit`) writes whatever waits. The timer never holds the lock
    while writing, so a page adding a search never waits on the database.
    """

    size: int = 25
    max_age: float = 60.0
    write: Callable[[list[SearchRecord]], object] | None = None
    clock: Callable[[], float] = time.monotonic
    _waiting: list[SearchRecord] = field(default_factory=list)
    _since: float | None = None
    _timer: threading.Timer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: SearchRecord, *, now: float | None = None) -> bool:
        """Queue a search; True when the batch is due to be written (by the caller, with `flush`)."""
        now = self.clock() if now is None else now
        with self._lock:
            self._waiting.append(record)
            self._since = now if self._since is None else self._since
            due = len(self._waiting) >= self.size or now - self._since >= self.max_age
            if not due and self.write is not None and self._timer is None:
                self._start_timer(self.max_age - (now - self._since))
            return due

    def drain(self) -> list[SearchRecord]:
        """Everything waiting, now owned by the caller."""
        with self._lock:
            waiting, self._waiting, self._since = self._waiting, [], None
            return waiting

    def flush(self) -> int:
        """Write everything waiting now, through `write`; how many searches were handed to it."""
        waiting = self.drain()
        if waiting and self.write is not None:
            self.write(waiting)
        return len(waiting)

    def flush_at_exit(self) -> None:
        """Write what still waits when the process stops (a clean shutdown runs atexit hooks)."""
        atexit.register(self.flush)

    def _start_timer(self, delay: float) -> None:
        timer = threading.Timer(max(delay, 0.0), self._when_due)
        timer.name, timer.daemon = "search-buffer", True
        self._timer = timer
        timer.start()

    def _when_due(self) -> None:
        with self._lock:
            self._timer = None
            if self._since is None:
                return  # written meanwhile, as a full batch
            left = self.max_age - (self.clock() - self._since)
            if left > 0:  # a newer batch, begun after the one this timer was set for
                self._start_timer(left)
                return
        try:
            self.flush()
        except Exception:  # statistics are never worth a dead thread or a page's error
            log.exception("directory searches not kept")


def months_before(day: date, months: int) -> date:
    """The same day of the month, `months` earlier (or that month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def prune_searches(session: Session, *, now: datetime) -> int:
    """Forget searches older than RETENTION_MONTHS; how many were forgotten."""
    cutoff = months_before(now.date(), RETENTION_MONTHS)
    session.execute(delete(DirectorySearchDemand).where(DirectorySearchDemand.day < cutoff))
    return rows_changed(session.execute(delete(DirectorySearch).where(DirectorySearch.day < cutoff)))
