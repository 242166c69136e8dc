"""A new version of the Code, end to end with a fixed clock: the first version asks nobody; a new
one mails every listed mentor once; who signs stays listed; who doesn't is paused by the clock
after their 30 days, with a typed event and a mail; they come back by signing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import ListingEvent, Mentor, OutboxMail, Signature
from services.core.refusals import InvalidSubmission, NotAllowedNow
from services.core.vocabulary import ListingStatus
from services.evidence import code_resigning, code_versions
from services.evidence.code_versions import CODE_NOT_SIGNED, ask_batch, pause_batch, start_round
from services.jobs.clock import JobContext
from services.listings.code_of_conduct import CodeOfConduct, current_code, parse_code
from services.listings.signing import SignatureInput, resume_listing
from services.mail.templates import Frame, Kind, render
from tests.conftest import NOW
from tests.factories import SignedUp, mailed, make_mentor, sign_up

DAY = timedelta(days=1)
FRAME = Frame(site_url="https://mentors.example.org", sender="team@example.org")


def new_code() -> CodeOfConduct:
    old = current_code()
    new = parse_code(old.text.replace("No ghosting allowed.", "No ghosting allowed, ever."))
    assert new.sha256 != old.sha256
    return new


def mails(session: Session, kind: Kind) -> list[str]:
    return sorted(session.scalars(select(OutboxMail.recipient).where(OutboxMail.kind == kind.value)))


def status(session: Session, mentor_id: int) -> str:
    session.expire_all()
    return session.get_one(Mentor, mentor_id).status


def signs(name: str) -> SignatureInput:
    return SignatureInput(agreed=True, typed_name=name, user_agent="pytest")


def mentors(session: Session) -> dict[str, SignedUp | int]:
    """Two listed mentors, and one each paused, removed and banned, all signed up under the
    Code as shipped, a week before it changes."""
    when = NOW - 7 * DAY
    return {
        "ada": sign_up(session, full_name="Ada Listed", email="ada@example.org", now=when),
        "bo": sign_up(session, full_name="Bo Listed", email="bo@example.org", now=when),
        **{s.value: make_mentor(session, status=s, email=f"{s.value}@example.org", listed_at=when)
           for s in (ListingStatus.PAUSED, ListingStatus.REMOVED, ListingStatus.BANNED)},
    }  # fmt: skip


def test_the_first_version_ever_seen_asks_nobody(session: Session) -> None:
    mentors(session)
    first = start_round(session, code=current_code(), now=NOW)
    assert first.sign_by is None
    assert ask_batch(session, rnd=first, now=NOW) == (0, None)
    assert pause_batch(session, rnd=first, now=NOW + 60 * DAY) == 0
    assert start_round(session, code=current_code(), now=NOW + DAY) == first  # still in force
    assert mails(session, Kind.NEW_CODE) == []


def test_a_new_version_end_to_end_mail_re_sign_pause_after_30_days_come_back(session: Session) -> None:
    people = mentors(session)
    ada, bo = people["ada"], people["bo"]
    assert isinstance(ada, SignedUp) and isinstance(bo, SignedUp)
    start_round(session, code=current_code(), now=NOW - 7 * DAY)
    code = new_code()
    rnd = start_round(session, code=code, now=NOW)
    assert rnd.sign_by == NOW + 30 * DAY

    # Every listed mentor is mailed once; a run twice mails nobody again; nobody else is mailed.
    assert ask_batch(session, rnd=rnd, now=NOW)[0] == 2
    assert ask_batch(session, rnd=rnd, now=NOW + DAY)[0] == 0
    assert mails(session, Kind.NEW_CODE) == ["ada@example.org", "bo@example.org"]
    mail = mailed(session, "bo@example.org", Kind.NEW_CODE)
    assert mail is not None and mail.values["sign_by"] == "Sunday 20 December 2026"
    subject, body = render(Kind.NEW_CODE, mail.values, FRAME)
    assert "https://mentors.example.org/new-code?token=" in body and "Bo Listed" in body
    assert "ada@example.org" not in body

    # What changed since the version Ada signed, then Ada signs the new one.
    shown = code_resigning.to_sign(session, mentor_id=ada.mentor_id, code=code)
    assert shown is not None and shown.sign_by == rnd.sign_by
    assert [(c.kind, "ever" in c.line) for c in shown.changes] == [("removed", False), ("added", True)]
    with pytest.raises(InvalidSubmission) as refused:
        code_resigning.sign_new_version(session, credential=ada.credential, code=code, now=NOW + DAY,
                                        signature=SignatureInput(agreed=False, typed_name="Someone"))  # fmt: skip
    assert set(refused.value.errors) == {"agreed", "typed_name"}
    code_resigning.sign_new_version(session, credential=ada.credential, code=code, now=NOW + DAY,
                                    signature=signs("ada listed"))  # fmt: skip
    assert code_resigning.to_sign(session, mentor_id=ada.mentor_id, code=code) is None
    occasions = session.scalars(select(Signature.occasion).where(Signature.mentor_id == ada.mentor_id))
    assert sorted(occasions) == ["new_version", "sign_up"]

    # Nobody is paused before the 30 days are up; after them, Bo is, once, with a typed event.
    assert pause_batch(session, rnd=rnd, now=NOW + 30 * DAY - timedelta(minutes=1)) == 0
    assert pause_batch(session, rnd=rnd, now=NOW + 31 * DAY) == 1
    assert pause_batch(session, rnd=rnd, now=NOW + 31 * DAY) == 0
    assert (status(session, ada.mentor_id), status(session, bo.mentor_id)) == ("listed", "paused")
    event = session.scalars(select(ListingEvent).where(ListingEvent.mentor_id == bo.mentor_id)
                            .order_by(ListingEvent.id.desc())).first()  # fmt: skip
    assert event is not None
    assert (event.kind, event.actor_kind, event.reason) == ("code_not_signed", "system", CODE_NOT_SIGNED)
    for kind in (Kind.NEW_CODE, Kind.PAUSED_CODE_NOT_SIGNED):
        assert mails(session, kind) == (["ada@example.org", "bo@example.org"]
                                        if kind is Kind.NEW_CODE else ["bo@example.org"])  # fmt: skip
    for other in ("paused", "removed", "banned"):
        assert mailed(session, f"{other}@example.org", Kind.NEW_CODE) is None

    # Bo comes back from the pause mail's link: it opens Manage my listing, where resuming signs.
    paused_mail = mailed(session, "bo@example.org", Kind.PAUSED_CODE_NOT_SIGNED)
    assert paused_mail is not None
    _, body = render(Kind.PAUSED_CODE_NOT_SIGNED, paused_mail.values, FRAME)
    assert "https://mentors.example.org/new-code?token=" in body and "Resume your listing" in body
    _, sent = render(Kind.PAUSED_CODE_NOT_SIGNED, {**paused_mail.values, "token": ""}, FRAME)
    assert "we keep only its hash" in sent  # once the relay blanked the token
    owner_session = code_resigning.open_from_link(session, token=paused_mail.values["token"],
                                                  now=NOW + 32 * DAY)  # fmt: skip
    assert code_resigning.to_sign(session, mentor_id=bo.mentor_id, code=code) is not None
    with pytest.raises(NotAllowedNow):  # a paused listing signs by resuming
        code_resigning.sign_new_version(session, credential=owner_session, code=code,
                                        now=NOW + 32 * DAY, signature=signs("Bo Listed"))  # fmt: skip
    resume_listing(session, credential=owner_session, code=code, now=NOW + 32 * DAY,
                   signature=signs("Bo Listed"))  # fmt: skip
    assert status(session, bo.mentor_id) == "listed"
    assert code_resigning.to_sign(session, mentor_id=bo.mentor_id, code=code) is None
    assert pause_batch(session, rnd=rnd, now=NOW + 40 * DAY) == 0
    assert ask_batch(session, rnd=rnd, now=NOW + 40 * DAY)[0] == 0


def test_the_console_counts_who_signed_which_version(session: Session) -> None:
    people = mentors(session)
    ada = people["ada"]
    assert isinstance(ada, SignedUp)
    start_round(session, code=current_code(), now=NOW - 7 * DAY)
    code = new_code()
    rnd = start_round(session, code=code, now=NOW)
    ask_batch(session, rnd=rnd, now=NOW)
    code_resigning.sign_new_version(session, credential=ada.credential, code=code, now=NOW + DAY,
                                    signature=signs("Ada Listed"))  # fmt: skip
    newest, first = code_resigning.versions_signed(session)[:2]
    assert (newest.sha256, newest.listed_signed, newest.sign_by) == (code.sha256, 1, rnd.sign_by)
    assert (first.sha256, first.listed_signed, first.sign_by) == (current_code().sha256, 2, None)
    found, total, names = code_resigning.not_yet_signed(session, code=code)
    assert found == rnd and total == 1
    assert [(n.full_name, n.asked_at) for n in names] == [("Bo Listed", NOW)]


def test_one_run_of_the_clock_job_asks_everyone_then_pauses_once(
    writer: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.jobs import catalogue

    monkeypatch.setattr(code_versions, "ASK_BATCH", 2)  # 3 listed mentors: 2 batches in one run
    with writer.begin() as session:
        for n in range(3):
            sign_up(session, email=f"m{n}@example.org", now=NOW - 7 * DAY)
    assert catalogue._new_code_version(JobContext(writer, NOW - DAY, None)).startswith("The Code is")
    code = new_code()
    monkeypatch.setattr(catalogue, "current_code", lambda: code)
    said = catalogue._new_code_version(JobContext(writer, NOW, None))
    assert said == "Asked 3 mentors to sign the new Code (by 2026-12-20); paused 0 who didn't sign it in time."
    assert catalogue._new_code_version(JobContext(writer, NOW + DAY, None)).startswith("Asked 0 mentors")
    later = catalogue._new_code_version(JobContext(writer, NOW + 31 * DAY, None))
    assert later.endswith("paused 3 who didn't sign it in time.")
    with writer() as session:
        assert len(mails(session, Kind.NEW_CODE)) == 3
        assert len(mails(session, Kind.PAUSED_CODE_NOT_SIGNED)) == 3
        assert session.scalar(select(func.count()).select_from(ListingEvent).where(
            ListingEvent.kind == "code_not_signed")) == 3  # fmt: skip
