"""When each version of the Code came into force, and by when listed mentors sign it again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class CodeVersionRound(Base):
    """One version of the Code in force (services/evidence/code_versions.py). The first version
    ever seen has no `sign_by`: everyone signed it when they signed up. A later one gives listed
    mentors until `sign_by` to sign it again; their mail is a link of purpose "new_code"."""

    __tablename__ = "code_version_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_version_id: Mapped[int] = mapped_column(ForeignKey("code_versions.id"), unique=True)
    in_force_at: Mapped[datetime] = mapped_column()
    sign_by: Mapped[datetime | None] = mapped_column()
