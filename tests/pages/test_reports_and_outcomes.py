"""Reports and outcomes, the public transparency report, through the app: signed out, only what
leadership published is there, exactly as published; the console previews a period that has
ended and publishes it after a confirmation."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from models import AuditEvent, PublishedPeriod
from models.db import PROJECT_ROOT
from services.accounts.auth import add_moderator
from services.audit.audit_log import Action
from services.evidence import transparency
from services.evidence.transparency_tables import ALL_PARTS, PublicReport
from tests.conftest import NOW
from tests.pages.conftest import DASHBOARD, open_app, signed_in, unescape
from tests.services.test_transparency import third_quarter
from tests.services.trend_data import at, report
from ui import times

PAGE = "pages/reports_and_outcomes.py"
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(times, "now", lambda: NOW)


@pytest.fixture
def quarters(app_db: sessionmaker[Session]) -> sessionmaker[Session]:
    """The hand-counted third quarter of 2026, and a report in the second (neither published)."""
    with app_db.begin() as session:
        third_quarter(session)
        report(session, at("2026-05-05"), "harassment")
        add_moderator(session, username="alice", password=PASSWORD, now=NOW)
    return app_db


def tables(app: AppTest) -> list[pd.DataFrame]:
    return [t.value.map(unescape) for t in app.table]


def as_published(app: AppTest, report: PublicReport) -> bool:
    """True when the page's tables are the report's, figure for figure."""
    shown = tables(app)
    return len(shown) == len(report.tables) and all(
        page.equals(t.frame()) for page, t in zip(shown, report.tables, strict=True))  # fmt: skip


def test_with_nothing_published_the_page_says_so_and_shows_no_figure(quarters: object) -> None:
    for app in (
        open_app(PAGE),
        AppTest.from_file(str(PROJECT_ROOT / PAGE), default_timeout=30).run(),
    ):
        assert not app.exception
        assert [t.value for t in app.title] == ["Reports and outcomes"]
        assert [i.value for i in app.info] == [
            "No period has been published yet. The first appears here once its quarter has ended "
            "and leadership has checked and published its figures."
        ]
        assert not app.table and not app.selectbox and not app.get("download_button")


def test_signed_out_only_the_published_quarter_is_shown_exactly_as_published(
    quarters: sessionmaker[Session],
) -> None:
    with quarters.begin() as session:
        carol = add_moderator(session, username="carol", password=PASSWORD, now=NOW)
        published = transparency.publish_period(
            session, period_key="2026-Q3", moderator=carol, now=NOW
        )
        report(session, at("2026-08-08"), "disrespect")  # after publishing: not on the page
    app = open_app(PAGE)
    assert not app.exception
    assert app.selectbox(key="transparency_period").options == ["July to September 2026"]
    assert [h.value for h in app.header] == ["July to September 2026"]
    assert as_published(app, published)
    received = tables(app)[0].set_index("Part of the Code")["Received"]
    assert received["Section 2: respectful and accepting of everyone"] == "fewer than 5"
    assert received["Section 3: asking mentees for payment or compensation"] == "withheld"
    assert received[ALL_PARTS] == "15"
    assert "fewer than 5" in "\n".join(m.value for m in app.markdown)
    assert [b.label for b in app.get("download_button")] == ["Download these figures (CSV)"]
    assert "Published on 20 November 2026" in app.markdown[-1].value
    assert not app.warning  # real figures


def test_the_sample_setups_made_up_figures_say_so(quarters: sessionmaker[Session]) -> None:
    with quarters.begin() as session:
        carol = add_moderator(session, username="carol", password=PASSWORD, now=NOW)
        transparency.publish_period(
            session, period_key="2026-Q3", moderator=carol, now=NOW, sample=True
        )
    app = open_app(PAGE)
    assert not app.exception
    assert [w.value for w in app.warning] == [
        "These figures are made up: they count the sample history of the local sample setup, "
        "not real reports."
    ]


def test_leadership_previews_a_quarter_and_publishes_it_after_confirming(
    quarters: sessionmaker[Session],
) -> None:
    app = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    app.switch_page("pages/moderation_trends.py").run()
    app = signed_in(app, "alice", PASSWORD)
    assert not app.exception
    chooser = app.selectbox(key="transparency_publish_period")
    assert chooser.options == ["July to September 2026", "April to June 2026"]
    with quarters() as session:
        preview = transparency.preview(session, period=transparency.PublicPeriod(2026, 3))
    shown = tables(app)
    assert all(any(t.equals(p.frame()) for t in shown) for p in preview.tables)
    publish = app.button(key="transparency_publish")
    assert publish.disabled
    app.checkbox(key="transparency_confirm").check().run()
    app = app.button(key="transparency_publish").click().run()
    assert not app.exception
    assert [unescape(s.value) for s in app.success] == [
        "Published: the public page now shows July to September 2026."
    ]
    assert app.selectbox(key="transparency_publish_period").options == ["April to June 2026"]
    with quarters() as session:
        assert session.scalars(select(PublishedPeriod.period_key)).all() == ["2026-Q3"]
        assert session.scalar(select(AuditEvent.detail).where(
            AuditEvent.action == Action.PERIOD_PUBLISHED.value)) == (
            "Transparency report published: July to September 2026 (2026-Q3)")  # fmt: skip
    public = open_app(PAGE)
    assert as_published(public, preview)
    assert not public.warning  # a database given by DATABASE_URL is never the sample setup
