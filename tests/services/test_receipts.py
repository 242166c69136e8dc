"""A receipt for every signature: its hashes recomputed from the stored signature, the audit row
and the Code's file; the PDF read back; "Check a receipt" for a right code, a wrong one, and one
of a deleted listing."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Signature
from services.accounts.throttle import Throttled
from services.core.refusals import InvalidSubmission
from services.evidence import code_resigning, receipts
from services.evidence.code_versions import start_round
from services.evidence.receipt_pdf import as_pdf, code_points
from services.listings.code_of_conduct import CODE_PATH, current_code
from services.listings.owner import delete_listing, pause_listing
from services.listings.signing import SignatureInput, resume_listing
from services.mail import relay
from services.mail.templates import Frame, Kind, render
from tests.conftest import NOW
from tests.factories import mailed, make_profile, sign_up, submit_sign_up
from tests.services.test_audit_chain import expected_hash
from tests.services.test_code_versions import new_code


def test_the_receipt_holds_what_was_signed_and_its_hashes_recompute(session: Session) -> None:
    mine = sign_up(session, make_profile(full_name="Zoë  Okafor-Lindqvist"))
    session.commit()  # the chain seals the audit rows
    receipt = receipts.latest_receipt(session, mentor_id=mine.mentor_id)
    assert receipt is not None
    stored = session.scalar(select(Signature).where(Signature.mentor_id == mine.mentor_id))
    assert stored is not None
    assert receipt.code_sha256 == hashlib.sha256(CODE_PATH.read_text(encoding="utf-8").encode()).hexdigest()
    assert receipt.typed_name == stored.typed_name == "Zoë  Okafor-Lindqvist"
    assert receipt.agreement_text == current_code().agreement_label
    assert receipt.signed_at == NOW and receipt.listing_reference == f"L-{mine.mentor_id:06d}"
    audit = session.get(AuditEvent, stored.audit_event_id)
    assert audit is not None and audit.mentor_id == mine.mentor_id and audit.action == "listing.signed_up"
    assert receipt.audit_position == audit.chain_seq
    assert receipt.audit_hash == expected_hash(
        {c.name: getattr(audit, c.name) for c in AuditEvent.__table__.columns}, audit.prev_hash or "")
    assert receipt.verification_code == receipts.shown(stored.receipt_code or "")


def test_the_confirmation_mail_carries_the_same_receipt_as_text(session: Session) -> None:
    profile = make_profile()
    submit_sign_up(session, profile)
    mail = mailed(session, profile.email.strip())
    assert mail is not None and mail.values["receipt"] == ""  # the row's hash doesn't exist yet
    session.commit()  # the chain seals the sign-up's audit row
    claimed = relay.claim_due(session, now=NOW, limit=10)
    receipt = receipts.latest_receipt(session, mentor_id=mail.mentor_id or 0)
    assert receipt is not None and receipt.audit_hash is not None
    assert [c.values["receipt"] for c in claimed] == [receipts.as_text(receipt)]
    for label, value in receipt.lines():
        assert f"{label}:" in claimed[0].values["receipt"] and value in claimed[0].values["receipt"]
    session.refresh(mail)
    assert mail.values["receipt"] == receipts.as_text(receipt)  # kept: a retry sends the same
    subject, body = render(Kind.CONFIRM_SIGN_UP, claimed[0].values, Frame("https://m.example", "a@m.example"))
    assert receipts.as_text(receipt) in body and "Check a receipt" in body


def test_a_mail_whose_signature_is_not_sealed_yet_goes_without_the_receipt(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = make_profile()
    submit_sign_up(session, profile)
    latest = receipts.latest_receipt  # as if the sealer had failed: no hash yet
    monkeypatch.setattr(receipts, "latest_receipt", lambda session, mentor_id: dataclasses.replace(
        latest(session, mentor_id=mentor_id), audit_hash=None, audit_position=None))  # fmt: skip
    claimed = relay.claim_due(session, now=NOW, limit=10)
    assert [c.values["receipt"] for c in claimed] == [""]
    _, body = render(Kind.CONFIRM_SIGN_UP, claimed[0].values, Frame("https://m.example", "a@m.example"))
    assert "receipt" not in body.lower()


def test_the_pdf_reads_back_with_every_line_of_the_receipt(session: Session) -> None:
    mine = sign_up(session, make_profile(full_name="Łucja Ωmega-Дмитрий"))
    receipt = receipts.latest_receipt(session, mentor_id=mine.mentor_id)
    assert receipt is not None
    pdf = as_pdf(receipt, site_url="https://mentors.example.org")
    extracted = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for label, value in receipt.lines():
        assert label in extracted and " ".join(value.split()) in extracted, label
    assert "https://mentors.example.org/check-a-receipt" in extracted


def test_a_name_the_font_cannot_draw_is_also_given_as_code_points() -> None:
    assert code_points("Zoë Okafor") is None
    assert code_points("李 Wei") == "U+674E U+0020 U+0057 U+0065 U+0069"


def test_each_signature_has_its_own_receipt_newest_first(session: Session) -> None:
    mine = sign_up(session, make_profile(full_name="Ada Resume"))
    pause_listing(session, credential=mine.credential, now=NOW + timedelta(days=1))
    resume_listing(session, credential=mine.credential, code=current_code(), now=NOW + timedelta(days=2),
                   signature=SignatureInput(agreed=True, typed_name="Ada Resume"))  # fmt: skip
    session.commit()  # the chain seals the resume's audit row
    found = receipts.receipts_of(session, mentor_id=mine.mentor_id)
    assert [r.occasion for r in found] == ["resume", "sign_up"]
    assert len({r.verification_code for r in found}) == 2
    assert found[0].audit_position is not None and found[0].audit_position > (found[1].audit_position or 0)


def test_check_says_whether_a_code_matches_a_signature_we_hold(session: Session) -> None:
    mine = sign_up(session)
    receipt = receipts.latest_receipt(session, mentor_id=mine.mentor_id)
    assert receipt is not None
    code = receipt.verification_code
    assert receipts.check(session, typed=code, now=NOW, client_key="a")
    assert receipts.check(session, typed=f"  {code.lower().replace('-', ' ')} ", now=NOW, client_key="a")
    wrong = ("A" if code[0] != "A" else "B") + code[1:]
    assert not receipts.check(session, typed=wrong, now=NOW, client_key="a")
    assert not receipts.check(session, typed="<script>alert(1)</script>" * 9, now=NOW, client_key="a")
    delete_listing(session, credential=mine.credential, now=NOW)
    assert not receipts.check(session, typed=code, now=NOW, client_key="a")


def test_an_empty_code_is_an_error_next_to_the_field_and_is_not_counted(session: Session) -> None:
    with pytest.raises(InvalidSubmission) as refused:
        receipts.check(session, typed="   ", now=NOW, client_key="b")
    assert set(refused.value.errors) == {"code"}


def test_guessing_codes_from_one_address_is_stopped(session: Session) -> None:
    for _ in range(receipts.CHECKS_PER_CLIENT.allowed):
        receipts.check(session, typed="ABCD-EFGH-JKMN", now=NOW, client_key="guesser")
    with pytest.raises(Throttled):
        receipts.check(session, typed="ABCD-EFGH-JKMN", now=NOW, client_key="guesser")
    assert not receipts.check(session, typed="ABCD-EFGH-JKMN", now=NOW, client_key="someone else")


def test_signing_a_new_version_gets_a_receipt_naming_its_own_audit_row(session: Session) -> None:
    mine = sign_up(session, make_profile(full_name="Ada Newcode"))
    start_round(session, code=current_code(), now=NOW)
    code = new_code()
    start_round(session, code=code, now=NOW + timedelta(days=1))
    code_resigning.sign_new_version(session, credential=mine.credential, code=code, now=NOW + timedelta(days=2),
                                    signature=SignatureInput(agreed=True, typed_name="ada newcode"))  # fmt: skip
    session.commit()
    newest, first = receipts.receipts_of(session, mentor_id=mine.mentor_id)
    assert (newest.occasion, newest.code_version, newest.code_sha256) == ("new_version", 2, code.sha256)
    assert first.code_version == 1
    audit = session.scalar(select(AuditEvent).where(AuditEvent.row_hash == newest.audit_hash))
    assert audit is not None and audit.action == "code_signed" and audit.mentor_id == mine.mentor_id
    assert code.sha256 in (audit.detail or "")
