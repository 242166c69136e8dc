"""The public transparency report against hand-counted small data, on SQLite and PostgreSQL: what
each table counts, small counts shown as "fewer than 5", a total that would give one away
withheld too, and publishing (once, only an ended period, audited, frozen as published)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, PublishedPeriod, Report
from services.accounts.auth import ModeratorIdentity, add_moderator
from services.audit.audit_log import Action
from services.core.refusals import NotAllowedNow
from services.core.vocabulary import CodeClause
from services.evidence import transparency
from services.evidence.suppression import Hidden
from services.evidence.transparency_figures import PublicPeriod, count_period
from services.evidence.transparency_tables import ALL_PARTS, NOT_SHOWN, PublicTable
from services.listings.listing_lifecycle import ListingAction
from services.reports import appeals
from services.reports.moderation import act_on_mentor
from services.reports.report_lifecycle import ReportAction
from services.samples.transparency import publish_sample_quarters
from tests.conftest import NOW
from tests.services.test_concurrency import race
from tests.services.trend_data import Listing, act, at, removal_request, report

A, R = ListingAction, ReportAction
Q3 = PublicPeriod(2026, 3)
SMALL, WITHHELD = Hidden.SMALL, Hidden.WITHHELD
RESPONSIVE, PAYMENT = CodeClause.RESPONSIVE.label, CodeClause.PAYMENT.label
RESPECTFUL, HARASSMENT = CodeClause.RESPECTFUL.label, CodeClause.HARASSMENT.label


def moderator(session: Session, name: str = "leader") -> ModeratorIdentity:
    return add_moderator(session, username=name, password="correct horse battery", now=NOW)


def step(session: Session, listing: Listing, action: ListingAction, when: datetime) -> int:
    return act_on_mentor(session, mentor_id=listing.id, expected_version=None, action=action,
                         moderator=moderator(session, f"m-{listing.id}-{action.value}"),
                         reason="In a test", now=when, clause=CodeClause.RESPONSIVE).event_id  # fmt: skip


def third_quarter(session: Session) -> None:
    """July to September 2026, counted by hand:

    received: 7 about replies (2.1), 6 about payment (3.3), 2 about respect (2.3); left out: spam,
    a removal request, one on the last evening of June and one at midnight on 1 October.
    decided: 5 of the 7 about replies, no action, on 10 August (waits 40, 39, 38, 37, 36 days);
    the 6 about payment, action taken, on 1 September (waits 31 to 26 days; their first action).
    acknowledged: the 7 about replies 2 days after receipt, so the waits to a first action are
    2 (x7) and 26 to 31 days: median 2.0; to a decision 26-31 and 36-40: median 31.0.
    steps: 6 warnings and 1 ban; appeals: 2 received (of warnings), 1 rejected.
    """
    replies = [report(session, at(f"2026-07-0{1 + i}")) for i in range(7)]
    for i, report_id in enumerate(replies):
        act(session, report_id, R.ACKNOWLEDGE, at(f"2026-07-0{3 + i}"))
    for report_id in replies[:5]:
        act(session, report_id, R.RESOLVE_WITHOUT_ACTION, at("2026-08-10"))
    for i in range(6):
        act(session, report(session, at(f"2026-08-0{1 + i}"), "asking_for_payment"),
            R.RESOLVE_WITH_ACTION, at("2026-09-01"))  # fmt: skip
    for day in ("2026-09-10", "2026-09-11"):
        report(session, at(day), "disrespect")
    report(session, at("2026-07-15"), spam=True)
    removal_request(session, at("2026-07-16"))
    report(session, at("2026-06-30", 23))
    report(session, at("2026-10-01", 0))
    mentors = [Listing(session, at("2026-06-01")) for _ in range(7)]
    warned = [step(session, m, A.WARN, at("2026-08-20")) for m in mentors[:6]]
    step(session, mentors[6], A.BAN, at("2026-08-21"))
    references = [appeals.file_appeal(session, credential=m.credential, event_id=e, text="Please look again.",
                                      now=at("2026-09-02")) for m, e in zip(mentors[:2], warned[:2], strict=True)]  # fmt: skip
    appeal_id = session.scalars(select(Report.id).where(Report.reference == references[0])).one()
    appeals.decide_appeal(session, report_id=appeal_id, expected_version=None, action=R.REJECT_APPEAL,
                          moderator=moderator(session, "bob"), now=at("2026-09-05"))  # fmt: skip


def rows(table: PublicTable) -> dict[str, tuple[object, ...]]:
    return dict(table.rows)


def test_the_counts_of_a_quarter_are_those_counted_by_hand(session: Session) -> None:
    third_quarter(session)
    counts = count_period(session, Q3)
    assert {part: n for part, n in counts.received.items() if n} == {
        PAYMENT: 6,
        RESPONSIVE: 7,
        RESPECTFUL: 2,
    }
    assert {key: n for key, n in counts.decided.items() if n} == {
        (PAYMENT, "Action taken"): 6, (RESPONSIVE, "No action needed"): 5}  # fmt: skip
    assert counts.steps == {
        "Warnings": 6,
        "Removals for a number of days": 0,
        "Removals": 0,
        "Bans": 1,
    }
    assert list(counts.appeals.values()) == [2, 0, 1]
    assert (counts.acknowledgement.reports, counts.acknowledgement.days) == (13, 2.0)
    assert (counts.decision.reports, counts.decision.days) == (11, 31.0)


def test_small_counts_are_fewer_than_5_and_a_total_that_would_reveal_one_is_withheld_too(
    session: Session,
) -> None:
    third_quarter(session)
    reports, steps, appeal_table, waits = transparency.preview(session, period=Q3).tables
    figures = rows(reports)
    # Received: 2 about respect is fewer than 5; 15 - 7 - 6 would give it away, so the 6 is withheld.
    assert [figures[part][0] for part in (PAYMENT, RESPONSIVE, RESPECTFUL)] == [WITHHELD, 7, SMALL]
    assert figures[ALL_PARTS] == (15, 6, 5, 0, 11)
    assert figures[PAYMENT][1:] == (6, 0, 0, 6) and figures[RESPONSIVE][1:] == (0, 5, 0, 5)
    assert figures[CodeClause.HARASSMENT.label] == (0, 0, 0, 0, 0)
    # 6 warnings and 1 ban make 7: the ban is fewer than 5, and 7 - 6 would give it away.
    assert rows(steps) == {"Warnings": (WITHHELD,), "Removals for a number of days": (0,),
                           "Removals": (0,), "Bans": (SMALL,), "All steps": (7,)}  # fmt: skip
    assert list(rows(appeal_table).values()) == [(SMALL,), (0,), (SMALL,), (SMALL,)]
    assert list(rows(waits).values()) == [(2.0,), (31.0,)]


def test_a_median_of_fewer_than_5_reports_is_not_shown(session: Session) -> None:
    act(session, report(session, at("2026-07-01")), R.RESOLVE_WITHOUT_ACTION, at("2026-07-03"))
    waits = transparency.preview(session, period=Q3).tables[-1]
    assert list(rows(waits).values()) == [(NOT_SHOWN,)] * 2


def test_publishing_freezes_the_figures_audits_it_and_the_csv_says_what_the_page_shows(
    session: Session,
) -> None:
    third_quarter(session)
    leader = moderator(session)
    before = transparency.preview(session, period=Q3)
    published = transparency.publish_period(
        session, period_key="2026-Q3", moderator=leader, now=NOW
    )
    assert published.tables == before.tables
    audit = session.execute(select(AuditEvent.action, AuditEvent.moderator_id, AuditEvent.detail)
                            .where(AuditEvent.action == Action.PERIOD_PUBLISHED.value)).one()  # fmt: skip
    assert audit == (Action.PERIOD_PUBLISHED.value, leader.id,
                     "Transparency report published: July to September 2026 (2026-Q3)")  # fmt: skip
    report(session, at("2026-07-20"))  # a late arrival changes nothing published
    shown = transparency.published_report(session, period_key="2026-Q3")
    assert shown is not None and shown.tables == before.tables and shown.published_at == NOW
    csv = shown.csv_frame()
    for table in shown.tables:
        page = table.frame().set_index(table.row_heading)
        lines = csv[csv["table"] == table.title]
        assert {(r, c): f for r, c, f in lines[["row", "column", "figure"]].itertuples(index=False)} == {
            (r, c): page.loc[r, c] for r in page.index for c in page.columns}  # fmt: skip
    assert set(csv["period"]) == {"2026-Q3"}
    assert "2" not in set(csv[csv["row"] == RESPECTFUL]["figure"])


def test_only_an_ended_period_is_published_and_only_once(session: Session) -> None:
    report(session, at("2026-06-30", 23))
    leader = moderator(session)
    assert [p.key for p in transparency.publishable_periods(session, now=NOW)] == [
        "2026-Q3",
        "2026-Q2",
    ]
    for key, refusal in (("2026-Q4", "isn't over yet"), ("2026", "isn't over yet"),
                         ("2026-Q5", "no such period"), ("'; drop", "no such period")):  # fmt: skip
        with pytest.raises(NotAllowedNow, match=refusal):
            transparency.publish_period(session, period_key=key, moderator=leader, now=NOW)
    transparency.publish_period(session, period_key="2026-Q3", moderator=leader, now=NOW)
    with pytest.raises(NotAllowedNow, match="published already"):
        transparency.publish_period(session, period_key="2026-Q3", moderator=leader, now=NOW)
    assert [p.key for p in transparency.publishable_periods(session, now=NOW)] == ["2026-Q2"]
    assert [p.key for p in transparency.published_periods(session)] == ["2026-Q3"]
    assert transparency.published_report(session, period_key="2026-Q2") is None


def test_periods_have_utc_edges_and_plain_names() -> None:
    assert (Q3.starts.isoformat(), Q3.ends.isoformat()) == (
        "2026-07-01T00:00:00+00:00",
        "2026-10-01T00:00:00+00:00",
    )
    year = PublicPeriod.parse("2026")
    assert year is not None and (year.label, year.ends.year) == ("The year 2026", 2027)
    assert PublicPeriod.parse("2026-Q4") == PublicPeriod(2026, 4)
    assert PublicPeriod(2026, 4).ends.isoformat() == "2027-01-01T00:00:00+00:00"
    assert Q3.label == "July to September 2026"
    assert [PublicPeriod.parse(k) for k in ("", "26", "2026-Q0", "2026-q1", "1999")] == [None] * 5


def test_two_moderators_publishing_at_once_one_publishes_and_the_other_is_told(
    writer: sessionmaker[Session],
) -> None:
    with writer.begin() as session:
        report(session, at("2026-07-01"))
        alice, bob = moderator(session, "alice"), moderator(session, "bob")
    outcomes = race(writer, *(
        lambda s, who=who: transparency.publish_period(s, period_key="2026-Q3", moderator=who, now=NOW)
        for who in (alice, bob)
    ))  # fmt: skip
    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "won"], outcomes
    assert "2026-Q3" not in "".join(outcomes) and "July to September 2026" in "".join(outcomes)
    with writer() as session:
        assert session.scalar(select(func.count()).select_from(PublishedPeriod)) == 1
        assert session.scalar(select(func.count()).where(
            AuditEvent.action == Action.PERIOD_PUBLISHED.value)) == 1  # fmt: skip


def test_the_sample_setup_publishes_its_ended_quarters_but_the_newest_marked_as_sample(
    session: Session,
) -> None:
    for day in ("2026-02-02", "2026-05-05", "2026-08-08"):
        report(session, at(day))
    leader = moderator(session)
    assert publish_sample_quarters(session, now=NOW, moderator_id=None) == []
    assert publish_sample_quarters(session, now=NOW, moderator_id=leader.id) == [
        "2026-Q2",
        "2026-Q1",
    ]
    shown = transparency.published_report(session, period_key="2026-Q2")
    assert shown is not None and shown.sample
    assert [p.key for p in transparency.publishable_periods(session, now=NOW)] == ["2026-Q3"]


def test_a_year_comes_after_its_quarters_and_never_gives_one_of_their_small_counts_away(
    session: Session,
) -> None:
    """Harassment reports: 2 in the first quarter (fewer than 5), 6 in each of the others. The
    year's 20 would be 20 - 6 - 6 - 6 = 2: withheld, and so is the total that equals it."""
    for month, n in (("01", 2), ("04", 6), ("07", 6), ("10", 6)):
        for day in range(1, n + 1):
            report(session, at(f"2026-{month}-{day:02}"), "harassment")
    leader, later = moderator(session), datetime(2027, 1, 10, tzinfo=NOW.tzinfo)
    assert [p.key for p in transparency.publishable_periods(session, now=later)][:2] == [
        "2026-Q4",
        "2026-Q3",
    ]
    with pytest.raises(NotAllowedNow, match="publish the four quarters of 2026 first"):
        transparency.publish_period(session, period_key="2026", moderator=leader, now=later)
    for q in (1, 2, 3, 4):
        transparency.publish_period(session, period_key=f"2026-Q{q}", moderator=leader, now=later)
    assert [p.key for p in transparency.publishable_periods(session, now=later)] == ["2026"]
    year = transparency.publish_period(session, period_key="2026", moderator=leader, now=later)
    received = {label: values[0] for label, values in year.tables[0].rows}
    first = transparency.published_report(session, period_key="2026-Q1")
    assert first is not None and first.tables[0].figure(HARASSMENT, "Received") is SMALL
    assert received[HARASSMENT] is WITHHELD and received[ALL_PARTS] is WITHHELD
