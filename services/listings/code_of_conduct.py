"""The Code of Conduct as the organisation wrote it, split into what the app shows and signs.

The file under content/ is the single source. Its SHA-256 identifies the version a mentor signs;
any change to the text is a new version.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import CodeVersion
from models.base import utcnow
from services.core.vocabulary import CodeClause

CODE_PATH = Path(__file__).resolve().parents[2] / "content" / "code_of_conduct.md"


@dataclass(frozen=True)
class CodeOfConduct:
    """One version of the Code, in the parts the pages need."""

    text: str
    sha256: str
    title: str
    report_call: str  # "If you have witnessed a violation ... please report it here."
    body: str  # sections 1 to 3, Markdown, verbatim
    agreement_label: str  # "I have read the Code of Conduct and agree to follow it."
    signature_label: str  # "Type your full name to sign"


def parse_code(text: str) -> CodeOfConduct:
    """Split the Code's text: title, the call to report, the sections, and the two signing lines."""
    head, separator, tail = text.partition("\n---\n")
    if not separator:
        raise ValueError("the Code of Conduct has no '---' line before its signing lines")
    lines = head.strip().splitlines()
    title = lines[0].lstrip("# ").strip()
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest.pop(0)
    report_call = rest.pop(0).strip()
    signing = [line.strip() for line in tail.strip().splitlines() if line.strip()]
    if len(signing) != 2:
        raise ValueError("the Code of Conduct must end with the agreement line and the name label")
    return CodeOfConduct(
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=title,
        report_call=report_call,
        body="\n".join(rest).strip(),
        agreement_label=signing[0],
        signature_label=signing[1],
    )


@cache
def current_code() -> CodeOfConduct:
    """The Code as shipped in content/code_of_conduct.md (read once per process)."""
    return parse_code(CODE_PATH.read_text(encoding="utf-8"))


def record_code_version(session: Session, *, code: CodeOfConduct) -> int:
    """The id of this version of the Code, storing it the first time it is seen."""
    existing = session.scalar(select(CodeVersion.id).where(CodeVersion.sha256 == code.sha256))
    if existing is not None:
        return existing
    version = CodeVersion(sha256=code.sha256, text=code.text, first_seen_at=utcnow())
    try:
        with session.begin_nested():
            session.add(version)
    except IntegrityError:  # another process stored the same version first
        found = session.scalar(select(CodeVersion.id).where(CodeVersion.sha256 == code.sha256))
        if found is None:
            raise
        return found
    return version.id


def clause_text(code: CodeOfConduct, clause: CodeClause) -> str:
    """The Code's own words for one clause of sections 2 and 3: the n-th "Mentors are expected"
    paragraph of section 2, or the n-th listed violation of section 3."""
    section, _, number = clause.value.partition(".")
    if not number:
        raise ValueError(f"clause {clause.value} has no words of its own")
    parts = re.split(r"^## ", code.body, flags=re.MULTILINE)
    body = next(p for p in parts if p.startswith(f"{section}."))
    lines = [line.strip() for line in body.splitlines()[1:] if line.strip()]
    items = ([line for line in lines if line.startswith("Mentors are expected")] if section == "2"
             else [line.removeprefix("- ") for line in lines if line.startswith("- ")])  # fmt: skip
    return items[int(number) - 1]
