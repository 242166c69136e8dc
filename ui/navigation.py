"""Every page of the app, in one place: the public ones, the sign-in, and the gated console.

dashboard.py builds the navigation from these lists, and tests/test_conventions.py checks them:
every file in pages/ is declared here, and every page in MODERATION_PAGES gates itself first
thing (a page file can run without the frame on a fresh server: see ui/gate.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    url_path: str
    icon: str | None = None

    def page(self, *, default: bool = False, hidden: bool = False) -> st.Page:
        """This page as st.navigation takes it (the default page lives at "/")."""
        return st.Page(self.path, title=self.title, icon=self.icon, default=default,
                       url_path=None if default else self.url_path,
                       visibility="hidden" if hidden else "visible")  # fmt: skip


# The public entries have no icon: a `:material/...:` icon makes the browser fetch the Material
# Symbols font (376 kB), a second on a phone's slow network before a mentee's first visit shows a
# mentor. The console's entries keep theirs; they show only to a signed-in moderator.
FIND_A_MENTOR = PageSpec("pages/find_a_mentor.py", "Find a mentor", "find-a-mentor")
PUBLIC_PAGES = (
    FIND_A_MENTOR,
    PageSpec("pages/become_a_mentor.py", "Become a mentor", "become-a-mentor"),
    PageSpec("pages/manage_listing.py", "Manage my listing", "manage-my-listing"),
    PageSpec("pages/code_of_conduct.py", "Code of Conduct", "code-of-conduct"),
    PageSpec("pages/report_a_violation.py", "Report a violation", "report"),
    PageSpec("pages/follow_my_report.py", "Follow my report", "follow-my-report"),
    PageSpec("pages/how_we_enforce.py", "How we enforce the Code", "how-we-enforce-the-code"),
    PageSpec("pages/reports_and_outcomes.py", "Reports and outcomes", "reports-and-outcomes"),
    PageSpec("pages/check_a_receipt.py", "Check a receipt", "check-a-receipt"),
)  # fmt: skip
SIGN_IN = PageSpec("pages/moderator_sign_in.py", "Moderator sign-in", "moderator-sign-in")
# Each of these calls ui.gate.require_moderator() before anything else (a convention test checks).
MODERATION_PAGES = (
    PageSpec("pages/moderation_queue.py", "Moderation: report queue", "moderation-queue", ":material/inbox:"),
    PageSpec("pages/moderation_mentors.py", "Moderation: mentors", "moderation-mentors", ":material/groups:"),
    PageSpec("pages/moderation_audit.py", "Moderation: audit log", "moderation-audit", ":material/history:"),
    PageSpec("pages/moderation_trends.py", "Moderation: trends", "moderation-trends", ":material/insights:"),
    PageSpec("pages/moderation_mail.py", "Moderation: mail", "moderation-mail", ":material/mail:"),
    PageSpec("pages/moderation_jobs.py", "Moderation: scheduled jobs", "moderation-jobs", ":material/schedule:"),
)  # fmt: skip


def pages(*, signed_in: bool) -> list[st.Page]:
    """The navigation for a visitor or a signed-in moderator.

    Signed out, the console's pages stay registered but hidden: a bookmark of one shows the
    sign-in form (each page gates itself) and, once signed in, the page itself.
    """
    public = [FIND_A_MENTOR.page(default=True), *(spec.page() for spec in PUBLIC_PAGES[1:])]
    # The default page lives at "/": its own address would otherwise say "Page not found".
    alias = FIND_A_MENTOR.page(hidden=True)
    console = [spec.page(hidden=not signed_in) for spec in MODERATION_PAGES]
    return [*public, alias, SIGN_IN.page(hidden=signed_in), *console]


def is_console(page: st.Page) -> bool:
    """True for the moderation console's pages (they get the wide layout)."""
    return page.url_path in {spec.url_path for spec in MODERATION_PAGES}
