"""What mentees looked for in the directory, anonymously: the filters of a search and how many it found.

No identity, address, session or time of day: only the day (UTC), the filter values (keywords as
normalised words, never an email address or a link) and the number of results. Kept for 13
months (services/directory/search_log.py prunes older days), to show leadership where mentors are missing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# A search "found few mentors" at or below this many results; the partial index below carries it.
FEW_RESULTS = 3
FEW = text(f"results <= {FEW_RESULTS}")


class DirectorySearch(Base):
    """One search of the directory: its filters as chosen and the (capped) number of results."""

    __tablename__ = "directory_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    keywords: Mapped[str | None] = mapped_column(String(200))  # normalised words, sorted
    # Codes of services.core.vocabulary, space-separated and sorted (None: no such filter).
    disciplines: Mapped[str | None] = mapped_column(String(400))
    seniorities: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[str | None] = mapped_column(String(200))
    offers: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))  # as a search key
    open_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # The same filters give the same key: searches are grouped by it.
    filter_key: Mapped[str] = mapped_column(String(32))
    results: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_directory_searches_day", "day"),
        Index("ix_directory_searches_few_results", "day", "filter_key", "id", sqlite_where=FEW,
              postgresql_where=FEW),
    )  # fmt: skip


class DirectorySearchDemand(Base):
    """How many searches of a day asked for one value (a discipline, a country, ...): demand,
    added up as searches are written, so a range's demand reads a few rows per day."""

    __tablename__ = "directory_search_demand"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)  # discipline, country, ...
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    searches: Mapped[int] = mapped_column(Integer)
