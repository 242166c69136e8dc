"""SQLAlchemy models of the app; importing this package registers every table on `Base`."""

from models.base import Base, UTCDateTime, utcnow
from models.code_rounds import CodeVersionRound
from models.events import ListingEvent, ReportEvent
from models.jobs import ScheduledJob
from models.mail import ListingLink, OutboxMail
from models.mentor import (
    BlockedIdentity,
    Mentor,
    MentorDiscipline,
    MentorLanguage,
    MentorOffer,
    NoReplySignal,
)
from models.moderation import (
    AuditEvent,
    Moderator,
    ModeratorConflict,
    ModeratorRecoveryCode,
    ModeratorSession,
    RateLimitHit,
)
from models.report import Report, ReportExclusion, ReportNote
from models.search import DirectorySearch, DirectorySearchDemand
from models.signature import CodeVersion, Signature
from models.transparency import PublishedPeriod

__all__ = [
    "AuditEvent", "Base", "BlockedIdentity", "CodeVersion", "CodeVersionRound", "DirectorySearch",
    "DirectorySearchDemand", "ListingEvent", "ListingLink", "Mentor",
    "MentorDiscipline", "MentorLanguage", "MentorOffer", "Moderator", "ModeratorConflict", "NoReplySignal", "ModeratorRecoveryCode",
    "ModeratorSession", "OutboxMail", "PublishedPeriod",
    "RateLimitHit", "Report", "ReportEvent", "ReportExclusion", "ReportNote", "ScheduledJob", "Signature", "UTCDateTime", "utcnow",
]  # fmt: skip
