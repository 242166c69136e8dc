"""What mentees look for and don't find: frequent searches with few results, demand against supply.

Searches are kept by UTC day (services/directory/search_log.py), so a range's searches are those of its
days. Searches with few results are read through a partial index that holds only them; demand
is read from the day-by-day counts per value kept as searches are written, never from text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from models import DirectorySearch, DirectorySearchDemand
from models.search import FEW_RESULTS
from services.audit.history import label
from services.core.vocabulary import COUNTRIES, LANGUAGES, Discipline, Offer, Seniority
from services.trends.collective import collective_today, dimension_label

searches = DirectorySearch.__table__
demanded = DirectorySearchDemand.__table__
UNMET_COLUMNS = ["search", "searches", "mentors found"]
DEMAND_COLUMNS = [
    "code",
    "label",
    "searches",
    "mentors",
    "share of searches",
    "share of mentors",
    "gap",
]
# Only a literal matches the partial index's WHERE on SQLite.
FEW = searches.c.results <= literal(FEW_RESULTS, literal_execute=True)


def unmet_searches(
    session: Session, *, start: date, end: date, tz: ZoneInfo, limit: int = 10
) -> pd.DataFrame:
    """The most frequent searches that found at most FEW_RESULTS mentors, with the latest count found."""
    del tz  # searches are kept by UTC day: the range's days are read as they are
    grouped = (
        select(searches.c.filter_key, func.count().label("n"), func.max(searches.c.id).label("latest"))
        .where(searches.c.day >= start, searches.c.day <= end, FEW)
        .group_by(searches.c.filter_key)
        .order_by(func.count().desc(), func.max(searches.c.id).desc())
        .limit(limit)
        .subquery()
    )  # fmt: skip
    query = (
        select(searches, grouped.c.n)
        .join(grouped, grouped.c.latest == searches.c.id)
        .order_by(grouped.c.n.desc(), searches.c.id.desc())
    )
    rows = [(describe(dict(row._mapping)), row.n, row.results) for row in session.execute(query)]
    return pd.DataFrame(rows, columns=UNMET_COLUMNS)


def describe(row: Mapping[str, Any]) -> str:
    """A search in words: "Data / analytics · Brazil · Portuguese"."""
    get = row.get

    def words(column: str, name: Callable[[str], str]) -> str:
        return " or ".join(name(code) for code in (get(column) or "").split())

    parts = [
        f'"{get("keywords")}"' if get("keywords") else "",
        words("disciplines", lambda c: label(Discipline, c)),
        words("seniorities", lambda c: label(Seniority, c)),
        words("offers", lambda c: label(Offer, c)),
        ", ".join(filter(None, (get("city"), COUNTRIES.get(get("country") or "", "")))),
        words("languages", lambda c: LANGUAGES.get(c, c)),
        "open to new mentees" if get("open_only") else "",
    ]
    return " · ".join(p for p in parts if p) or "Any mentor"


def demand(session: Session, *, start: date, end: date, fields: tuple[str, ...]) -> pd.DataFrame:
    """Searches in the range that asked for each value of `fields`: field, code, searches."""
    query = (
        select(demanded.c.field, demanded.c.value, func.sum(demanded.c.searches))
        .where(demanded.c.day >= start, demanded.c.day <= end, demanded.c.field.in_(fields))
        .group_by(demanded.c.field, demanded.c.value)
    )
    return pd.DataFrame(session.execute(query).all(), columns=["field", "code", "searches"])


def demand_and_supply(asked: pd.DataFrame, collective: pd.DataFrame, field: str) -> pd.DataFrame:
    """For each value of `field`: searches and listed mentors, and each as a share of its total.

    Sorted by how much more it is sought than offered (share of searches minus share of
    mentors, in percentage points): the first rows are where to recruit.
    """
    searches = dict(
        asked.loc[asked["field"] == field, ["code", "searches"]].itertuples(index=False)
    )
    mentors = dict(
        collective.loc[collective["dimension"] == field, ["code", "mentors"]].itertuples(
            index=False
        )
    )
    all_searches, all_mentors = sum(searches.values()) or 1, sum(mentors.values()) or 1
    rows = []
    for code in searches.keys() | mentors.keys():
        sought, offered = searches.get(code, 0), mentors.get(code, 0)
        sought_share, offered_share = 100 * sought / all_searches, 100 * offered / all_mentors
        rows.append((code, dimension_label(field, code), int(sought), int(offered),
                     round(sought_share, 1), round(offered_share, 1), round(sought_share - offered_share, 1)))  # fmt: skip
    frame = pd.DataFrame(rows, columns=DEMAND_COLUMNS)
    return frame.sort_values(
        ["gap", "searches", "label"], ascending=[False, False, True], ignore_index=True
    )


def demand_against_supply(
    session: Session, *, start: date, end: date, tz: ZoneInfo, field: str
) -> pd.DataFrame:
    """Searches in the range asking for each discipline (or country) against listed mentors now."""
    del tz  # searches are kept by UTC day
    asked = demand(session, start=start, end=end, fields=(field,))
    return demand_and_supply(asked, collective_today(session), field)
